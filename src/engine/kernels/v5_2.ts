/**
 * Linux 5.2 (2019): the API the seed patch changed. hmm_range_register / hmm_range_fault(range,
 * block) / range->valid, the driver's own flags[] / values[] / pfn_shift, and the bugs later
 * kernels fixed (hmm-semantics.md 1.A, 2.2, 2.3, 3.A, 5).
 */
import type { Generation } from './generation.ts';

export const v5_2 = {
  id: 'v5.2',
  label: 'Linux 5.2',
  year: 2019,
  tagline: '2019 API, the seed',
  changed: 'The seed patch: default_flags and pfn_flags_mask; each driver chooses its own bits.',
  calls: ['hmm_range_fault', 'hmm_range_snapshot', 'hmm_vma_fault'],
  pfns: null,
  faults: { vmFaultWrite: true, swapInWritable: false, uffdRetryMajor: true },
  extraStates: [],
  pseudocode: {
    models: 'Linux 5.2 (the 2019 API: hmm_range_register, range->valid)',
    source: () => import('./listings/v5_2.ts').then((m) => m.LISTING_5_2),
  },
} as const satisfies Generation;
