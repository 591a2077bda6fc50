import type { ReactNode } from 'react';
import type { Scenario, TraceEvent } from '../../engine/types.ts';
import { lockLaneAt } from '../../state/lockLane.ts';
import type { LaneCheck, LockLaneState } from '../../state/lockLane.ts';
import { cx } from '../hooks.ts';

const pages = (from: number, to: number) => (to - from === 1 ? `page ${from}` : `pages ${from}-${to - 1}`);

/**
 * Whether the lane belongs on the stage: the scenario has CPU-side events racing the driver, or
 * its run has a fault that dropped mmap_lock. Decided before the run arrives where it can be (a
 * lane appearing with the run would shift the stage under the reader), and not for a run with
 * the driver alone, where it would only repeat "held, then free" and take a row from a 720p
 * projector. What the lane shows always comes from the trace.
 */
export function showsLocks(scenario: Scenario, trace: readonly TraceEvent[] | null): boolean {
  if (scenario.concurrent.length > 0) return true;
  if (!trace) return false;
  let m = drops.get(trace);
  if (m === undefined) {
    m = trace.some((e) => e.type === 'lock' && e.fn === 'fault_dropped_lock');
    drops.set(trace, m);
  }
  return m;
}
const drops = new WeakMap<readonly TraceEvent[], boolean>();

/** When nothing needs explaining at this step: what the holder means for the CPU side. */
function standing(s: LockLaneState): string {
  return s.holder === 'driver'
    ? `While the driver holds ${s.lockName}, munmap, mprotect and fork wait for it; reclaim, MADV_PAGEOUT and invalidations do not.`
    : `Nobody holds ${s.lockName}: any CPU-side op can run.`;
}

function holderText(s: LockLaneState): string {
  if (s.holder === 'driver') return 'held for read by the driver';
  if (s.lastLockFn === 'fault_dropped_lock') return 'free: the fault dropped it';
  return 'free';
}

function checkItem(c: LaneCheck): { label: ReactNode; value: string; alert: boolean } {
  if (c.kind === 'valid')
    return {
      label: <code>range-&gt;valid</code>,
      value:
        c.valid === null
          ? 'no range registered yet'
          : `${c.valid}${c.since ? ` (${c.since === 1 ? 'an invalidation' : `${c.since} invalidations`} came and went)` : ''}`,
      alert: c.valid === false,
    };
  if (c.notifierSeq === null)
    return { label: <code>notifier_seq</code>, value: 'not read yet', alert: false };
  const moved = c.interval !== c.notifierSeq;
  return {
    label: <code>notifier_seq</code>,
    value: `${c.notifierSeq}, interval at ${c.interval}: ${moved ? 'moved on, the driver must retry' : 'in step'}`,
    alert: moved,
  };
}

/**
 * The locks as actors, above the stage's rows: who holds mmap_lock (v5.2: mmap_sem) and who waits
 * for it, the driver's own lock, and what the driver will find when it checks for invalidations;
 * then why, in one sentence. Every state is said in words; the colour only repeats it.
 */
export function LockLane({
  trace,
  cursor,
  why = true,
  label = 'Locks',
}: {
  trace: readonly TraceEvent[];
  cursor: number;
  /** The sentence under the items (presenting, the large narration says it). */
  why?: boolean;
  /** The region's name (unique on the page). */
  label?: string;
}) {
  const s = lockLaneAt(trace, cursor);
  const check = checkItem(s.check);
  return (
    <section className={cx('lock-lane', !why && 'is-bare')} aria-label={label}>
      <ul className="lock-items">
        <li className={cx('lock-item', s.holder === 'driver' && 'is-held')}>
          <span className="lock-label">
            <code>{s.lockName}</code>
          </span>{' '}
          <span className="lock-value">{holderText(s)}</span>
        </li>
        {s.waiting.length > 0 && (
          <li className="lock-item is-waiting">
            <span className="lock-label">waiting for write</span>{' '}
            <span className="lock-value">
              {s.waiting.map((w) => `${w.op} (${pages(w.from, w.to)})`).join(', ')}
            </span>
          </li>
        )}
        <li className={cx('lock-item', s.driverLock && 'is-held')}>
          <span className="lock-label">driver lock</span>{' '}
          <span className="lock-value">{s.driverLock ? 'held by the driver' : 'free'}</span>
        </li>
        <li className={cx('lock-item', check.alert && 'is-stale')}>
          <span className="lock-label">{check.label}</span> <span className="lock-value">{check.value}</span>
        </li>
      </ul>
      {why && <p className="lock-why">{s.why ?? standing(s)}</p>}
    </section>
  );
}
