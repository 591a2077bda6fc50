import { v7_3 } from '../../engine/kernels/v7_3.ts';
import { presetById } from '../../engine/scenario/presets.ts';
import { setMask } from '../../state/edits.ts';
import type { TourStep } from './steps.ts';

/**
 * The same section of Documentation/mm/hmm.rst, "Leverage default_flags and pfn_flags_mask", as
 * Linux 7.3 words it (the wording since 5.8, with HMM_PFN_REQ_FAULT and HMM_PFN_REQ_WRITE), each
 * step on Linux 7.3's model: what the words say, and what today's kernel does around them.
 */
const today8 = (rest: object) => ({
  format: 1,
  kernel: v7_3.id,
  call: 'hmm_range_fault',
  range: { start: '0x7f0000000000', pages: 8 },
  vmas: [{ from: 0, pages: 8, prot: 'rw', backing: 'anon' }],
  ...rest,
});

function preset(id: string): object {
  const p = presetById(id);
  if (!p) throw new Error(`no preset ${id}`);
  return p.file;
}

export const TOUR_TODAY: readonly TourStep[] = [
  {
    id: 'policy',
    title: 'Two fields, one policy for the whole range',
    quote:
      'The hmm_range struct has 2 fields, default_flags and pfn_flags_mask, that specify fault or snapshot policy for the whole range instead of having to set them for each entry in the pfns array.',
    body: [
      'Today’s words keep the seed’s idea: `default_flags` asks the same of every page, `pfn_flags_mask` chooses which bits of each entry of `hmm_pfns[]` still count. The request of page i is still `(hmm_pfns[i] & pfn_flags_mask) | default_flags`.',
      'What changed is the bits: the driver no longer chooses them. The kernel fixes `HMM_PFN_REQ_FAULT` at bit 63 and `HMM_PFN_REQ_WRITE` at bit 62, the same bits as the output’s `HMM_PFN_VALID` and `HMM_PFN_WRITE`.',
    ],
    look: 'The request rows: V and W at the top two bits; nothing in pfns[] yet, so nothing but what default_flags adds.',
    file: {
      ...today8({ cpu: { '0-7': 'ro' }, defaultFlags: ['REQ_FAULT'], pfnFlagsMask: [] }),
      title: 'default_flags = HMM_PFN_REQ_FAULT on mapped pages: nothing to fault',
    },
    at: '1st-pte-on-0',
  },
  {
    id: 'read-all',
    title: 'Read-fault the whole range',
    quote:
      'range->default_flags = HMM_PFN_REQ_FAULT;\nrange->pfn_flags_mask = 0;\n… This will fill fault all pages in the range with at least read permission.',
    body: [
      'Pages 0-3 are mapped; pages 4-7 were never touched, a hole under one pte table. Every request is `(anything & 0) | HMM_PFN_REQ_FAULT`, so page 4 needs a read fault.',
      'Linux 7.3 does not fault inside the walk any more: the callback only records the span (`hmm_record_fault()`: `last`, `end`, `required_fault`) and returns `HMM_FAULT_PENDING`, the walk unwinds and drops its page-table locks, and then `hmm_do_fault()` calls `handle_mm_fault()` page by page before walking again from `last`.',
    ],
    look: 'The step on screen: hmm_record_fault in the call stack, then the walk unwinding, then hmm_do_fault.',
    file: {
      ...today8({ cpu: { '0-3': 'rw' }, defaultFlags: ['REQ_FAULT'], pfnFlagsMask: [] }),
      title: 'default_flags = HMM_PFN_REQ_FAULT, pfn_flags_mask = 0: read the whole range',
    },
    at: '1st-record',
  },
  {
    id: 'one-write',
    title: 'One page asks for write',
    quote:
      'range->default_flags = HMM_PFN_REQ_FAULT;\nrange->pfn_flags_mask = HMM_PFN_REQ_WRITE;\nrange->pfns[index_of_write] = HMM_PFN_REQ_WRITE;',
    body: [
      'The mask lets each entry’s `HMM_PFN_REQ_WRITE` through, and only `pfns[5]` sets it: page 5’s request is REQ_FAULT|REQ_WRITE, every other page’s REQ_FAULT.',
      '“If the CPU pte does not have write permission set then HMM will call handle_mm_fault()”: page 5 is read-only, so it needs a write fault, and the span it records runs to the end of its pmd chunk, so pages 6 and 7 are write-faulted too.',
    ],
    look: 'Page 5’s column: W through the mask, V from default_flags, the need is W.',
    file: {
      ...today8({
        cpu: { '0-7': 'ro' },
        defaultFlags: ['REQ_FAULT'],
        pfnFlagsMask: ['REQ_WRITE'],
        requests: { '5': ['REQ_WRITE'] },
      }),
      title: 'pfn_flags_mask = HMM_PFN_REQ_WRITE, pfns[5] = HMM_PFN_REQ_WRITE',
    },
    at: '1st-pte-on-5',
    tryIt: {
      label: 'Take HMM_PFN_REQ_WRITE out of the mask',
      edit: (s) => setMask(s, 0n),
      then: 'Page 5’s own request no longer counts: nothing is faulted, and page 5 comes back read-only.',
    },
  },
  {
    id: 'after',
    title: 'The output is the page table’s state',
    quote:
      'After hmm_range_fault completes the flag bits are set to the current state of the page tables, ie HMM_PFN_VALID | HMM_PFN_WRITE will be set if the page is writable.',
    body: [
      'Every page asks for read only. Pages 0-1 are writable and come back VALID|WRITE without a fault. Pages 4-7 were swapped out: the read fault swaps them in, and since Linux 6.11 an exclusive page swapped in by a read fault is mapped writable, so they too come back VALID|WRITE.',
      'On Linux 6.1 the same swap-in was read-only: the words did not change, the page tables they describe did.',
    ],
    look: 'The output row at the end: V W on pages 0-1 and 4-7, V on the read-only pages 2-3.',
    file: {
      ...today8({
        cpu: { '0-1': 'rw', '2-3': 'zero', '4-7': 'swap' },
        defaultFlags: ['REQ_FAULT'],
        pfnFlagsMask: [],
      }),
      title: 'Read requests: the output follows the page table',
    },
    at: 'end',
  },
  {
    id: 'sticky',
    title: 'What the words leave out: the bits a driver keeps',
    body: [
      'Since the DMA-mapping helpers, an entry of `hmm_pfns[]` may carry the driver’s own state: `HMM_PFN_DMA_MAPPED` (bit 60), `HMM_PFN_P2PDMA` and `HMM_PFN_P2PDMA_BUS`. Linux 7.3 keeps them in every word it writes, outputs and errors alike; the map order moved down to bits 53-57 to make room.',
      'The request ignores them: only bits 63 and 62 decide a fault.',
    ],
    look: 'Pages 0, 1, 2, 4, 6 and 7: the +D, +P, +B in their outputs, even on the ERROR of the pages with no vma.',
    file: preset('v7.3-sticky-dma-bits'),
    at: 'end',
  },
];
