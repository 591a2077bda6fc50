import { useId, useMemo, useState } from 'react';
import { GENERATIONS, type Kernel } from '../../engine/kernels/registry.ts';
import type { Scenario } from '../../engine/types.ts';
import { useCompare } from '../../state/compare.ts';
import type { Side, SideId } from '../../state/compare.ts';
import { paintRequestRuns, setDefaultFlags, setKernel, setMask } from '../../state/edits.ts';
import { parsePageSet } from '../../state/pageSet.ts';
import { namedBits, requestFlags } from '../model/bits.ts';
import { Register } from '../editor/Register.tsx';

const ALL = (1n << 64n) - 1n;

type RequestChoice = 'none' | 'valid' | 'write';
const REQUEST_CHOICES: { id: RequestChoice; label: string }[] = [
  { id: 'none', label: 'none (0)' },
  { id: 'valid', label: 'VALID' },
  { id: 'write', label: 'VALID | WRITE' },
];

/**
 * One side's own policy: its kernel, both registers (any 64-bit value, with the editor's named-bit
 * toggles and hex field) and its own per-page requests (a page selection set to a request in one
 * action). Each change reruns that side only; both sides travel in the comparison's link.
 */
export function SidePolicy({ id, letter, side }: { id: SideId; letter: string; side: Side }) {
  const s = side.scenario;
  const set = (next: Scenario) => useCompare.getState().setSide(id, next);
  const bits = useMemo(() => namedBits(s), [s]);
  const f = requestFlags(s);
  const vmaFault = s.call === 'hmm_vma_fault';
  return (
    <fieldset className="compare-policy">
      <legend className="sr-only">Policy {letter}</legend>
      <div className="compare-policy-row">
        <label className="field">
          <span>Kernel</span>
          <select value={s.kernel} onChange={(e) => set(setKernel(s, e.target.value as Kernel))}>
            {GENERATIONS.map((g) => (
              <option key={g.id} value={g.id}>
                {g.label} ({g.year})
              </option>
            ))}
          </select>
        </label>
        <details className="compare-policy-more">
          <summary>
            Registers and requests of {letter}
            <span className="muted"> · per-page pfns[i], default_flags, pfn_flags_mask</span>
          </summary>
          {vmaFault && (
            <p className="help">hmm_vma_fault() sets default_flags = 0 and pfn_flags_mask = -1UL itself.</p>
          )}
          <div className="compare-registers">
            <Register
              name="default_flags"
              value={s.defaultFlags}
              bits={bits}
              onChange={(v) => set(setDefaultFlags(s, v))}
              onTypingEnd={() => {}}
              help={`Asked for every page of ${letter}'s range.`}
              shortcuts={[
                { label: '0', value: 0n },
                { label: 'VALID', value: f.VALID },
                { label: 'VALID|WRITE', value: f.VALID | f.WRITE },
              ]}
            />
            <Register
              name="pfn_flags_mask"
              value={s.pfnFlagsMask}
              bits={bits}
              onChange={(v) => set(setMask(s, v))}
              onTypingEnd={() => {}}
              help={`Which bits of each page's own pfns[i] count in ${letter}.`}
              shortcuts={[
                { label: '0', value: 0n },
                { label: 'WRITE', value: f.WRITE },
                { label: 'all', value: ALL },
              ]}
            />
          </div>
          <SideRequests letter={letter} scenario={s} set={set} />
        </details>
      </div>
    </fieldset>
  );
}

/** A page selection ("100-199", "every 4th page") set to one request, for this side only. */
function SideRequests({
  letter,
  scenario: s,
  set,
}: {
  letter: string;
  scenario: Scenario;
  set: (next: Scenario) => void;
}) {
  const id = useId();
  const [pages, setPages] = useState('');
  const [choice, setChoice] = useState<RequestChoice>('write');
  const [done, setDone] = useState('');
  const parsed = pages.trim() ? parsePageSet(pages, s.range.pages) : null;
  const f = requestFlags(s);
  const word = choice === 'none' ? 0n : choice === 'valid' ? f.VALID : f.VALID | f.WRITE;
  const label = REQUEST_CHOICES.find((c) => c.id === choice)!.label;
  return (
    <fieldset className="compare-requests">
      <legend>Per-page requests of {letter} (pfns[i] input)</legend>
      <div className="compare-requests-row">
        <label className="field grow">
          <span>Pages</span>
          <input
            value={pages}
            spellCheck={false}
            placeholder="0-15, every 4th page, ..."
            aria-invalid={parsed && !parsed.ok ? true : undefined}
            aria-describedby={`${id}-sel`}
            onChange={(e) => {
              setPages(e.target.value);
              setDone('');
            }}
          />
        </label>
        <label className="field">
          <span>Request</span>
          <select value={choice} onChange={(e) => setChoice(e.target.value as RequestChoice)}>
            {REQUEST_CHOICES.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="small-button"
          disabled={!parsed?.ok}
          onClick={() => {
            if (!parsed?.ok) return;
            set(paintRequestRuns(s, parsed.runs, word));
            setDone(`pfns[i] input of ${parsed.count} pages set to ${label} in ${letter}.`);
          }}
        >
          Apply to {letter}
        </button>
      </div>
      <p className={parsed && !parsed.ok ? 'field-error' : 'help'} id={`${id}-sel`}>
        {parsed === null
          ? `Type pages of ${letter} to set their own request.`
          : parsed.ok
            ? `${parsed.count} of ${s.range.pages} pages selected`
            : parsed.error}
      </p>
      <p role="status" className="help">
        {done}
      </p>
    </fieldset>
  );
}
