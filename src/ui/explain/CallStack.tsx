import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { activeRun, currentEvent } from '../../state/derived.ts';

const WALK_TYPES = new Set(['walk', 'vma', 'hole', 'pmd', 'pte', 'fault']);

const select = (s: Store) => ({ run: activeRun(s.scenario, s.run, s.runScenario), cursor: s.cursor });

/** The kernel call stack at the cursor, outermost first. */
export function CallStack() {
  const { run, cursor } = useStore(useShallow(select));
  const ev = currentEvent(run, cursor);
  const frames = ev ? ev.stack.split(/\s*>\s*/).filter(Boolean) : [];
  // A walk step's own function is the innermost frame, whether or not the stack lists it yet.
  if (ev && WALK_TYPES.has(ev.type) && frames[frames.length - 1] !== ev.fn) frames.push(ev.fn);
  return (
    <section className="panel callstack" aria-labelledby="callstack-title">
      <h3 id="callstack-title">Call stack</h3>
      {frames.length ? (
        <ol className="frames">
          {frames.map((f, i) => (
            <li
              key={i}
              className={i === frames.length - 1 ? 'top' : undefined}
              style={{ '--depth': i } as React.CSSProperties}
            >
              <code>{f}</code>
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">Not started: the driver has not called HMM yet.</p>
      )}
      {ev && <p className="attempt muted">driver attempt {ev.attempt}</p>}
    </section>
  );
}
