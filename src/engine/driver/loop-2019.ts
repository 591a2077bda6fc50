/**
 * The 2019 driver loop (Documentation/vm/hmm.rst of v5.1/v5.2, spec 3.A): register the range,
 * wait until it is valid, call, take the driver lock, check range->valid, program or retry.
 * HMM's mirror sets `valid` false when an overlapping invalidation starts and true again when it
 * ends, calling the driver's sync_cpu_device_pagetables() (which erases device entries) in
 * between. Most CPU events run to completion, so an invalidation between the walk and the lock
 * is invisible to the check: the driver programs what may now be stale, the race v5.5's sequence
 * numbers closed. A `"lasts"` event's invalidation is still in progress when HMM or the driver
 * looks: hmm_range_fault's inner loop stops (`while (ret == -EBUSY && range->valid)`), a vma
 * iteration returns -EAGAIN after up_read, hmm_range_valid() is false; it ends when the driver
 * waits in hmm_range_wait_until_valid().
 *
 * The old-API wrapper hmm_vma_fault() (spec section 5) forces default_flags = 0 and
 * pfn_flags_mask = -1UL, and maps hmm_range_fault's page count to 0 / -EBUSY.
 */
import { hmmRangeFault52, hmmRangeSnapshot52, layout52 } from '../hmm/api2019.ts';
import { ERR } from '../hmm/words.ts';
import type { Statement } from '../statements.ts';
import type { Say } from '../types.ts';
import type { Invalidation, NotifierSubscriber } from '../mm/notifier.ts';
import { endBareCall, giveUpAfterMaxAttempts } from './context.ts';
import type { DriverContext, DriverOutcome } from './context.ts';
import { DEV } from './device.ts';

const ALL_ONES = (1n << 64n) - 1n;

/** What the sentences of this driver's events need besides their fields (trace/text.ts). */
const V52: Say = { v52: true };
const LASTS: Say = { lasts: true };
const UP_DONE: Say = { k: 'done' };
const UP_AGAIN: Say = { k: 'again' };
const UP_GIVE_UP: Say = { k: 'give_up' };
const UP_PROGRAMMED: Say = { k: 'programmed' };

/**
 * struct hmm's mmu_notifier + the mirror's sync_cpu_device_pagetables() (mm/hmm.c at
 * 0092908d16c6): invalidate_range_start counts the invalidation in hmm->notifiers, sets
 * range->valid false and calls the sync callback (device entries erased); invalidate_range_end
 * sets every range valid again when the count reaches 0. Most CPU events end at once; a
 * `"lasts"` one ends when the driver waits (hmm_range_wait_until_valid) or with the run.
 */
class HmmMirror implements NotifierSubscriber {
  /** range->valid. */
  valid = true;
  /** hmm->notifiers: invalidations started and not ended. */
  private notifiers = 0;
  constructor(private readonly ctx: DriverContext) {}

  invalidate(inv: Invalidation): void {
    const { rec, startVpn, device, mm } = this.ctx;
    this.notifiers++;
    this.valid = false;
    const from = inv.from - startVpn;
    const to = inv.to - startVpn;
    const erased = device.erase(from, to);
    // holding: this invalidation's _end() comes later (a "lasts" event).
    const lasts = mm.notifier.holding;
    rec.emit({
      type: 'invalidate',
      stmt: 'inval',
      fn: 'mmu_notifier_invalidate_range_start',
      from,
      to,
      event: inv.event,
      ignored: false,
      erased,
      ...(lasts ? { say: LASTS } : {}),
    });
  }

  end(): void {
    if (--this.notifiers === 0) this.valid = true;
  }
}

