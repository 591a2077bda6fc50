/**
 * Which CPU-side ops need mmap_lock for write (hmm-semantics.md 10.5), and when an op issued at a
 * given moment really runs. Such an op, issued while the driver side holds the lock for read,
 * waits: a rwsem serves a waiting writer once the readers are gone and before new readers, so it
 * runs at the driver side's next release. The others (reclaim's swap-out, MADV_PAGEOUT under the
 * read lock, a device migration whose caller holds the read lock, a bare invalidation, a signal)
 * run at the moment they are issued.
 */
import type { Kernel } from '../kernels/registry.ts';
import type { ConcurrentAt, ConcurrentOp } from '../types.ts';

const WRITE_LOCKED: ReadonlySet<ConcurrentOp> = new Set<ConcurrentOp>([
  'munmap', // mmap_write_lock_killable, then zaps under the downgraded lock (vms_complete_munmap_vmas)
  'mprotect-ro', // do_mprotect_pkey: mmap_write_lock_killable
  'mprotect-none',
  'fork', // dup_mmap: mmap_write_lock_killable(oldmm)
]);

export function needsWriteLock(op: ConcurrentOp): boolean {
  return WRITE_LOCKED.has(op);
}

/** What each op asks of mmap_lock, in words. */
const LOCK_NEED: Record<ConcurrentOp, string> = {
  munmap: 'munmap needs mmap_lock for write',
  'mprotect-ro': 'mprotect needs mmap_lock for write',
  'mprotect-none': 'mprotect needs mmap_lock for write',
  fork: 'fork needs mmap_lock for write',
  'swap-out': 'swap-out (reclaim) takes no mmap_lock',
  'madv-pageout': 'madv-pageout (MADV_PAGEOUT) needs mmap_lock for read only',
  'migrate-to-device': 'migrate-to-device needs mmap_lock for read only',
  invalidate: 'a bare invalidation takes no lock',
  sigkill: 'a fatal signal takes no lock',
};

export interface WhenContext {
  kernel: Kernel;
  /** The scenario's call ("hmm_range_fault_unlocked_timeout" drops the lock inside the call). */
  call: string;
}

export interface WhenEvent {
  op: ConcurrentOp;
  at: ConcurrentAt;
  n: number;
  repeat: boolean;
  /** Its invalidation ends only when the driver waits for it (the format's `"lasts"`). */
  lasts?: boolean;
}

/**
 * When an op issued at this moment really runs, given the kernel and the call, as one sentence
 * ("munmap needs mmap_lock for write: issued after fault 1, it waits and runs after
 * hmm_range_fault returns (mmap_read_unlock)."). The editor shows it next to the op; `npm run
 * sim` prints it with what the run did.
 */
export function whenItRuns(s: WhenContext, ev: WhenEvent): string {
  const v52 = s.kernel === 'v5.2';
  const lock = v52 ? 'mmap_sem' : 'mmap_lock';
  const call = s.call === 'hmm_vma_fault' || s.call === 'hmm_range_snapshot' ? s.call : 'hmm_range_fault';
  const unlocked = s.call === 'hmm_range_fault_unlocked_timeout';
  const every = ev.repeat ? (unlocked ? ' of every pass' : ' of every attempt') : '';
  const issued =
    ev.at === 'before-call'
      ? `issued before the call${every}`
      : ev.at === 'after-fault'
        ? `issued after fault ${ev.n}${ev.repeat ? every : ' of the run'}`
        : ev.at === 'before-program'
          ? `issued after the call returns${every}, before the driver programs the device`
          : `issued after the device is programmed${every}`;
  const need = LOCK_NEED[ev.op].replace('mmap_lock', lock);
  let runs: string;
  if (!needsWriteLock(ev.op)) runs = 'it runs at once';
  else if (ev.at === 'before-call')
    runs = unlocked
      ? 'it runs at once, before the pass takes mmap_lock'
      : `it runs at once, before the driver takes ${lock}`;
  else if (ev.at === 'after-program') runs = 'it runs at once: the driver holds no lock any more';
  else if (v52)
    runs =
      'it waits and runs after the driver’s up_read: once the device is programmed, whose entries its invalidation then erases (or before a retry, if the driver starts again)';
  else if (ev.at === 'before-program') runs = 'it runs at once: the driver has released mmap_lock';
  else if (unlocked)
    runs =
      'it waits and runs at the next release of mmap_lock: right after a fault that dropped it (userfaultfd), else between two passes, else after the call returns';
  else
    runs = `it waits and runs after ${call} returns (mmap_read_unlock), before the driver checks its sequence`;
  // "lasts": the op's invalidation starts when it runs and ends when the driver side next waits
  // for invalidations to end (hmm-semantics.md 3.A; 5.5+: mmu_interval_read_begin sleeps).
  const ends = !ev.lasts
    ? ''
    : v52
      ? '; its invalidation stays in progress (range->valid false) until the driver waits in hmm_range_wait_until_valid() before it starts again, or the run ends'
      : '; its invalidation stays in progress until the next mmu_interval_read_begin() waits for it to end, or the run ends';
  return `${need}: ${issued}, ${runs}${ends}.`;
}
