import type { ConcurrentOp, TraceEvent } from '../engine/types.ts';

/**
 * The locks as actors (DESIGN.md "Locks are actors"; hmm-semantics.md 10.5 and 3.A/3.B): who holds
 * mmap_lock, which CPU-side ops wait for it, whether the driver holds its own lock, and what the
 * driver will find when it checks for invalidations (notifier_seq against the interval's sequence;
 * v5.2: range->valid). A pure fold of the trace up to the cursor: it reads only the events the
 * engine recorded, never the scenario, so every view that has a run can show it.
 */

/** A write-locked op issued while the driver side held mmap_lock, not run yet. */
export interface WaitingOp {
  op: ConcurrentOp;
  /** Pages [from, to) relative to range.start. */
  from: number;
  to: number;
}

/** What the driver will find at its check: the 5.8+ sequence, or v5.2's range->valid. */
export type LaneCheck =
  | {
      kind: 'sequence';
      /** What mmu_interval_read_begin() returned for this attempt (null before the first). */
      notifierSeq: number | null;
      /** The interval's own sequence now: it moves on with every invalidation the driver takes. */
      interval: number;
      /** Invalidations the driver took since read_begin (the interval moved on this many times). */
      since: number;
    }
  | {
      kind: 'valid';
      /** range->valid as the driver would read it now (null before hmm_range_register). */
      valid: boolean | null;
      /** Invalidations that came and went since hmm_range_register: valid was false only inside them. */
      since: number;
    };

export interface LockLaneState {
  /** The kernel's name for the lock: mmap_sem in v5.2, mmap_lock since 5.8. */
  lockName: 'mmap_lock' | 'mmap_sem';
  /** Who holds mmap_lock for read now: the driver side (around the call; v5.2 until it programmed), or nobody. */
  holder: 'driver' | null;
  /** How the holder last changed: the kernel call that took or released it (null: not yet). */
  lastLockFn: Extract<TraceEvent, { type: 'lock' }>['fn'] | null;
  /** Write-locked ops waiting for mmap_lock, in issue order. */
  waiting: WaitingOp[];
  /** The driver's own lock (the one its invalidate callback takes). */
  driverLock: boolean;
  check: LaneCheck;
  /** One sentence on why things stand as they do at this step (an op waits, the driver retries), or null. */
  why: string | null;
}

function generation(trace: readonly TraceEvent[]): { lockName: LockLaneState['lockName']; valid: boolean } {
  for (const e of trace) {
    if (e.type === 'lock')
      return {
        lockName: e.fn === 'down_read' || e.fn === 'up_read' ? 'mmap_sem' : 'mmap_lock',
        valid: e.fn === 'down_read' || e.fn === 'up_read',
      };
    if (e.type === 'driver' && (e.fn === 'hmm_range_register' || e.fn === 'hmm_range_wait_until_valid'))
      return { lockName: 'mmap_sem', valid: true };
    if (e.type === 'driver' && e.fn === 'mmu_interval_read_begin')
      return { lockName: 'mmap_lock', valid: false };
  }
  return { lockName: 'mmap_lock', valid: false };
}

const pages = (from: number, to: number) => (to - from === 1 ? `page ${from}` : `pages ${from}-${to - 1}`);

/** The state before any event of a run with this trace. */
export function initialLane(trace: readonly TraceEvent[]): LockLaneState {
  const g = generation(trace);
  return {
    lockName: g.lockName,
    holder: null,
    lastLockFn: null,
    waiting: [],
    driverLock: false,
    check: g.valid
      ? { kind: 'valid', valid: null, since: 0 }
      : { kind: 'sequence', notifierSeq: null, interval: 0, since: 0 },
    why: null,
  };
}

