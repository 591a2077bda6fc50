import { v5_2 } from '../../engine/kernels/v5_2.ts';
import { v6_1 } from '../../engine/kernels/v6_1.ts';
import { v7_3 } from '../../engine/kernels/v7_3.ts';
import type { TourStep } from './steps.ts';

/**
 * The chapter of Documentation/mm/hmm.rst "Holding the mmap lock across HMM faults", with the
 * lock model behind it (hmm-semantics.md 10.5): what mmap_lock protects, which CPU-side ops wait
 * for it and which do not, and what a munmap issued in the middle of the call does on Linux 6.1
 * and on Linux 5.2, and Linux 7.3's hmm_range_fault_unlocked_timeout() on a userfaultfd range,
 * where a fault drops the lock and the next pass walks from range->start. Every step opens where
 * the stage's lock lane shows the point.
 */
const eight = (kernel: string, rest: object) => ({
  format: 1,
  kernel,
  call: 'hmm_range_fault',
  range: { start: '0x7f0000000000', pages: 8 },
  ...rest,
});

/** Pages 0-3 mapped, 4-7 never touched: the read request faults 4-7 in one span after page 4. */
const modern = (title: string, concurrent: object[]) => ({
  ...eight(v6_1.id, {
    vmas: [{ from: 0, pages: 8, prot: 'rw', backing: 'anon' }],
    cpu: { '0-3': 'rw' },
    defaultFlags: ['REQ_FAULT'],
    pfnFlagsMask: [],
    concurrent,
  }),
  title,
});

/** The same on Linux 5.2, on a file mapping (5.2 fails on the zero page an anonymous read maps). */
const old = (title: string, concurrent: object[]) => ({
  ...eight(v5_2.id, {
    vmas: [{ from: 0, pages: 8, prot: 'rw', backing: 'file' }],
    cpu: { '0-3': 'rw' },
    driver: 'seed',
    defaultFlags: ['VALID'],
    pfnFlagsMask: [],
    concurrent,
  }),
  title,
});

const MUNMAP_AFTER_FAULT = { at: 'after-fault', n: 1, op: 'munmap', pages: '6-7' };

