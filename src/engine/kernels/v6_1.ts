/**
 * Linux 6.1 (2022): the v5.8+ API (hmm_pfns, HMM_PFN_REQ_FAULT / REQ_WRITE, the mmu interval
 * notifier), as recorded on a real 6.1.192 kernel (test/fixtures/linux-6.1). Its file name is
 * "v6" for history: scenario files written before 6.12 joined say "kernel": "v6".
 */
import type { Generation, ModernHmm } from './generation.ts';
import { faultErrnoAlwaysEfault, PFNS_ORDER_AT_56 } from './modern.ts';

/** mm/hmm.c of 6.x: the callbacks fault (hmm_vma_fault) inside the walk. */
export const HMM_6X: ModernHmm = {
  recordThenFault: false,
  markers: false,
  devicePrivatePmd: false,
  faultErrno: faultErrnoAlwaysEfault,
};

export const v6_1 = {
  id: 'v6',
  label: 'Linux 6.1',
  year: 2022,
  tagline: 'hmm_pfns, recorded',
  changed: 'hmm_pfns with HMM_PFN_REQ_FAULT / REQ_WRITE, the mmu interval notifier; the 5.2 bugs fixed.',
  calls: ['hmm_range_fault'],
  pfns: PFNS_ORDER_AT_56,
  faults: { vmFaultWrite: true, swapInWritable: false, uffdRetryMajor: false },
  extraStates: [],
  pseudocode: {
    models: 'Linux 6.1 (the v5.8+ API: hmm_pfns, mmu_interval notifier)',
    source: () => import('./listings/v6_1.ts').then((m) => m.LISTING_6_1),
  },
} as const satisfies Generation;