/** The lane after one more event. */
export function stepLane(s: LockLaneState, e: TraceEvent): LockLaneState {
  const name = s.lockName;
  let next: LockLaneState = { ...s, why: null };
  switch (e.type) {
    case 'lock':
      next = { ...next, holder: e.holder, lastLockFn: e.fn };
      if (e.holder === null && s.waiting.length)
        next.why =
          e.fn === 'fault_dropped_lock'
            ? `The fault dropped ${name}: the waiting ${s.waiting.map((w) => w.op).join(', ')} can run now.`
            : `The driver released ${name}: the waiting ${s.waiting.map((w) => w.op).join(', ')} runs before anyone takes it again.`;
      break;
    case 'concurrent':
      if (e.phase === 'waits') {
        next.waiting = [...s.waiting, { op: e.fn, from: e.from, to: e.to }];
      } else if (e.waited) {
        const i = s.waiting.findIndex((w) => w.op === e.fn && w.from === e.from && w.to === e.to);
        next.waiting = i < 0 ? s.waiting : [...s.waiting.slice(0, i), ...s.waiting.slice(i + 1)];
        next.why = `${e.fn} of ${pages(e.from, e.to)} runs now: nobody holds ${name} any more.`;
      }
      break;
    case 'driver':
      if (e.fn === 'driver_lock') next.driverLock = true;
      else if (e.fn === 'mmu_interval_read_begin' && typeof e.value === 'number')
        next.check = { kind: 'sequence', notifierSeq: e.value, interval: e.value, since: 0 };
      else if (e.fn === 'hmm_range_register' && typeof e.value === 'boolean')
        next.check = { kind: 'valid', valid: e.value, since: 0 };
      else if (e.fn === 'mmu_interval_read_retry' && e.value === true) {
        // "unlock and retry": the driver drops its lock before read_begin again.
        next.driverLock = false;
        if (s.check.kind === 'sequence')
          next.why = `notifier_seq is ${s.check.notifierSeq}, the interval is at ${s.check.interval}: an invalidation ran since read_begin, so the driver retries.`;
      } else if (e.fn === 'hmm_range_valid') {
        if (s.check.kind === 'valid') {
          next.check = { ...s.check, valid: e.value === true };
          // An invalidation that started and ended since the walk left no trace in range->valid.
          if (e.value === true && s.check.since > 0)
            next.why = `range->valid is true again: the ${s.check.since === 1 ? 'invalidation' : `${s.check.since} invalidations`} since hmm_range_register came and went, so the driver cannot tell (the race 5.5's sequence numbers closed).`;
        }
        if (e.value === false) next.driverLock = false;
      }
      break;
    case 'invalidate':
      if (e.ignored) break;
      if (e.seq !== undefined) {
        // 5.8+: the event carries the interval's sequence as the driver's callback set it.
        if (s.check.kind === 'sequence')
          next.check = { ...s.check, interval: e.seq, since: s.check.since + 1 };
      } else if (s.check.kind === 'valid') {
        // v5.2: valid goes false when the invalidation starts and true again when it ends.
        next.check = { ...s.check, since: s.check.since + 1 };
      }
      break;
    case 'program':
      // The driver programs the device and releases its lock (hmm.rst; test_hmm).
      next.driverLock = false;
      break;
  }
  if (next.why === null && next.waiting.length && next.holder === 'driver') {
    const w = next.waiting[0];
    next.why = `${w.op} of ${pages(w.from, w.to)} waits: it needs ${name} for write, and the driver holds it for read.`;
  }
  return next;
}

const memo = new WeakMap<readonly TraceEvent[], { cursor: number; state: LockLaneState }>();

/**
 * The lane after the first `cursor` events (0: before the run). Folds on from the last cursor
 * asked of the same trace when it can, so playing forward costs one step per frame.
 */
export function lockLaneAt(trace: readonly TraceEvent[], cursor: number): LockLaneState {
  const end = Math.max(0, Math.min(cursor, trace.length));
  const m = memo.get(trace);
  let state = m && m.cursor <= end ? m.state : initialLane(trace);
  for (let i = m && m.cursor <= end ? m.cursor : 0; i < end; i++) state = stepLane(state, trace[i]);
  memo.set(trace, { cursor: end, state });
  return state;
}
