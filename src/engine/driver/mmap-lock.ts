/**
 * Which CPU-side ops need mmap_lock for write (hmm-semantics.md 10.5). Such an op, issued while the
 * driver side holds the lock for read, waits: a rwsem serves a waiting writer once the readers
 * are gone and before new readers, so it runs at the driver side's next release. The others
 * (reclaim's swap-out, MADV_PAGEOUT under the read lock, a device migration whose caller holds the
 * read lock, a bare invalidation, a signal) run at the moment they are issued.
 */
import type { ConcurrentOp } from '../types.ts';

const WRITE_LOCKED: ReadonlySet<ConcurrentOp> = new Set<ConcurrentOp>([
  'munmap', // mmap_write_lock_killable, then zaps under the downgraded lock (vms_complete_munmap_vmas)
  'mprotect-ro', // do_mprotect_pkey: mmap_write_lock_killable
  'mprotect-none',
  'fork', // dup_mmap: mmap_write_lock_killable(oldmm)
]);

export function needsWriteLock(op: ConcurrentOp): boolean {
  return WRITE_LOCKED.has(op);
}
