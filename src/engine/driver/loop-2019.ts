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
import type { Invalidation, NotifierSubscriber } from '../mm/notifier.ts';
import { endBareCall, giveUpAfterMaxAttempts } from './context.ts';
import type { DriverContext, DriverOutcome } from './context.ts';
import { DEV } from './device.ts';

const ALL_ONES = (1n << 64n) - 1n;

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
      text: `Invalidation of pages ${from}-${to - 1}: range->valid goes false, sync_cpu_device_pagetables() erases ${erased} device entr${
        erased === 1 ? 'y' : 'ies'
      }, ${lasts ? 'and the invalidation is still in progress: range->valid stays false until it ends' : 'and valid is true again when it ends'}.`,
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
  env.dropMmapLock = () =>
    ctx.releaseMmapLock(
      'up_read',
      'range->valid is false: hmm_range_fault releases mmap_sem itself, up_read(&hmm->mm->mmap_sem), and returns -EAGAIN.',
      'return.eagain',
    );
  // hmm_range_wait_until_valid(): sleeps on hmm->wq until the invalidations in progress end.
  const waitUntilValid = (where: string, stmt: Statement) =>
    ctx.endInvalidations(
      'hmm_range_wait_until_valid',
      `${where}hmm_range_wait_until_valid() waits for the invalidation in progress to end: invalidate_range_end() sets range->valid true again`,
      stmt,
    );

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
      text: `The driver calls ${scenario.call}().`,
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
      waitUntilValid('The wrapper: ', 'wrapper');
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
        text: 'Attempt 1: hmm_range_register(); no invalidation is in progress, so range->valid is true.',
      });
    ctx.fire('before-call');
    // A "before-call" event in progress at the first attempt is not waited for: the hmm.rst
    // driver's wait_until_valid ran before it, at registration; hmm_range_fault sees it.
    ctx.takeMmapLock(
      'down_read',
      attempt === 1
        ? 'The driver takes mmap_sem for read: down_read(&mm->mmap_sem).'
        : `Attempt ${attempt}: back at again:, the range still registered: down_read(&mm->mmap_sem).`,
      'drv.down_read',
    );
    const ret = call();
    // The 2019 driver keeps mmap_sem across the valid check and the programming (hmm.rst of v5.2).
    // A fault that returned VM_FAULT_RETRY has released mmap_sem already (-EAGAIN, 10.6): a
    // second up_read would unbalance the rwsem, so the driver skips it.
    const upRead = (why: string, stmt: Statement) => {
      if (ctx.mmapLock !== null) ctx.releaseMmapLock('up_read', `up_read(&mm->mmap_sem): ${why}`, stmt);
    };
    if (!scenario.driverLoop)
      // v5.2's hmm_range_fault returns the pages done, or -errno.
      return endBareCall(
        ctx,
        ret,
        attempt,
        ret < 0,
        () => ctx.device.program(entry),
        'A single bare call: the device is programmed from the entries HMM wrote.',
        () => upRead('the driver is done.', ret < 0 ? 'drv.up_read_err' : 'drv.up_read'),
      );
    if (ret === ERR.EBUSY || ret === ERR.EAGAIN) {
      // Who released mmap_sem inside the call: a fault's VM_FAULT_RETRY, or hmm_range_fault on
      // !range->valid (its return statement says which).
      const droppedBy =
        ctx.mmapLock !== null
          ? null
          : env.returnStmt === 'return.eagain'
            ? 'hmm_range_fault found range->valid false and released mmap_sem itself'
            : 'a fault returned VM_FAULT_RETRY and released mmap_sem already';
      upRead('before the driver starts again.', 'drv.up_read_err');
      rec.emit({
        type: 'driver',
        stmt: 'drv.retry',
        fn: 'retry',
        value: null,
        text: droppedBy
          ? `${ret === ERR.EBUSY ? '-EBUSY' : '-EAGAIN'}: ${droppedBy}, so the driver does not up_read; it starts again.`
          : `${ret === ERR.EBUSY ? '-EBUSY' : '-EAGAIN'}: the driver starts again.`,
      });
      waitUntilValid('Before it starts again, ', 'drv.retry');
      continue;
    }
    if (ret < 0) {
      upRead('the driver gives up.', 'drv.up_read_err');
      rec.emit({
        type: 'driver',
        stmt: 'drv.give_up',
        fn: 'give_up',
        value: null,
        text: 'The call failed: the driver programs nothing.',
      });
      return { ret, attempts: attempt };
    }
    ctx.fire('before-program');
    rec.emit({
      type: 'driver',
      stmt: 'drv.driver_lock',
      fn: 'driver_lock',
      value: null,
      text: 'The driver takes the lock its sync_cpu_device_pagetables() takes.',
    });
    rec.emit({
      type: 'driver',
      stmt: mirror.valid ? 'drv.hmm_range_valid' : 'drv.stale',
      fn: 'hmm_range_valid',
      value: mirror.valid,
      text: mirror.valid
        ? `${scenario.call === 'hmm_vma_fault' ? 'hmm_vma_range_done()' : 'hmm_range_valid()'} is true: program the device.`
        : 'range->valid is false: unlock and retry.',
    });
    if (!mirror.valid) {
      upRead('before the driver starts again.', 'drv.stale');
      // hmm.rst: `goto again`, which is after the registration's wait_until_valid: nothing waits
      // here, so an invalidation still in progress is seen by the next call (-EAGAIN).
      continue;
    }
    ctx.device.program(entry);
    ctx.emitProgram(
      'The driver programs the device page table from range->pfns, unregisters the range and unlocks.',
    );
    upRead('the device is programmed.', 'drv.up_read');
    ctx.fire('after-program');
    return { ret, attempts: attempt };
  }
}
