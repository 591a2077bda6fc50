/**
 * Linux 6.12 (2024), the kernel of Debian 13, RHEL 10 and Ubuntu's HWE kernels, as recorded on
 * Debian's 6.12.117 (test/fixtures/linux-6.12). mm/hmm.c is 6.1's; what differs is
 * handle_mm_fault() (hmm-semantics.md 11): VM_FAULT_WRITE is gone (6.2), and a read fault that
 * swaps in an exclusive anonymous page maps it writable (6.11).
 */
import type { Generation } from './generation.ts';
import { PFNS_ORDER_AT_56 } from './modern.ts';

export const v6_12 = {
  id: 'v6.12',
  label: 'Linux 6.12',
  year: 2024,
  tagline: "today's distributions, recorded",
  changed:
    'mm/hmm.c as 6.1; handle_mm_fault no longer returns VM_FAULT_WRITE, and a read swap-in of an exclusive page maps it writable.',
  calls: ['hmm_range_fault'],
  pfns: PFNS_ORDER_AT_56,
  faults: { vmFaultWrite: false, swapInWritable: true, uffdRetryMajor: false },
  extraStates: [],
  pseudocode: {
    models:
      "Linux 6.12 (mm/hmm.c as 6.1's but for how the walk reads the page table; the changes are in handle_mm_fault)",
    source: () => import('./listings/v6_1.ts').then((m) => m.LISTING_6_12),
  },
} as const satisfies Generation;
