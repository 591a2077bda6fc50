import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { activeRun } from '../../state/derived.ts';
import { eventKind, eventLabel } from '../stage/WalkBand.tsx';

const select = (s: Store) => ({
  run: activeRun(s.scenario, s.run, s.runScenario),
  cursor: s.cursor,
  setCursor: s.setCursor,
});

/** How many steps before / after the cursor the log lists (a trace can have thousands). */
const BEFORE = 60;
const AFTER = 12;

/** The steps around the cursor; each jumps the player to itself. */
export function EventLog() {
  const { run, cursor, setCursor } = useStore(useShallow(select));
  const box = useRef<HTMLOListElement>(null);
  const total = run ? run.trace.length : 0;
  const from = Math.max(0, cursor - BEFORE);
  const to = Math.min(total, cursor + AFTER);

  useEffect(() => {
    const c = box.current;
    const el = c?.querySelector<HTMLElement>('[aria-current="step"]');
    if (!c || !el) return;
    c.scrollTop = el.offsetTop - c.clientHeight / 2;
  }, [cursor]);

  return (
    <section className="panel log-panel" aria-labelledby="log-title">
      <h3 id="log-title">
        Event log <span className="muted">{total ? `${total} steps` : ''}</span>
      </h3>
      <ol className="log" ref={box} start={from + 1}>
        {run?.trace.slice(from, to).map((e, k) => {
          const i = from + k; // event index; the cursor after it is i + 1
          return (
            <li
              key={i}
              className={`log-item kind-${eventKind(e)} ${i + 1 > cursor ? 'future' : ''}`}
              aria-current={i + 1 === cursor ? 'step' : undefined}
            >
              <button type="button" onClick={() => setCursor(i + 1)} title={e.stack}>
                <span className="log-n">{i + 1}</span>
                <span className="log-fn">{eventLabel(e)}</span>
                <span className="log-text">{e.text}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