export const TOUR_LOCKS: readonly TourStep[] = [
  {
    id: 'protects',
    title: 'What the driver holds, and what it protects',
    quote:
      'If a driver really needs to hold the mmap lock across work outside HMM, it can use:\nint hmm_range_fault(struct hmm_range *range);\nThe mmap lock must be held by the caller and will remain held on return.',
    body: [
      '`mmap_lock` is the process’s read-write lock over its address space: which ranges are mapped (the vmas) and with what protection. Taking it for read says “no vma may change under me”; many readers share it, a writer has it alone.',
      'In Linux 6.1’s usage pattern (hmm.rst then, and the kernel’s test driver) the driver takes it for read, `mmap_read_lock(mm)`, calls `hmm_range_fault()`, and releases it when the call returns. While HMM walks the page table and calls `handle_mm_fault()`, the vmas it walks stay as they are.',
      'Today’s words keep this call for a driver that must hold the lock across more than the call, and send most callers to `hmm_range_fault_unlocked_timeout()`, which takes the lock itself and lets a fault drop it.',
    ],
    look: 'The locks above the stage: mmap_lock held for read by the driver, notifier_seq as mmu_interval_read_begin() returned it.',
    file: modern('The driver holds mmap_lock for read across hmm_range_fault()', [MUNMAP_AFTER_FAULT]),
    at: '1st-mmap-lock',
  },
  {
    id: 'who-waits',
    title: 'Which CPU ops wait, and which do not',
    body: [
      '`munmap`, `mprotect` and `fork` change the vmas: they take `mmap_lock` for write (`mmap_write_lock_killable`), so they wait while the driver holds it for read, and run at the first moment it is free.',
      'Reclaim’s swap-out takes no mmap lock (only the folio and rmap locks), `MADV_PAGEOUT` and a migration to the device take it for read, and a bare mmu-notifier invalidation takes none: they run at once, between two faults of the call.',
      'Here both are issued after the first fault: the munmap of pages 6-7 waits, the swap-out of pages 0-1 runs, and its invalidation moves the interval’s sequence past notifier_seq.',
    ],
    look: 'The locks: munmap waiting for write, and the interval already moved on; the CPU pte row: pages 0-1 swapped out, pages 6-7 still mapped.',
    file: modern('munmap waits, swap-out does not', [
      MUNMAP_AFTER_FAULT,
      { at: 'after-fault', n: 1, op: 'swap-out', pages: '0-1' },
    ]),
    at: '1st-invalidation',
  },
  {
    id: 'munmap-6.1',
    title: 'munmap after the first fault, on Linux 6.1',
    body: [
      'The munmap is issued after the first fault and waits. The call goes on to the end on the old page tables: pages 6 and 7 are faulted in like the rest, and `hmm_range_fault()` returns 0.',
      'At `mmap_read_unlock()` the waiting writer goes first, before anyone can read-lock again: the munmap runs, and its invalidation (`MMU_NOTIFY_UNMAP`) moves the interval’s sequence. The driver takes its own lock and `mmu_interval_read_retry()` sees notifier_seq behind: it never programs the device from the stale result.',
      'The second attempt sees the new state: pages 6-7 have no vma, the request asks for them, and the call fails with `-EFAULT`.',
    ],
    look: 'The locks at the driver’s check: notifier_seq 0, the interval at 2, the driver retries. Press Play for the second attempt.',
    file: modern('munmap after the first fault on Linux 6.1: it waits, the driver retries', [
      MUNMAP_AFTER_FAULT,
    ]),
    at: '1st-read-retry',
  },
  {
    id: 'munmap-5.2',
    title: 'The same munmap on Linux 5.2',
    body: [
      'The 2019 driver holds `mmap_sem` longer: from `down_read()` before the call until it has programmed the device, under the driver lock its `sync_cpu_device_pagetables()` also takes, and only then `up_read()`.',
      'So the munmap waits through the call, the `range->valid` check and the programming. It runs after `up_read()`, and its invalidation reaches the driver’s callback, which erases the entries of pages 6-7 the device has just been given. The call itself succeeded.',
    ],
    look: 'The device pte row: pages 6-7 programmed, then erased by the munmap’s invalidation; the locks: mmap_sem free, nothing waiting.',
    file: old('munmap after the first fault on Linux 5.2: it waits until the device was programmed', [
      MUNMAP_AFTER_FAULT,
    ]),
    at: '1st-invalidation',
  },
  {
    id: 'stale-5.2',
    title: 'An op that does not wait, on Linux 5.2',
    body: [
      'Reclaim needs no mmap lock, so it can swap pages out after the walk and before the driver takes its lock. In 5.2 the invalidation sets `range->valid` false and, when it ends, true again.',
      'The driver’s check comes after: `range->valid` is true, and the device is programmed with the pfns the walk saw, pages the CPU no longer maps. Linux 5.5 replaced the flag with the interval’s sequence number, which stays moved on.',
    ],
    look: 'The locks at the check: range->valid true, an invalidation came and went; then the device pte row of pages 0-1 against their CPU pte.',
    file: old('A swap-out between the walk and the driver lock on Linux 5.2: stale entries programmed', [
      { at: 'before-program', op: 'swap-out', pages: '0-1' },
    ]),
    at: '1st-range-valid',
  },
  {
    id: 'unlocked-7.3',
    title: 'Linux 7.3’s unlocked call: a fault may drop the lock',
    body: [
      '`hmm_range_fault_unlocked_timeout()` takes `mmap_lock` itself, pass by pass, and lets `handle_mm_fault()` drop it. On a userfaultfd range the fault of page 0 does: it releases the lock, the handler’s `UFFDIO_COPY` installs the page, and the fault returns `VM_FAULT_RETRY`.',
      'The munmap issued after that fault finds the lock free and runs at once. The next pass reads `notifier_seq` again and walks from `range->start`, not from `last`; it faults page 1, and the pass after it finds no vma at page 2: `-EFAULT`, and the driver programs nothing.',
    ],
    look: 'The locks: nobody holds mmap_lock, the fault dropped it; then the munmap runs without waiting, and the walk starts again at page 0.',
    file: {
      format: 1,
      title: 'munmap after the first fault of Linux 7.3’s unlocked call, on a userfaultfd range',
      kernel: v7_3.id,
      call: 'hmm_range_fault_unlocked_timeout',
      range: { start: '0x7f0000000000', pages: 4 },
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon', uffd: 'missing' }],
      defaultFlags: ['REQ_FAULT'],
      pfnFlagsMask: [],
      concurrent: [{ at: 'after-fault', n: 1, op: 'munmap', pages: '2-3' }],
    },
    at: '1st-lock-drop',
  },
];
