/**
 * The v5.8+ driver loop (Documentation/mm/hmm.rst, lib/test_hmm.c dmirror_range_fault) around
 * hmm_range_fault(), with an interval notifier over the whole address space whose invalidate
 * callback erases the device entries it covers and ignores migrations this device started.
 * Spec: hmm-semantics.md 3.B; kernel-fixtures README ("The call"). Bounded at 16 attempts.
 */
import type { ModernHmm, PfnLayout } from '../kernels/generation.ts';
import { hmmRangeFault, V6 } from '../hmm/modern.ts';
import type { Invalidation, NotifierSubscriber } from '../mm/notifier.ts';
import { ERR } from '../hmm/words.ts';
import { endBareCall, giveUpAfterMaxAttempts } from './context.ts';
import type { DriverContext, DriverOutcome } from './context.ts';

/** struct mmu_interval_notifier with the test_hmm callback. */
export class IntervalNotifier implements NotifierSubscriber {
  /** sub->invalidate_seq: moves on every invalidation the driver takes. */
  seq = 0;
  constructor(private readonly ctx: DriverContext) {}

  invalidate(inv: Invalidation): void {
    const { rec, startVpn } = this.ctx;
    // test_hmm: a migration whose owner is the driver's own device-private owner is handled by
    // the migration itself. With dev_private_owner NULL nothing matches (fixture 274 retries).
    const ignored =
      inv.event === 'MIGRATE' && inv.owner === 'this' && this.ctx.scenario.devicePrivateOwner === 'this';
    let erased = 0;
    if (!ignored) {
      this.seq += 2; // mmu_interval_set_seq(sub, cur_seq)
      erased = this.ctx.device.erase(inv.from - startVpn, inv.to - startVpn);
    }
    const from = inv.from - startVpn;
    const to = inv.to - startVpn;
    rec.emit({
      type: 'invalidate',
      stmt: 'inval',
      fn: 'mmu_notifier_invalidate_range_start',
      from,
      to,
      event: inv.event,
      ignored,
      erased,
      seq: this.seq,
    });
  }
}

/**
 * mmu_interval_read_begin() sleeps while an invalidation of the interval is in progress (its
 * invalidate_seq is odd: a `"lasts"` event's invalidation started and has not ended); it returns
 * once invalidate_range_end() has run. During it mmu_interval_check_retry() is already true: the
 * seq moved at the start.
 */
export function waitForInvalidations(ctx: DriverContext): void {
  ctx.endInvalidations('mmu_interval_read_begin', 'drv.mmu_interval_read_begin');
}

/** The driver loop around a generation's hmm_range_fault (its hmm_pfns layout and mm/hmm.c). */
export function runDriverModern(ctx: DriverContext, layout: PfnLayout, model: ModernHmm): DriverOutcome {
  const { rec, env, scenario } = ctx;
  const sub = new IntervalNotifier(ctx);
  ctx.mm.notifier.subscribe(sub);
  let seq = 0;
  env.invalidated = () => sub.seq !== seq;

  // test_hmm: an entry with VALID maps the page, WRITE makes the mapping writable.
  const program = () => ctx.device.programFromHighBits(env.w, env.written, V6.VALID, V6.WRITE);

  for (let attempt = 1; ; attempt++) {
    const out = giveUpAfterMaxAttempts(ctx, attempt, 'drv.timeout');
    if (out) return out;
    rec.attempt = attempt;
    ctx.attempt = attempt;
    waitForInvalidations(ctx);
    seq = sub.seq;
    rec.emit({
      type: 'driver',
      stmt: 'drv.mmu_interval_read_begin',
      fn: 'mmu_interval_read_begin',
      value: seq,
    });
    ctx.fire('before-call');
    ctx.takeMmapLock('mmap_read_lock');
    rec.emit({
      type: 'call',
      stmt: 'drv.call',
      fn: 'hmm_range_fault',
    });
    const ret = hmmRangeFault(env, layout, model);
    ctx.emitReturn('hmm_range_fault', ret);
    rec.stampLast(env.returnStmt);
    ctx.releaseMmapLock('mmap_read_unlock');
    if (!scenario.driverLoop) return endBareCall(ctx, ret, attempt, ret !== 0, program, 'bare');
    if (ret === ERR.EBUSY) {
      rec.emit({
        type: 'driver',
        stmt: 'drv.retry',
        fn: 'retry',
        value: null,
      });
      continue;
    }
    if (ret) {
      rec.emit({
        type: 'driver',
        stmt: 'drv.give_up',
        fn: 'give_up',
        value: null,
        say: { k: 'modern' },
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
    const stale = sub.seq !== seq;
    rec.emit({
      type: 'driver',
      stmt: stale ? 'drv.stale' : 'drv.mmu_interval_read_retry',
      fn: 'mmu_interval_read_retry',
      value: stale,
    });
    if (stale) continue;
    program();
    ctx.emitProgram('loop');
    ctx.fire('after-program');
    return { ret, attempts: attempt };
  }
}
