import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CPU_STATES } from '../../engine/types.ts';
import type { Prot } from '../../engine/types.ts';
import { paintCpuRuns, paintRequestRuns, setVmaRuns } from '../../state/edits.ts';
import { parsePageSet } from '../../state/pageSet.ts';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { hexShort } from '../model/bits.ts';
import { CPU_LOOK } from '../model/states.ts';
import { requestBrushWord } from '../stage/usePainter.ts';

const select = (s: Store) => ({
  pages: s.scenario.range.pages,
  selection: s.selection,
  cpuBrush: s.cpuBrush,
  request: requestBrushWord(s),
  setSelection: s.setSelection,
});

const VMA_CHOICES: { v: Prot | 'unmap'; label: string }[] = [
  { v: 'rw', label: 'read-write (rw)' },
  { v: 'r', label: 'read-only (r)' },
  { v: 'w', label: 'write-only (w)' },
  { v: '', label: 'PROT_NONE' },
  { v: 'unmap', label: 'no vma (unmapped)' },
];

const EXAMPLES = ['100-199', 'pages 3, 7, 11-20', 'every 4th page', 'every 2nd from 1 in 0-63'];

/**
 * Edits at scale: a selection of pages (typed, or Shift-click / Shift-drag on the stage) gets a
 * CPU state, a request or a mapping in one action, one undo step. The stage stays on the pages
 * it shows; a selection wholly out of view brings its first page into view.
 */
export function RangeEdit() {
  const p = useStore(useShallow(select));
  const id = useId();
  const [vma, setVma] = useState<Prot | 'unmap'>('r');
  const [done, setDone] = useState('');
  const parsed = p.selection.trim() ? parsePageSet(p.selection, p.pages) : null;
  const runs = parsed?.ok ? parsed.runs : null;

  const apply = (what: string, fn: Parameters<Store['edit']>[0]) => {
    if (!runs) return;
    const st = useStore.getState();
    const { start, count } = st.visible;
    st.edit(fn);
    // The view stays put while it shows any selected page; else it goes to the first one.
    const inView = runs.some(([a, b]) => a < start + count && b >= start);
    if (!inView) st.scrollTo(Math.max(0, runs[0][0] - 1));
    setDone(`${what} on ${parsed?.ok ? parsed.count : 0} pages (one undo step).`);
  };

  return (
    <fieldset className="range-edit">
      <legend>Edit many pages at once</legend>
      <label className="field grow">
        <span>Selected pages</span>
        <input
          value={p.selection}
          spellCheck={false}
          placeholder="100-199, every 4th page, ..."
          aria-invalid={parsed && !parsed.ok ? true : undefined}
          aria-describedby={`${id}-sel`}
          onChange={(e) => {
            p.setSelection(e.target.value);
            setDone('');
          }}
        />
      </label>
      <p className={parsed && !parsed.ok ? 'field-error' : 'help'} id={`${id}-sel`}>
        {parsed === null
          ? `Type pages (${EXAMPLES.join('; ')}) or Shift-click / Shift-drag on the stage.`
          : parsed.ok
            ? `${parsed.count} of ${p.pages} pages selected`
            : parsed.error}
      </p>
      <div className="range-actions">
        <button
          type="button"
          className="small-button"
          disabled={!runs}
          onClick={() => {
            const code = CPU_STATES.indexOf(p.cpuBrush);
            apply(`CPU pte set to ${p.cpuBrush}`, (s) => paintCpuRuns(s, runs!, code));
          }}
        >
          Set CPU pte to “{CPU_LOOK[p.cpuBrush].short}”
        </button>
        <button
          type="button"
          className="small-button"
          disabled={!runs}
          onClick={() =>
            apply(`pfns[i] input set to ${hexShort(p.request)}`, (s) => paintRequestRuns(s, runs!, p.request))
          }
        >
          Set pfns input to {hexShort(p.request)}
        </button>
        <span className="range-vma">
          <select
            aria-label="mapping for the selected pages"
            value={vma}
            onChange={(e) => setVma(e.target.value as Prot | 'unmap')}
          >
            {VMA_CHOICES.map((c) => (
              <option key={c.v} value={c.v}>
                {c.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="small-button"
            disabled={!runs}
            onClick={() =>
              apply(vma === 'unmap' ? 'Unmapped' : `vma set to ${vma || 'PROT_NONE'}`, (s) =>
                setVmaRuns(s, runs!, vma === 'unmap' ? null : { prot: vma }),
              )
            }
          >
            Set vma
          </button>
        </span>
      </div>
      <p className="help">The CPU state and the request come from the brushes above.</p>
      <p role="status" className="help range-done">
        {done}
      </p>
    </fieldset>
  );
}