export function runDriverV5_2(ctx: DriverContext): DriverOutcome {
  const { rec, env, scenario } = ctx;
  const mirror = new HmmMirror(ctx);
  ctx.mm.notifier.subscribe(mirror);
  env.invalidated = () => !mirror.valid;
  // hmm_range_fault's `if (!range->valid) { up_read(&hmm->mm->mmap_sem); return -EAGAIN; }`:
  // released through the driver context, so waiting writers run and the driver does not
  // up_read again.
  env.dropMmapLock = () => ctx.releaseMmapLock('up_read', 'return.eagain');
  // hmm_range_wait_until_valid(): sleeps on hmm->wq until the invalidations in progress end
  // (where: the wrapper's, or the driver's before it starts again).
  const waitUntilValid = (stmt: 'wrapper' | 'drv.retry') =>
    ctx.endInvalidations('hmm_range_wait_until_valid', stmt);

  const L = layout52(scenario.layout);
  const isValue = (lo: number, hi: number) =>
    [L.NONE, L.ERROR, L.SPECIAL].some((v) => v.lo === lo >>> 0 && v.hi === hi >>> 0);
  // hmm_device_entry_to_pfn(): an entry equal to a value, or without VALID, maps nothing.
  const entry = (i: number): number => {
    const lo = env.w[2 * i];
    const hi = env.w[2 * i + 1];
    if (!env.written.has(i) || isValue(lo, hi) || ((lo & L.VALID.lo) | (hi & L.VALID.hi)) === 0)
      return DEV.none;
    return ((lo & L.WRITE.lo) | (hi & L.WRITE.hi)) !== 0 ? DEV.rw : DEV.ro;
  };

  const call = (): number => {
    rec.emit({
      type: 'call',
      // The old API enters hmm.h's wrapper, which calls hmm_range_fault itself.
      stmt: scenario.call === 'hmm_vma_fault' ? 'wrapper' : 'drv.call',
      fn: scenario.call,
      say: V52,
    });
    let ret: number;
    let returnStmt: Statement | undefined;
    if (scenario.call === 'hmm_range_snapshot') {
      ret = hmmRangeSnapshot52(env);
    } else if (scenario.call === 'hmm_range_fault') {
      ret = hmmRangeFault52(env, scenario.defaultFlags, scenario.pfnFlagsMask);
    } else {
      // hmm_vma_fault(): the old API, where every request comes from pfns[i] alone.
      rec.push('hmm_vma_fault');
      // The wrapper registers the range and waits until it is valid before it calls.
      waitUntilValid('wrapper');
      const pages = hmmRangeFault52(env, 0n, ALL_ONES);
      rec.pop();
      ret = pages > 0 ? 0 : pages === 0 || pages === ERR.EBUSY || pages === ERR.EAGAIN ? ERR.EBUSY : pages;
      returnStmt =
        pages > 0
          ? 'wrapper.return'
          : pages === 0 || pages === ERR.EBUSY
            ? 'wrapper.busy'
            : pages === ERR.EAGAIN
              ? 'wrapper.eagain'
              : 'wrapper.err';
    }
    ctx.emitReturn(scenario.call, ret);
    rec.stampLast(returnStmt ?? env.returnStmt);
    return ret;
  };

  for (let attempt = 1; ; attempt++) {
    const out = giveUpAfterMaxAttempts(ctx, attempt, 'drv.timeout');
    if (out) return out;
    rec.attempt = attempt;
    ctx.attempt = attempt;
    // The range is registered once; a retry goes back to again:, where mmap_sem is taken.
    if (attempt === 1)
      rec.emit({
        type: 'driver',
        stmt: 'drv.hmm_range_register',
        fn: 'hmm_range_register',
        value: mirror.valid,
      });
    ctx.fire('before-call');
    // A "before-call" event in progress at the first attempt is not waited for: the hmm.rst
    // driver's wait_until_valid ran before it, at registration; hmm_range_fault sees it.
    ctx.takeMmapLock('down_read', 'drv.down_read');
    const ret = call();
    // The 2019 driver keeps mmap_sem across the valid check and the programming (hmm.rst of v5.2).
    // A fault that returned VM_FAULT_RETRY has released mmap_sem already (-EAGAIN, 10.6): a
    // second up_read would unbalance the rwsem, so the driver skips it.
    const upRead = (why: Say, stmt: Statement) => {
      if (ctx.mmapLock !== null) ctx.releaseMmapLock('up_read', stmt, why);
    };
    if (!scenario.driverLoop)
      // v5.2's hmm_range_fault returns the pages done, or -errno.
      return endBareCall(
        ctx,
        ret,
        attempt,
        ret < 0,
        () => ctx.device.program(entry),
        'bare-v52',
        () => upRead(UP_DONE, ret < 0 ? 'drv.up_read_err' : 'drv.up_read'),
      );
    if (ret === ERR.EBUSY || ret === ERR.EAGAIN) {
      // Who released mmap_sem inside the call: a fault's VM_FAULT_RETRY, or hmm_range_fault on
      // !range->valid (its return statement says which).
      const dropped =
        ctx.mmapLock !== null
          ? null
          : env.returnStmt === 'return.eagain'
            ? ('valid' as const)
            : ('fault' as const);
      upRead(UP_AGAIN, 'drv.up_read_err');
      const errno = ret === ERR.EBUSY ? '-EBUSY' : '-EAGAIN';
      rec.emit({
        type: 'driver',
        stmt: 'drv.retry',
        fn: 'retry',
        value: null,
        say: dropped ? { errno, dropped } : { errno },
      });
      waitUntilValid('drv.retry');
      continue;
    }
    if (ret < 0) {
      upRead(UP_GIVE_UP, 'drv.up_read_err');
      rec.emit({
        type: 'driver',
        stmt: 'drv.give_up',
        fn: 'give_up',
        value: null,
        say: { k: 'v52' },
      });
      return { ret, attempts: attempt };
    }
    ctx.fire('before-program');
    rec.emit({
      type: 'driver',
      stmt: 'drv.driver_lock',
      fn: 'driver_lock',
      value: null,
      say: V52,
    });
    rec.emit({
      type: 'driver',
      stmt: mirror.valid ? 'drv.hmm_range_valid' : 'drv.stale',
      fn: 'hmm_range_valid',
      value: mirror.valid,
      ...(scenario.call === 'hmm_vma_fault' ? { say: { wrapper: true } } : {}),
    });
    if (!mirror.valid) {
      upRead(UP_AGAIN, 'drv.stale');
      // hmm.rst: `goto again`, which is after the registration's wait_until_valid: nothing waits
      // here, so an invalidation still in progress is seen by the next call (-EAGAIN).
      continue;
    }
    ctx.device.program(entry);
    ctx.emitProgram('loop-v52');
    upRead(UP_PROGRAMMED, 'drv.up_read');
    ctx.fire('after-program');
    return { ret, attempts: attempt };
  }
}
