import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { activeRun, currentEvent } from '../../state/derived.ts';
import type { Run, TraceEvent } from '../../engine/types.ts';

const WALK_TYPES = new Set(['walk', 'vma', 'hole', 'pmd', 'pte', 'fault']);

const select = (s: Store) => ({ run: activeRun(s.scenario, s.run, s.runScenario), cursor: s.cursor });

/** The frames of a step's stack, outermost first. */
function framesOf(ev: TraceEvent, split = splitStack): string[] {
  const frames = [...split(ev.stack)];
  // A walk step's own function is the innermost frame, whether or not the stack lists it yet.
  if (WALK_TYPES.has(ev.type) && frames[frames.length - 1] !== ev.fn) frames.push(ev.fn);
  return frames;
}

function splitStack(stack: string): readonly string[] {
  return stack.split(/\s*>\s*/).filter(Boolean);
}

/**
 * The deepest stack of a run, in frames. A run's events share a few dozen stacks (one string
 * each, from the worker's table): each is split once, not once per event.
 */
function deepest(run: Run | null): number {
  const split = new Map<string, readonly string[]>();
  const once = (stack: string) => {
    let f = split.get(stack);
    if (!f) split.set(stack, (f = splitStack(stack)));
    return f;
  };
  let most = 0;
  for (const ev of run?.trace ?? []) most = Math.max(most, framesOf(ev, once).length);
  return most;
}

/**
 * The kernel call stack at the cursor, outermost first. The list keeps the height of the run's
 * deepest stack (rows kept empty and hidden under a shallower one): a stack that grows and
 * shrinks from step to step moved the event log under it, which laid out and repainted it all.
 */
export function CallStack() {
  const { run, cursor } = useStore(useShallow(select));
  const ev = currentEvent(run, cursor);
  const frames = ev ? framesOf(ev) : [];
  const depth = useMemo(() => deepest(run), [run]);
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
          {Array.from({ length: Math.max(0, depth - frames.length) }, (_, k) => (
            <li key={frames.length + k} className="frame-room" aria-hidden="true">
              <code>{'\u00a0'}</code>
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
