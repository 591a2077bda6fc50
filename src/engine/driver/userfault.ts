/**
 * What happens inside a userfaultfd fault that may drop mmap_lock (handle_userfault with
 * FAULT_FLAG_ALLOW_RETRY, hmm-semantics.md 10.4 and 10.5), in the order the model fixes:
 *
 * 1. the fault queues its message and releases mmap_lock (release_fault_lock; v5.2: up_read);
 * 2. a writer that was waiting for the lock (a munmap issued while the HMM side held it) runs
 *    first: a rwsem serves a waiting writer before new readers, and the handler's UFFDIO_COPY is
 *    a new reader (10.8: optimistic spinning could reorder this in rare cases);
 * 3. the selftest's handler does UFFDIO_COPY at once (mm/userfaultfd.ts), which wakes the
 *    faulter; the fault returns VM_FAULT_RETRY.
 *
 * If the copy finds the vma gone it fails (-ENOENT) and wakes nobody: the faulter sleeps in
 * TASK_KILLABLE until a fatal signal comes. With one already pending it returns at once (and the
 * HMM call returns -EINTR); without, the run ends "blocked" (munmap does not wake it: that needs
 * UFFD_FEATURE_EVENT_UNMAP, which the selftest does not ask for).
 */
import { Blocked } from '../hmm/env.ts';
import { uffdioCopy } from '../mm/userfaultfd.ts';
import type { DriverContext } from './context.ts';

export function userfault(ctx: DriverContext, vpn: number): void {
  const { rec, mm, startVpn } = ctx;
  const page = vpn - startVpn;
  ctx.releaseMmapLock('fault_dropped_lock', undefined, { page, lock: ctx.lockName });
  const result = uffdioCopy(mm, vpn);
  if (result === 'no-vma') {
    rec.emit({
      type: 'driver',
      stmt: 'drv.uffdio_copy',
      fn: 'uffdio_copy',
      value: false,
      say: { page },
    });
    if (!ctx.env.fatalSignal) {
      rec.emit({
        type: 'driver',
        stmt: 'drv.userfault_sleeps',
        fn: 'userfault_sleeps',
        value: null,
        say: { page },
      });
      throw new Blocked(
        `the fault on page ${page} waits for a userfaultfd handler that can no longer resolve it (its vma was unmapped while the lock was dropped): the task sleeps until killed`,
      );
    }
    rec.emit({
      type: 'driver',
      stmt: 'drv.userfault_sleeps',
      fn: 'userfault_sleeps',
      value: null,
      say: { fatal: true },
    });
    return;
  }
  rec.emit({
    type: 'driver',
    stmt: 'drv.uffdio_copy',
    fn: 'uffdio_copy',
    value: true,
    say:
      result === 'copied'
        ? { k: 'copied', page, writable: mm.vmaAt(vpn)?.write ?? false }
        : { k: 'exists', page },
  });
}
