import { memo, useLayoutEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { activeRun } from '../../state/derived.ts';
import type { TraceEvent } from '../../engine/types.ts';
import { eventText } from '../../engine/trace/text.ts';
import { eventKind, eventLabel } from '../stage/WalkBand.tsx';
import { refreshTip, showTip } from '../tips.ts';

const select = (s: Store) => ({
  run: activeRun(s.scenario, s.run, s.runScenario),
  cursor: s.cursor,
  setCursor: s.setCursor,
});

/**
 * How many steps before / after the cursor the log lists. A trace has thousands of steps, so the
 * log is a fixed window that moves with the cursor instead of a scrolled list: nothing is
 * measured or scrolled on a step, which keeps each step cheap for the main thread.
 */
const BEFORE = 11;
const AFTER = 3;

/**
 * One row of the log, keyed by its step and placed at its step's place in the trace by a transform
 * that never changes (global.css: the rows have one height); the list moves by its own transform
 * to the window's first step. A step adds one row and removes one, restyles the two whose
 * `current` and `future` change, and moves the list: the other rows keep their props (no render)
 * and their style. Keyed by place, a step changed the three texts of every row: fifteen rows laid
 * out and repainted on every step; each moved by a transform of its own, fifteen rows rendered
 * and restyled. A scrub's jump replaces the rows, as it changed all their texts before.
 */
const LogItem = memo(function LogItem({
  i,
  e,
  future,
  current,
  setCursor,
}: {
  i: number;
  e: TraceEvent;
  future: boolean;
  current: boolean;
  setCursor: (c: number) => void;
}) {
  const text = eventText(e);
  return (
    <li
      className={`log-item kind-${eventKind(e)} ${future ? 'future' : ''}`}
      aria-current={current ? 'step' : undefined}
      style={{ transform: `translateY(${i * 100}%)` }}
    >
      <button type="button" onClick={() => setCursor(i + 1)} data-tip={text}>
        <span className="log-n">{i + 1}</span>
        <span className="log-fn">{eventLabel(e)}</span>
        <span className="log-text">{text}</span>
      </button>
    </li>
  );
});

/** The steps around the cursor; each jumps the player to itself. */
export function EventLog() {
  const { run, cursor, setCursor } = useStore(useShallow(select));
  const total = run ? run.trace.length : 0;
  const to = Math.min(total, Math.max(cursor, 1) + AFTER);
  const from = Math.max(0, to - BEFORE - AFTER - 1);
  // The row under the pointer keeps its tooltip current as the rows' texts change (tips.ts).
  useLayoutEffect(refreshTip);

  return (
    <section className="panel log-panel" aria-labelledby="log-title">
      <h3 id="log-title">
        Event log <span className="muted">{total ? `steps ${from + 1}–${to} of ${total}` : ''}</span>
      </h3>
      <div className="log-window" style={{ '--rows': to - from } as React.CSSProperties}>
        <ol
          className="log"
          start={from + 1}
          style={{ transform: `translateY(calc(${-from} * var(--log-row)))` }}
          onPointerOver={(e) => showTip(e.target)}
          onFocus={(e) => showTip(e.target)}
        >
          {run?.trace.slice(from, to).map((e, k) => {
            const i = from + k; // event index; the cursor after it is i + 1
            return (
              <LogItem
                key={i}
                i={i}
                e={e}
                future={i + 1 > cursor}
                current={i + 1 === cursor}
                setCursor={setCursor}
              />
            );
          })}
        </ol>
      </div>
    </section>
  );
}
