import { useShallow } from 'zustand/react/shallow';
import { whenItRuns } from '../../engine/driver/mmap-lock.ts';
import { CONCURRENT_AT, CONCURRENT_OPS, LASTING_OPS } from '../../engine/scenario/vocabulary.ts';
import type { ConcurrentAt, ConcurrentEvent, ConcurrentOp } from '../../engine/types.ts';
import { addConcurrent, removeConcurrent, updateConcurrent } from '../../state/edits.ts';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { Icon } from '../chrome/Icon.tsx';

/** Every op and moment the format has (scenario-format.md), in the format's own names. */
const OP_LABEL: Record<ConcurrentOp, string> = {
  munmap: 'munmap',
  'mprotect-ro': 'mprotect read-only',
  'mprotect-none': 'mprotect PROT_NONE',
  'swap-out': 'swap-out (reclaim)',
  'madv-pageout': 'madv-pageout (MADV_PAGEOUT)',
  'migrate-to-device': 'migrate-to-device',
  fork: 'fork',
  invalidate: 'invalidate (bare)',
  sigkill: 'sigkill (fatal signal)',
};
const AT_LABEL: Record<ConcurrentAt, string> = {
  'before-call': 'before the call',
  'after-fault': 'after fault n',
  'before-program': 'before programming',
  'after-program': 'after programming',
};

const select = (s: Store) => ({
  events: s.scenario.concurrent,
  pages: s.scenario.range.pages,
  kernel: s.scenario.kernel,
  call: s.scenario.call,
  edit: s.edit,
});

/** CPU-side events racing the driver, and the invalidations they cause. */
export function ConcurrentSection() {
  const { events, pages, kernel, call, edit } = useStore(useShallow(select));
  const upd = (i: number, patch: Partial<ConcurrentEvent>) =>
    edit((s) => updateConcurrent(s, i, patch), `conc-${i}-${Object.keys(patch)[0]}`);
  return (
    <div className="section-body">
      {events.length === 0 && <p className="help">Nothing else happens on the CPU during the call.</p>}
      <ul className="cards">
        {events.map((e, i) => (
          <li key={i} className="card">
            <div className="card-head">
              <strong>event {i + 1}</strong>
              <button
                type="button"
                className="icon-button small"
                aria-label={`Remove concurrent event ${i + 1}`}
                onClick={() => edit((s) => removeConcurrent(s, i))}
              >
                <Icon name="trash" size={16} />
              </button>
            </div>
            <div className="field-row">
              <label className="field">
                <span>what</span>
                <select
                  aria-label={`event ${i + 1} what`}
                  aria-describedby={`conc-${i}-when-runs`}
                  value={e.op}
                  onChange={(ev) => {
                    const op = ev.target.value as ConcurrentOp;
                    // "lasts" is only for ops that need no mmap write lock: drop it with the op.
                    upd(i, LASTING_OPS.includes(op) ? { op } : { op, lasts: false });
                  }}
                >
                  {CONCURRENT_OPS.map((o) => (
                    <option key={o} value={o}>
                      {OP_LABEL[o]}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>when</span>
                <select
                  aria-label={`event ${i + 1} when`}
                  aria-describedby={`conc-${i}-when-runs`}
                  value={e.at}
                  onChange={(ev) => upd(i, { at: ev.target.value as ConcurrentAt })}
                >
                  {CONCURRENT_AT.map((a) => (
                    <option key={a} value={a}>
                      {AT_LABEL[a]}
                    </option>
                  ))}
                </select>
              </label>
              {e.at === 'after-fault' && (
                <label className="field narrow">
                  <span>n</span>
                  <input
                    aria-label={`event ${i + 1} n`}
                    type="number"
                    min={1}
                    value={e.n}
                    onChange={(ev) => upd(i, { n: Math.max(1, Number(ev.target.value)) })}
                  />
                </label>
              )}
            </div>
            <div className="field-row">
              <label className="field">
                <span>from page</span>
                <input
                  aria-label={`event ${i + 1} from page`}
                  type="number"
                  min={0}
                  max={pages - 1}
                  value={e.from}
                  onChange={(ev) => upd(i, { from: Number(ev.target.value) })}
                />
              </label>
              <label className="field">
                <span>to page</span>
                <input
                  aria-label={`event ${i + 1} to page`}
                  type="number"
                  min={0}
                  max={pages - 1}
                  value={e.to}
                  onChange={(ev) => upd(i, { to: Number(ev.target.value) })}
                />
              </label>
            </div>
            <label className="check">
              <input
                type="checkbox"
                checked={e.repeat}
                onChange={(ev) => upd(i, { repeat: ev.target.checked })}
              />
              <span>
                repeat in every {(call as string) === 'hmm_range_fault_unlocked_timeout' ? 'pass' : 'attempt'}
              </span>
            </label>
            {LASTING_OPS.includes(e.op) && (
              <label className="check">
                <input
                  type="checkbox"
                  checked={e.lasts}
                  aria-describedby={`conc-${i}-when-runs`}
                  onChange={(ev) => upd(i, { lasts: ev.target.checked })}
                />
                <span>lasts until the driver waits</span>
              </label>
            )}
            {/* When it really runs: the lock model's rule for this kernel and call (10.5). */}
            <p className="help when-runs" id={`conc-${i}-when-runs`}>
              {whenItRuns({ kernel, call }, e)}
            </p>
          </li>
        ))}
      </ul>
      <button type="button" className="small-button" onClick={() => edit(addConcurrent)}>
        <Icon name="plus" size={14} /> Add CPU event
      </button>
    </div>
  );
}
