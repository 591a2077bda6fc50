import { v5_2 } from '../../engine/kernels/v5_2.ts';
import { v6_1 } from '../../engine/kernels/v6_1.ts';
import type { Scenario } from '../../engine/types.ts';
import { presetById } from '../../engine/scenario/presets.ts';
import { setDefaultFlags, setKernel, setMask } from '../../state/edits.ts';
import { requestFlags } from '../model/bits.ts';
import type { TourId } from '../../state/tour.ts';

/**
 * The guided tour of the seed's section "Leverage default_flags and pfn_flags_mask": one step per
 * idea, each a few sentences, the lines of the seed it explains, and a live scenario opened at the
 * moment that shows it. Text marks `code` with backticks.
 */
export interface TourStep {
  id: string;
  title: string;
  /** The seed document's own words, when the step explains a passage of it. */
  quote?: string;
  body: string[];
  /** Where to look on the stage. */
  look: string;
  file: object;
  /** The moment the step opens at, as a durable anchor (state/anchor.ts): `1st-restart`, `end`. */
  at: string;
  /** A change to try on the step's scenario, and what it shows. */
  tryIt?: { label: string; edit: (s: Scenario) => Scenario; then: string };
}

function preset(id: string): object {
  const p = presetById(id);
  if (!p) throw new Error(`no preset ${id}`);
  return p.file;
}

const seed8 = (rest: object) => ({
  format: 1,
  kernel: v5_2.id,
  call: 'hmm_range_fault',
  range: { start: '0x7f0000000000', pages: 8 },
  vmas: [{ from: 0, pages: 8, prot: 'rw', backing: 'anon' }],
  driver: 'seed',
  ...rest,
});

