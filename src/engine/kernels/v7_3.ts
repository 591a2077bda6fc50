/**
 * Linux 7.3 (2026), from its source (hmm-semantics.md 10.0-10.2, mm/hmm.c at 121170831228): the
 * locked hmm_range_fault() records what needs a fault and faults after the walk has unwound
 * (hmm_record_fault, hmm_do_fault), keeps the sticky DMA bits of every input word, reads the order
 * at bit 53, returns -ENOMEM for VM_FAULT_OOM, knows guard and uffd-wp pte markers and
 * device-private pmds, and inherits 6.12's handle_mm_fault(). Its second entry point,
 * hmm_range_fault_unlocked_timeout() (10.3), takes mmap_lock itself, lets a fault drop it
 * (userfaultfd) and restarts from range->start; it has its own driver loop (loop-unlocked.ts).
 */
import { ERR } from '../hmm/words.ts';
import { VM_FAULT } from '../mm/faultBits.ts';
import type { Generation, ModernHmm } from './generation.ts';
import { PFNS_ORDER_AT_53 } from './modern.ts';
import { v6_12 } from './v6_12.ts';

/** VM_FAULT_HWPOISON_LARGE (include/linux/mm_types.h). */
const VM_FAULT_HWPOISON_LARGE = 0x20;

/** vm_fault_to_errno(vm_fault, 0) (include/linux/mm.h, T9); 0 becomes -EINVAL in hmm_do_fault. */
export function vmFaultToErrno(code: number): number {
  if (code & VM_FAULT.OOM) return ERR.ENOMEM;
  if (code & (VM_FAULT.HWPOISON | VM_FAULT_HWPOISON_LARGE)) return ERR.EFAULT;
  if (code & (VM_FAULT.SIGBUS | VM_FAULT.SIGSEGV)) return ERR.EFAULT;
  return ERR.EINVAL;
}

export const HMM_7_3: ModernHmm = {
  recordThenFault: true,
  markers: true,
  devicePrivatePmd: true,
  faultErrno: vmFaultToErrno,
};

export const v7_3 = {
  id: 'v7.3',
  label: 'Linux 7.3',
  year: 2026,
  tagline: "today's hmm.rst, from source",
  changed:
    'Record, unwind, then fault; sticky DMA bits and the order at bit 53; -ENOMEM; guard markers and device-private THPs.',
  calls: ['hmm_range_fault', 'hmm_range_fault_unlocked_timeout'],
  pfns: PFNS_ORDER_AT_53,
  // handle_mm_fault() as 6.12 (hmm-semantics.md 11: "Linux 7.3 inherits both changes").
  faults: v6_12.faults,
  extraStates: ['uffd-wp', 'guard', 'thp-devpriv', 'thp-devpriv-rw', 'thp-devpriv-other'],
  pseudocode: {
    models:
      'Linux 7.3 (hmm_range_fault: record, unwind, then hmm_do_fault; hmm_range_fault_unlocked_timeout: passes from range->start)',
    source: () => import('./listings/v7_3.ts').then((m) => m.LISTING_7_3),
  },
} as const satisfies Generation;
