/** What the driver loops share with the run around them. */
import type { WalkEnv } from '../hmm/env.ts';
import type { Mm } from '../mm/mm.ts';
import { ERR } from '../hmm/words.ts';
import type { Recorder } from '../trace/recorder.ts';
import type { Statement } from '../statements.ts';
import type { CallName, ConcurrentAt, LockEvent, MmapLockHolder, Say, Scenario } from '../types.ts';
import type { DevicePageTable } from './device.ts';

export interface DriverContext {
  scenario: Scenario;
  mm: Mm;
  rec: Recorder;
  env: WalkEnv;
  device: DevicePageTable;
  startVpn: number;
  /** The driver attempt in progress (1-based). */
  attempt: number;
  /**
   * The pass of 7.3's hmm_range_fault_unlocked_timeout() in progress (1-based; 0 for the other
   * calls): a repeating event is issued once per attempt and pass.
   */
  pass: number;
  /**
   * Issue the concurrent events due at this moment (each once, or once per attempt when it
   * repeats). One that needs mmap_lock for write while the driver side holds it waits for
   * releaseMmapLock().
   */
  fire(at: ConcurrentAt): void;
  /** The kernel's name for the lock in sentences: mmap_sem in the 2019 API, mmap_lock since 5.8. */
  lockName: 'mmap_sem' | 'mmap_lock';
  /** The lock's name as the sentences of CPU events take it (one object for the run). */
  say: Say;
  /** Who holds mmap_lock (for read) now. */
  mmapLock: MmapLockHolder;
  /**
   * The driver side takes mmap_lock for read (`fn` is the kernel's name for the call; with
   * `stmt`, the event's sentence is known: trace/text.ts).
   */
  takeMmapLock(fn: LockEvent['fn'], stmt?: Statement): void;
  /**
   * The driver side's read lock is released: the writers waiting for it run now, in order. `say`:
   * what the event's sentence needs besides `fn` and `stmt`.
   */
  releaseMmapLock(fn: LockEvent['fn'], stmt?: Statement, say?: Say): void;
  /**
   * The driver waits for the invalidations in progress (a `"lasts"` event's) to end: they end
   * now, traced as a step of `fn`. False when none was in progress (nothing traced).
   */
  endInvalidations(
    fn: 'hmm_range_wait_until_valid' | 'mmu_interval_read_begin' | 'mmu_notifier_invalidate_range_end',
    stmt?: Statement,
  ): boolean;
  /** The HMM call returned: record it (its return, its walks) and say so in the trace. */
  emitReturn(fn: CallName, ret: number): void;
  /**
   * The driver programmed the device: from a single bare call's result or at the end of its loop,
   * with the 2019 API's range->pfns ("-v52") or hmm_pfns.
   */
  emitProgram(how: 'bare' | 'loop' | 'bare-v52' | 'loop-v52'): void;
}

/** The explorer's bound on driver attempts (the kernel's drivers loop while -EBUSY). */
export const MAX_ATTEMPTS = 16;

/**
 * The driver gives up once it has used its attempts: -EBUSY. Every driver loop calls this at the
 * top of an attempt; it returns the outcome when the bound is passed, else null.
 */
export function giveUpAfterMaxAttempts(
  ctx: DriverContext,
  attempt: number,
  stmt: Statement,
): DriverOutcome | null {
  if (attempt <= MAX_ATTEMPTS) return null;
  ctx.rec.emit({
    type: 'driver',
    stmt,
    fn: 'give_up',
    value: null,
    say: { k: 'attempts', n: MAX_ATTEMPTS },
  });
  return { ret: ERR.EBUSY, attempts: MAX_ATTEMPTS };
}

export interface DriverOutcome {
  /** The last call's return value. */
  ret: number;
  attempts: number;
}

/**
 * The end of a single bare call (`"driverLoop": false`): a driver programs the device only from a
 * call that succeeded (`failed` says what failure is for the generation's call), never from what a
 * failed call left in the array.
 */
export function endBareCall(
  ctx: DriverContext,
  ret: number,
  attempts: number,
  failed: boolean,
  program: () => void,
  programmed: 'bare' | 'bare-v52',
  /** v5.2: the driver's up_read once it is done (it held mmap_sem across the programming). */
  release?: () => void,
): DriverOutcome {
  if (failed) {
    ctx.rec.emit({
      type: 'driver',
      stmt: 'drv.give_up',
      fn: 'give_up',
      value: null,
      say: { k: 'bare' },
    });
    release?.();
    return { ret, attempts };
  }
  ctx.fire('before-program');
  program();
  ctx.emitProgram(programmed);
  release?.();
  ctx.fire('after-program');
  return { ret, attempts };
}
