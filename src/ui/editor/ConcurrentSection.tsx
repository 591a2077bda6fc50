import { useShallow } from 'zustand/react/shallow';
import type { ConcurrentEvent, ConcurrentOp } from '../../engine/types.ts';
import { addConcurrent, removeConcurrent, updateConcurrent } from '../../state/edits.ts';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { Icon } from '../chrome/Icon.tsx';

const OPS: ConcurrentOp[] = [
  'munmap',
  'mprotect-ro',
  'mprotect-none',
  'swap-out',
  'migrate-to-device',
  'fork',
  'invalidate',
];
const ATS: { v: ConcurrentEvent['at']; label: string }[] = [
  { v: 'before-call', label: 'before the call' },
  { v: 'after-fault', label: 'after fault n' },
  { v: 'before-program', label: 'before programming' },
];

const select = (s: Store) => ({ events: s.scenario.concurrent, pages: s.scenario.range.pages, edit: s.edit });

/** CPU-side events racing the driver, and the invalidations they cause. */
export function ConcurrentSection() {
  const { events, pages, edit } = useStore(useShallow(select));
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
                  value={e.op}
                  onChange={(ev) => upd(i, { op: ev.target.value as ConcurrentOp })}
                >
                  {OPS.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>when</span>
                <select
                  aria-label={`event ${i + 1} when`}
                  value={e.at}
                  onChange={(ev) => upd(i, { at: ev.target.value as ConcurrentEvent['at'] })}
                >
                  {ATS.map((a) => (
                    <option key={a.v} value={a.v}>
                      {a.label}
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
          </li>
        ))}
      </ul>
      <button type="button" className="small-button" onClick={() => edit(addConcurrent)}>
        <Icon name="plus" size={14} /> Add CPU event
      </button>
    </div>
  );
}
