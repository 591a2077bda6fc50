import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { activeRun, countersAt, currentEvent } from '../../state/derived.ts';
import { eventText } from '../../engine/trace/text.ts';
import { eventKind } from '../stage/WalkBand.tsx';
import { count } from '../format.ts';
import { RunProgress } from './RunProgress.tsx';

const selectNarration = (s: Store) => {
  const run = activeRun(s.scenario, s.run, s.runScenario);
  return { run, cursor: s.cursor, runState: s.runState, problems: s.problems };
};

function idleText(runState: Store['runState'], problems: string[], total: number): string {
  // The editor lists every problem, but it may be scrolled elsewhere: say the first one here.
  if (problems.length)
    return `Cannot run yet: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more, see the editor)` : ''}`;
  if (runState === 'running') return 'Running the scenario in the engine…';
  if (runState === 'error') return 'The engine could not run this scenario.';
  return `Ready: ${total} steps. Press Play (or Space) to watch the driver call HMM, step by step.`;
}

/** One sentence per step, announced politely to screen readers, and the running counters. */
export function Narration() {
  const { run, cursor, runState, problems } = useStore(useShallow(selectNarration));
  const ev = currentEvent(run, cursor);
  const c = countersAt(run, cursor);
  const total = run?.result;
  const atEnd = !!run && cursor >= run.trace.length;
  return (
    <div className="narration-bar">
      <p
        className={`narration kind-${eventKind(ev)}`}
        role="status"
        aria-label="Narration"
        aria-atomic="true"
      >
        {ev ? (
          <>
            <span
              className="narration-step"
              aria-hidden="true"
              // As wide as the run's last step: the sentence does not shift as the number grows.
              style={{ minWidth: `${count(run ? run.trace.length : 0).length}ch` }}
            >
              {cursor}
            </span>
            {eventText(ev)}
          </>
        ) : (
          idleText(runState, problems, run ? run.trace.length : 0)
        )}
      </p>
      <RunProgress />
      <div className="counters">
        <Counter
          id="faults"
          label="handle_mm_fault calls"
          value={c.faults}
          of={total ? total.faults.length : null}
        />
        <Counter id="restarts" label="walk restarts" value={c.restarts} of={total ? total.restarts : null} />
        <Counter
          id="attempts"
          label="driver attempts"
          value={c.attempts}
          of={total ? total.attempts : null}
        />
        <div className="counter">
          <span className="counter-label" id="counter-ret">
            returned
          </span>
          <span
            role="status"
            aria-live="off"
            aria-labelledby="counter-ret"
            className={`counter-value ret ${c.errno ? 'is-error' : ''}`}
          >
            {c.ret === null ? '—' : c.errno ? `-${c.errno}` : c.ret}
          </span>
          {atEnd && total && total.status !== 'returned' && (
            <span className="counter-status">{total.status}</span>
          )}
        </div>
      </div>
    </div>
  );
}

function Counter({ id, label, value, of }: { id: string; label: string; value: number; of: number | null }) {
  return (
    <div className="counter">
      <span className="counter-label" id={`counter-${id}`}>
        {label}
      </span>
      {/* A status whose changes are not announced: the narration already says each step. */}
      {/* As wide as its total: the counters keep their width, and the narration beside them its
          lines, as the count gains a digit. */}
      <span
        role="status"
        aria-live="off"
        aria-labelledby={`counter-${id}`}
        className="counter-value"
        style={of !== null ? { minWidth: `${count(of).length}ch` } : undefined}
      >
        {count(value)}
      </span>
      {of !== null && <span className="counter-of">of {count(of)}</span>}
    </div>
  );
}
