/**
 * Linux 7.3's hmm_range_fault_unlocked_timeout(range, timeout) (mm/hmm.c at 121170831228,
 * hmm-semantics.md 10.3) and the driver loop around it (Documentation/mm/hmm.rst's usage pattern,
 * lib/test_hmm.c dmirror_range_fault_unlocked; T2, T5).
 *
 * The call takes mmap_lock itself, once per pass: mmu_interval_read_begin(), then
 * mmap_read_lock_killable(), the retry-budget check, and hmm_range_fault_locked() walking from
 * range->start. A fault may drop the lock (userfaultfd): the pass ends, the waiting writers run,
 * and the next pass starts from range->start again. The driver does not take mmap_lock at all,
 * and an -EBUSY from the call is final (the call already retried within its budget).
 */
import type { ModernHmm, PfnLayout } from '../kernels/generation.ts';
import { Livelock, walkBudget } from '../hmm/env.ts';
import { hmmRangeFaultLocked, V6 } from '../hmm/modern.ts';
import { ERR } from '../hmm/words.ts';
import { endBareCall, giveUpAfterMaxAttempts, type DriverContext, type DriverOutcome } from './context.ts';
import { IntervalNotifier, waitForInvalidations } from './loop-modern.ts';

const CALL = 'hmm_range_fault_unlocked_timeout';

/**
 * The engine's clock for the retry budget [sim]: jiffies advance by one per pass that ends -EBUSY
 * without a lock drop (an invalidation seen by mmu_interval_check_retry); waiting for a lock or
 * for the userfaultfd handler costs nothing (scenario-format.md, "timeout").
 */
interface Clock {
  jiffies: number;
}

/** dmirror_range_fault_unlocked(): the driver loop of the unlocked call. */
export function runDriverUnlocked(ctx: DriverContext, layout: PfnLayout, model: ModernHmm): DriverOutcome {
  const { rec, env, scenario } = ctx;
  const sub = new IntervalNotifier(ctx);
  ctx.mm.notifier.subscribe(sub);
  // range.notifier_seq: refreshed by the call in every pass, read by the driver afterwards.
  const range = { notifierSeq: 0 };
  env.invalidated = () => sub.seq !== range.notifierSeq;
  const clock: Clock = { jiffies: 0 };
  const program = () => ctx.device.programFromHighBits(env.w, env.written, V6.VALID, V6.WRITE);

  rec.push('dmirror_range_fault_unlocked');
  try {
    for (let attempt = 1; ; attempt++) {
      const out = giveUpAfterMaxAttempts(ctx, attempt, 'drv.give_up');
      if (out) return out;
      rec.attempt = attempt;
      ctx.attempt = attempt;
      ctx.pass = 0;
      rec.emit({
        type: 'call',
        stmt: 'drv.call',
        fn: CALL,
        say: { timeout: scenario.timeout },
      });
      const ret = unlockedTimeout(ctx, layout, model, sub, range, clock);
      ctx.emitReturn(CALL, ret);
      rec.stampLast('return');
      if (!scenario.driverLoop) return endBareCall(ctx, ret, attempt, ret !== 0, program, 'bare');
      if (ret) {
        rec.emit({
          type: 'driver',
          stmt: 'drv.give_up',
          fn: 'give_up',
          value: null,
          say: { k: ret === ERR.EBUSY ? 'busy' : 'unlocked' },
        });
        return { ret, attempts: attempt };
      }
      ctx.fire('before-program');
      rec.emit({
        type: 'driver',
        stmt: 'drv.driver_lock',
        fn: 'driver_lock',
        value: null,
      });
      const stale = sub.seq !== range.notifierSeq;
      rec.emit({
        type: 'driver',
        stmt: 'drv.mmu_interval_read_retry',
        fn: 'mmu_interval_read_retry',
        value: stale,
        say: { unlocked: true },
      });
      if (stale) continue;
      program();
      ctx.emitProgram('loop');
      ctx.fire('after-program');
      return { ret, attempts: attempt };
    }
  } finally {
    rec.pop();
  }
}

/**
 * hmm_range_fault_unlocked_timeout(range, timeout): 0 or -errno. Passes are bounded: a range
 * invalidated before every pass with timeout 0 loops for ever in the kernel, a livelock here.
 */
function unlockedTimeout(
  ctx: DriverContext,
  layout: PfnLayout,
  model: ModernHmm,
  sub: IntervalNotifier,
  range: { notifierSeq: number },
  clock: Clock,
): number {
  const { rec, env, scenario } = ctx;
  const timeout = scenario.timeout;
  const maxPasses = walkBudget(env.npages);
  const locked = { value: false };
  let deadline = 0;
  let ret: number;
  rec.push(CALL);
  try {
    do {
      ctx.pass++;
      if (ctx.pass > maxPasses)
        throw new Livelock(
          `hmm_range_fault_unlocked_timeout() made ${maxPasses} passes without a stable range; with timeout 0 it retries for ever`,
        );
      // The deadline starts on the first pass and again after every lock drop ("the fault
      // handler made progress"); an invalidation's -EBUSY keeps it.
      const fresh = timeout !== 0 && !locked.value;
      if (fresh) deadline = clock.jiffies + timeout;
      // mmu_interval_read_begin() sleeps while an invalidation of the interval is in progress
      // (a "lasts" event): it ends first. A sleep costs no jiffy in the model.
      waitForInvalidations(ctx);
      range.notifierSeq = sub.seq;
      rec.emit({
        type: 'driver',
        stmt: 'drv.mmu_interval_read_begin',
        fn: 'mmu_interval_read_begin',
        value: range.notifierSeq,
        say: timeout ? { pass: ctx.pass, jiffies: clock.jiffies, deadline, fresh } : { pass: ctx.pass },
      });
      ctx.fire('before-call');
      // An uncontended down_read_killable() takes the rwsem on its fast path without looking
      // at signals; in this model the lock is never contended here (waiting writers ran at the
      // last release), so it never returns -EINTR.
      ctx.takeMmapLock('mmap_read_lock_killable');
      if (timeout && clock.jiffies > deadline) {
        rec.emit({
          type: 'driver',
          stmt: 'drv.retry_budget',
          fn: 'retry_budget',
          value: false,
          say: { jiffies: clock.jiffies, deadline },
        });
        ctx.releaseMmapLock('mmap_read_unlock', undefined, { k: 'budget' });
        return ERR.EBUSY;
      }
      locked.value = true;
      ret = hmmRangeFaultLocked(env, layout, model, { locked, pass: ctx.pass });
      if (locked.value) {
        ctx.releaseMmapLock('mmap_read_unlock', undefined, { pass: ctx.pass });
        // [sim] one jiffy per pass that ends -EBUSY with the lock still held.
        if (ret === ERR.EBUSY) clock.jiffies++;
      }
    } while (ret === ERR.EBUSY);
    return ret;
  } finally {
    rec.pop();
  }
}
