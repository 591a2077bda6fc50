import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DEVICE_STATES } from '../../engine/types.ts';
import type { CpuState } from '../../engine/types.ts';
import { MAX_UI_PAGES, paintDevice, setPages, setStart } from '../../state/edits.ts';
import { useStore } from '../../state/store.ts';
import type { RequestBrush, Store } from '../../state/store.ts';
import { hexShort, parseWord, wordProblem } from '../model/bits.ts';
import { CPU_LOOK, CPU_STATE_ORDER } from '../model/states.ts';
import { cx } from '../hooks.ts';
import { RangeEdit } from './RangeEdit.tsx';

const select = (s: Store) => ({
  pages: s.scenario.range.pages,
  start: s.scenario.range.start,
  cpuBrush: s.cpuBrush,
  requestBrush: s.requestBrush,
  customRequest: s.customRequest,
  edit: s.edit,
  setCpuBrush: s.setCpuBrush,
  setRequestBrush: s.setRequestBrush,
});

const REQUESTS: { id: RequestBrush; label: string }[] = [
  { id: 'none', label: 'none (0)' },
  { id: 'valid', label: 'VALID' },
  { id: 'write', label: 'VALID | WRITE' },
  { id: 'custom', label: 'bits:' },
];

/** The range, and the brushes the stage's CPU and input rows paint with. */
export function PagesSection() {
  const p = useStore(useShallow(select));
  const id = useId();
  const [startDraft, setStartDraft] = useState<string | null>(null);
  const [customDraft, setCustomDraft] = useState<string | null>(null);
  const startText = startDraft ?? hexShort(p.start);
  const startProblem =
    startDraft === null
      ? null
      : (wordProblem(startDraft) ??
        (parseWord(startDraft)! & 0xfffn ? 'must be page aligned (end in 000)' : null));
  const customText = customDraft ?? hexShort(p.customRequest);
  const customProblem = customDraft === null ? null : wordProblem(customDraft);
  return (
    <div className="section-body">
      <div className="field-row">
        <label className="field">
          <span>Pages</span>
          <input
            type="number"
            min={1}
            max={MAX_UI_PAGES}
            value={p.pages}
            onChange={(e) => {
              const n = Number(e.target.value);
              if (Number.isFinite(n) && n >= 1) p.edit((s) => setPages(s, n), 'pages-typing');
            }}
            onBlur={() => useStore.getState().endGesture()}
          />
        </label>
        <label className="field grow">
          <span>range.start</span>
          <input
            className={cx('hex-input', startProblem && 'invalid')}
            value={startText}
            spellCheck={false}
            aria-invalid={startProblem ? true : undefined}
            aria-describedby={startProblem ? `${id}-start` : undefined}
            onChange={(e) => {
              setStartDraft(e.target.value);
              const v = parseWord(e.target.value);
              if (v !== null && !wordProblem(e.target.value) && (v & 0xfffn) === 0n)
                p.edit((s) => setStart(s, v), 'start-typing');
            }}
            onBlur={() => {
              setStartDraft(null);
              useStore.getState().endGesture();
            }}
          />
        </label>
      </div>
      {startProblem && (
        <p className="field-error" id={`${id}-start`}>
          {startProblem}
        </p>
      )}
      <div className="quick">
        {[1, 16, 64, 512, 4096].map((n) => (
          <button
            key={n}
            type="button"
            className="small-button"
            aria-pressed={p.pages === n}
            onClick={() => p.edit((s) => setPages(s, n))}
          >
            {n} {n === 1 ? 'page' : 'pages'}
          </button>
        ))}
      </div>

      <fieldset className="brush" role="radiogroup" aria-label="CPU pte brush">
        <legend>CPU pte brush</legend>
        <div className="swatches">
          {CPU_STATE_ORDER.map((st: CpuState) => (
            <label
              key={st}
              className={cx('swatch', `tone-${CPU_LOOK[st].tone}`, p.cpuBrush === st && 'selected')}
              title={CPU_LOOK[st].long}
            >
              <input
                type="radio"
                name="cpu-brush"
                checked={p.cpuBrush === st}
                onChange={() => p.setCpuBrush(st)}
                aria-label={`${st}: ${CPU_LOOK[st].long}`}
              />
              <span aria-hidden="true">{CPU_LOOK[st].short}</span>
            </label>
          ))}
        </div>
        <p className="help">Click or drag along the CPU pte row of the stage (Shift selects pages).</p>
      </fieldset>

      <fieldset className="brush" role="radiogroup" aria-label="pfns input brush">
        <legend>pfns[i] input brush</legend>
        <div className="request-brushes">
          {REQUESTS.map((r) => (
            <label key={r.id} className={cx('pill', p.requestBrush === r.id && 'selected')}>
              <input
                type="radio"
                name="request-brush"
                checked={p.requestBrush === r.id}
                onChange={() => p.setRequestBrush(r.id)}
              />
              <span>{r.label}</span>
            </label>
          ))}
          <input
            className={cx('hex-input small', customProblem && 'invalid')}
            aria-label="custom request bits in hex"
            value={customText}
            spellCheck={false}
            aria-invalid={customProblem ? true : undefined}
            onChange={(e) => {
              setCustomDraft(e.target.value);
              const v = parseWord(e.target.value);
              if (v !== null && !wordProblem(e.target.value)) p.setRequestBrush('custom', v);
            }}
            onBlur={() => setCustomDraft(null)}
          />
        </div>
        {customProblem && <p className="field-error">{customProblem}</p>}
        <p className="help">Click or drag along the pfns[i] input row of the stage.</p>
      </fieldset>
      <RangeEdit />
      <DeviceBefore pages={p.pages} />
    </div>
  );
}

/** The device page table before the run (rarely needed: a driver that mapped pages earlier). */
function DeviceBefore({ pages }: { pages: number }) {
  const edit = useStore((s) => s.edit);
  const [from, setFrom] = useState(0);
  const [to, setTo] = useState(0);
  const [state, setState] = useState(1);
  return (
    <details className="sub">
      <summary>Device page table before the run</summary>
      <div className="field-row">
        <label className="field">
          <span>from page</span>
          <input
            aria-label="device before the run: from page"
            type="number"
            min={0}
            max={pages - 1}
            value={from}
            onChange={(e) => setFrom(Number(e.target.value))}
          />
        </label>
        <label className="field">
          <span>to page</span>
          <input
            aria-label="device before the run: to page"
            type="number"
            min={0}
            max={pages - 1}
            value={to}
            onChange={(e) => setTo(Number(e.target.value))}
          />
        </label>
        <label className="field">
          <span>state</span>
          <select value={state} onChange={(e) => setState(Number(e.target.value))}>
            {DEVICE_STATES.map((d, i) => (
              <option key={d} value={i}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="small-button align-end"
          onClick={() => edit((s) => paintDevice(s, from, to, state))}
        >
          Set
        </button>
      </div>
    </details>
  );
}