export const TOUR: readonly TourStep[] = [
  {
    id: 'per-entry',
    title: 'Before: one request per entry',
    quote:
      'The hmm_range struct has 2 fields default_flags and pfn_flags_mask that allows to set fault or snapshot policy for a whole range instead of having to set them for each entries in the range.',
    body: [
      'Before this patch a driver told HMM what it wanted page by page: it wrote a request into every entry of `pfns[]` (VALID to have the page mapped, VALID|WRITE to have it writable) and called `hmm_vma_fault()`.',
      'Here the driver wants all eight pages readable and page 7 writable, so it fills all eight entries. The walk reads each entry as that page’s request: pages 0-6 are mapped already, so only page 7, read-only on the CPU, needs a write fault.',
      'The patch keeps this way working: the old wrapper sets `default_flags = 0` and `pfn_flags_mask = -1UL`, so only the entries count (the * beside them on the stage).',
    ],
    look: 'The input row: every entry written by the driver; page 7’s need is W.',
    file: {
      ...seed8({
        call: 'hmm_vma_fault',
        cpu: { '0-7': 'ro' },
        requests: { '0-6': ['VALID'], '7': ['VALID', 'WRITE'] },
      }),
      title: 'The old way: every entry carries its own request',
    },
    at: '1st-pte-on-7',
  },
  {
    id: 'default-flags',
    title: 'default_flags alone',
    quote:
      'range->default_flags = (1 << 63);\nrange->pfn_flags_mask = 0;\n… This will fill fault all page in the range with at least read permission.',
    body: [
      'With `pfn_flags_mask = 0` the entries do not count at all: every page’s request is `default_flags`, and the driver writes nothing into `pfns[]` first.',
      '`(pfns[i] & pfn_flags_mask) | default_flags` = `(anything & 0) | VALID` = VALID, for all eight pages. Pages 0-3 are mapped; page 4 is not, so HMM calls `handle_mm_fault()` to read it in, and the pages after it (step 5 shows why).',
      'This is a file mapping: the read fault maps the page-cache pages around page 4 as well (fault-around).',
    ],
    look: 'The teal V in every request: it comes from default_flags, not from the entries.',
    file: {
      ...seed8({
        vmas: [{ from: 0, pages: 8, prot: 'rw', backing: 'file' }],
        cpu: { '0-3': 'rw' },
        defaultFlags: ['VALID'],
        pfnFlagsMask: [],
      }),
      title: 'default_flags = VALID, pfn_flags_mask = 0: read the whole range',
    },
    at: '1st-fault',
    tryIt: {
      label: 'Ask for write everywhere (default_flags = VALID|WRITE)',
      edit: (s) => {
        const f = requestFlags(s);
        return setDefaultFlags(s, f.VALID | f.WRITE);
      },
      then: 'Now page 4 and every page after it are write-faulted; pages 0-3 were writable already and need nothing.',
    },
  },
  {
    id: 'mask',
    title: 'The mask lets one page ask for write',
    quote:
      'range->default_flags = (1 << 63);\nrange->pfn_flags_mask = (1 << 62);\nrange->pfns[index_of_write] = (1 << 62);',
    body: [
      'Now the driver wants the range readable and page 5 writable. It keeps `default_flags = VALID` for the whole range, lets each entry’s WRITE bit through with `pfn_flags_mask = WRITE`, and sets WRITE in `pfns[5]` only.',
      'For page 5 the request is `(WRITE & WRITE) | VALID` = VALID|WRITE; for every other page `(0 & WRITE) | VALID` = VALID. Page 5’s CPU pte is read-only, so HMM calls `handle_mm_fault()` with `FAULT_FLAG_WRITE`.',
    ],
    look: 'Page 5’s column: W comes through the mask, V is added by default_flags, the need is W.',
    file: {
      ...seed8({
        cpu: { '0-7': 'ro' },
        defaultFlags: ['VALID'],
        pfnFlagsMask: ['WRITE'],
        requests: { '5': ['WRITE'] },
      }),
      title: 'default_flags = VALID, pfn_flags_mask = WRITE, pfns[5] = WRITE',
    },
    at: '1st-pte-on-5',
    tryIt: {
      label: 'Take WRITE out of the mask',
      edit: (s) => setMask(s, 0n),
      then: 'Page 5’s W is struck out by the mask: its own request no longer counts, and nothing is faulted.',
    },
  },
  {
    id: 'writable',
    title: 'A writable CPU pte comes back writable',
    quote:
      'Note that HMM will populate the pfns array with write permission for any entry that have write permission within the CPU pte no matter what are the values set in default_flags or pfn_flags_mask.',
    body: [
      'Every page here asks for read only, and none needs a fault: all eight are mapped. Yet the output entries of pages 0-3 say V W, and the device maps them writable.',
      'HMM reports what the CPU page table holds. The request decides what must be faulted in, not what is reported: a writable pte is reported writable whatever was asked, so the device may get write access to a page it only asked to read.',
    ],
    look: 'pfns[i] output of pages 0-3: V W; their device entries: rw.',
    file: {
      ...seed8({ cpu: { '0-3': 'rw', '4-7': 'ro' }, defaultFlags: ['VALID'], pfnFlagsMask: [] }),
      title: 'Read-only requests on writable ptes',
    },
    at: 'end',
  },
  {
    id: 'spread',
    title: 'A fault spreads over the rest of the chunk',
    body: [
      'This is seed example 1 on Linux 6.1: read-fault the whole range. The walk goes through one pte table page by page. At page 4, which is not mapped, the request needs a read fault.',
      'HMM does not fault page 4 alone: `hmm_vma_fault()` calls `handle_mm_fault()` on every page from 4 to the end of the chunk the walk is in (here, the rest of the range). Pages already mapped, like page 8, are faulted too; for them the call finds the pte present and changes nothing.',
      'So the pages that trigger `handle_mm_fault()` are not only the ones whose own request needs it.',
    ],
    look: 'The fault ring moving along pages 4-15: page 8 is present, and faulted anyway.',
    file: preset('example-1'),
    at: '1st-fault-on-8',
  },
  {
    id: 'restart',
    title: 'The walk restarts',
    body: [
      'The faults changed the page table under the walk, so it cannot keep what it saw: the pte walker returns -EBUSY and `hmm_range_fault()` walks again, from `last`, the first page it had not filled in (page 4).',
      'Pages 0-3 keep the output of the first walk. On the second walk every page is present, nothing needs a fault, and the outputs are filled: the zero pages and the swapped-in page read-only.',
      'Linux 5.2 does the same with its own code: the faulting helper returns -EBUSY and the walk starts again at `last`.',
    ],
    look: 'The arc from where the walk was back to last = page 4.',
    file: preset('example-1'),
    at: '1st-restart',
  },
  {
    id: 'race',
    title: 'An invalidation races the driver',
    body: [
      'The driver holds the mmap lock for read only around `hmm_range_fault()`. While it does, `munmap`, `mprotect` and `fork` wait for the lock; reclaim swapping pages out, migration and NUMA hinting take no mmap write lock and may change the page table at any moment. Here pages 0-3 are swapped out after `hmm_range_fault()` returned but before the driver took its lock. The MMU notifier calls the driver’s invalidate callback, which records the new sequence count with `mmu_interval_set_seq()`.',
      'Under its lock the driver checks `mmu_interval_read_retry()`: the count moved, so the pfns it holds may be stale, and it starts over. The second attempt finds pages 0-3 swapped out and faults them back in.',
      'A driver must never program the device from a result it has not checked under its lock.',
    ],
    look: 'The red sweep of the invalidation, then the driver’s second attempt.',
    file: preset('invalidation-race'),
    at: '1st-invalidation',
  },
  {
    id: 'after-5.2',
    title: 'What changed after Linux 5.2',
    body: [
      'In Linux 5.2 a fault first reset every entry to the end of the chunk to `values[NONE]`, so the requests stored there were lost. Here page 4’s read fault wipes page 6’s WRITE request: page 6 comes back read-only although the driver asked to write it. Only what `default_flags` asks survives.',
      'Later kernels fixed this and more: 5.4 faults swapped-out pages, fails a range outside any vma with -EFAULT and a write to a read-only vma with -EPERM; 5.5 replaced `range->valid` with `mmu_interval_notifier` sequence counts (the check of step 7) and reports the zero page read-only; 5.7 keeps the inputs and has one entry point, `hmm_range_fault(range)`; 5.8 fixed the bit layout (`HMM_PFN_REQ_FAULT`, `HMM_PFN_REQ_WRITE`).',
      'The rule the seed added never changed: `(pfns[i] & pfn_flags_mask) | default_flags`.',
    ],
    look: 'Page 6: its W in the input before the fault, NONE after, then a read-only output.',
    file: preset('v5.2-request-lost-in-chunk'),
    at: '1st-pte-on-6',
    tryIt: {
      label: 'Run the same on Linux 6.1',
      edit: (s) => setKernel(s, v6_1.id),
      then: 'On Linux 6.1 page 6 keeps its request: it is write-faulted, with the rest of its chunk, and comes back writable.',
    },
  },
  {
    id: 'your-turn',
    title: 'Your turn',
    body: [
      'That is the whole section: a range-wide `default_flags`, a `pfn_flags_mask` that lets chosen bits of each entry through, and what the walk does with the result.',
      'The stage shows seed example 2, the two together, on Linux 6.1. Play it, then go further: the explorer runs any scenario you build, Predict asks you to guess the faults before you play, and Compare puts two policies side by side.',
    ],
    look: 'Press Play (or Space) and watch page 5’s write request.',
    file: preset('example-2'),
    at: 'start',
  },
];

/** A guided tour: one wording of a section of hmm.rst, and its steps. */
export interface Tour {
  id: TourId;
  /** The link's key: `#tour=3`, `#today=3` (lower-case letters, as boot.ts reads them). */
  route: string;
  /** The section of Documentation/mm/hmm.rst the tour explains. */
  section: string;
  /** Where the quoted words come from. */
  source: string;
  /** A short name for the switch between tours. */
  name: string;
  steps: readonly TourStep[];
}
