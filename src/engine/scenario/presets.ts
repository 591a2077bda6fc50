/**
 * The example scenarios. The files live in public/scenarios/ so users and docs can load or link
 * them as they are; they are imported here so the app ships them without a fetch. Each one shows
 * one behaviour of hmm-semantics.md; `watch` says what to look for, in one sentence.
 */
import { DEFAULT_PRESET_ID, DEFAULT_WATCH } from './defaultPreset.ts';
import amdgpuRangePolicy from '../../../public/scenarios/amdgpu-range-policy.json';
import cowAfterFork from '../../../public/scenarios/cow-after-fork.json';
import example1V52 from '../../../public/scenarios/example-1-v5.2.json';
import example1 from '../../../public/scenarios/example-1.json';
import example2V52 from '../../../public/scenarios/example-2-v5.2.json';
import example2 from '../../../public/scenarios/example-2.json';
import holeAcrossPmdBoundary from '../../../public/scenarios/hole-across-pmd-boundary.json';
import invalidationRaceV52 from '../../../public/scenarios/invalidation-race-v5.2.json';
import invalidationRace from '../../../public/scenarios/invalidation-race.json';
import nouveauPerFault from '../../../public/scenarios/nouveau-per-fault.json';
import oldApiHmmVmaFault from '../../../public/scenarios/old-api-hmm-vma-fault.json';
import v52LivelockWriteRoVma from '../../../public/scenarios/v5.2-livelock-write-ro-vma.json';
import v52OopsRangeOutsideVma from '../../../public/scenarios/v5.2-oops-range-outside-vma.json';
import v52RequestLostInChunk from '../../../public/scenarios/v5.2-request-lost-in-chunk.json';
import v52SwapNeverFaulted from '../../../public/scenarios/v5.2-swap-never-faulted.json';
import v52ZeroPageEfault from '../../../public/scenarios/v5.2-zero-page-efault.json';
import enomemV612 from '../../../public/scenarios/enomem-v6.12.json';
import example2V73 from '../../../public/scenarios/example-2-v7.3.json';
import swapInWritableV61 from '../../../public/scenarios/swap-in-writable-v6.1.json';
import swapInWritable from '../../../public/scenarios/swap-in-writable.json';
import v73DevicePrivateThp from '../../../public/scenarios/v7.3-device-private-thp.json';
import v73Enomem from '../../../public/scenarios/v7.3-enomem.json';
import v73GuardMarker from '../../../public/scenarios/v7.3-guard-marker.json';
import v73StickyDmaBits from '../../../public/scenarios/v7.3-sticky-dma-bits.json';
import v52UffdEagain from '../../../public/scenarios/v5.2-uffd-eagain.json';
import v73UffdReadLocked from '../../../public/scenarios/v7.3-uffd-read-locked.json';
import v73UffdReadUnlocked from '../../../public/scenarios/v7.3-uffd-read-unlocked.json';
import v73UnlockedMunmapAfterFirstFault from '../../../public/scenarios/v7.3-unlocked-munmap-after-first-fault.json';
import v73UnlockedMunmapBlocked from '../../../public/scenarios/v7.3-unlocked-munmap-blocked.json';
import munmapAfterFault from '../../../public/scenarios/munmap-after-fault.json';
import munmapAfterFaultV52 from '../../../public/scenarios/munmap-after-fault-v5.2.json';
import swapOutBetweenFaults from '../../../public/scenarios/swap-out-between-faults.json';
import v52StalePfnsDuringWalk from '../../../public/scenarios/v5.2-stale-pfns-during-walk.json';
import v52ValidFalse from '../../../public/scenarios/v5.2-valid-false.json';

export interface Preset {
  /** Also the file name in public/scenarios/ (without ".json"). */
  id: string;
  group: string;
  title: string;
  /** One sentence: what to watch for. */
  watch: string;
  /** The scenario file, as written (parse it with parseScenario). */
  file: object;
}

const preset = (id: string, group: string, file: { title: string }, watch: string): Preset => ({
  id,
  group,
  title: file.title,
  watch,
  file,
});

const SEED = 'Seed examples';
const DRIVERS = 'Driver policies';
const RACES = 'Invalidations and retries';
const FIXED = 'v5.2 behaviours fixed later';
const NEW = 'New in Linux 6.12 and 7.3';
const UNLOCKED = 'Faults that drop mmap_lock (userfaultfd)';
const LOCK = 'The mmap lock';

export const PRESETS: readonly Preset[] = [
  preset('example-2', SEED, example2, DEFAULT_WATCH),
  preset(
    'example-1',
    SEED,
    example1,
    'The read fault on page 4 sweeps the rest of the pmd chunk: untouched pages get the shared zero page and the swapped-out page is read back, all read-only.',
  ),
  preset(
    'example-2-v5.2',
    SEED,
    example2V52,
    'The same request on v5.2, through the seed layout: page 5 write-faults the rest of its chunk, and the copies do not stop the call, because range->valid is false only while an invalidation runs.',
  ),
  preset(
    'example-1-v5.2',
    SEED,
    example1V52,
    'v5.2 faults the untouched pages in as the shared zero page, then stops at it on the next walk: a special pte, so hmm_vma_handle_pte writes values[SPECIAL] and returns -EFAULT, and hmm_pfns_clear overwrites that entry and every later one with values[NONE] before the call fails with -EFAULT.',
  ),
  preset(
    'hole-across-pmd-boundary',
    SEED,
    holeAcrossPmdBoundary,
    'Nothing in this 1 GiB region has a page table yet, so the walk sees one hole across the 2 MiB boundary, and the one write request write-faults all 16 pages.',
  ),
  preset(
    'old-api-hmm-vma-fault',
    DRIVERS,
    oldApiHmmVmaFault,
    "The wrapper forces default_flags = 0 and pfn_flags_mask = ~0, so only the entries the caller filled count, yet page 3's write fault still sweeps pages 6-7, which asked for nothing.",
  ),
  preset(
    'nouveau-per-fault',
    DRIVERS,
    nouveauPerFault,
    "nouveau's SVM arrived in Linux 5.3, which registers the range with hmm_range_register(range, mirror, ...) and kept the 2019 walk: this runs its bits and its per-fault policy on the 5.2 model. Each entry carries one GPU fault's own request in nouveau's bits: page 3 asked for nothing and comes back NONE, page 6 is write-faulted, and the device page on page 5 is reported with the VRAM bit instead of being faulted.",
  ),
  preset(
    'amdgpu-range-policy',
    DRIVERS,
    amdgpuRangePolicy,
    'With mask 0 the array is ignored and default_flags asks for write everywhere, so the first read-only page write-faults the rest of the pmd chunk, swapped-out page included.',
  ),
  preset(
    'cow-after-fork',
    RACES,
    cowAfterFork,
    'Every write fault copies a page still shared with the child and invalidates it, so hmm_range_fault returns -EBUSY and the driver starts again from the range start.',
  ),
  preset(
    'invalidation-race',
    RACES,
    invalidationRace,
    'Pages 0-3 are swapped out after hmm_range_fault returned but before the driver took its lock, so mmu_interval_read_retry sees a new sequence and the driver retries instead of programming stale pfns.',
  ),
  preset(
    'invalidation-race-v5.2',
    RACES,
    invalidationRaceV52,
    'On v5.2 the invalidation is over by the time the driver checks range->valid, so the check passes and the device is programmed with pfns the CPU no longer maps (the race the 5.5 sequence counts closed).',
  ),
  preset(
    'munmap-after-fault',
    LOCK,
    munmapAfterFault,
    'munmap is issued after the first fault but needs mmap_lock for write, so it waits until hmm_range_fault returns; its invalidation then fails mmu_interval_read_retry, and the retry finds no vma for pages 0-3, which were asked for: -EFAULT, and the device is never programmed from the stale result.',
  ),
  preset(
    'munmap-after-fault-v5.2',
    LOCK,
    munmapAfterFaultV52,
    'The v5.2 driver holds mmap_sem from the call until it has programmed the device, so the waiting munmap runs only after up_read: the call succeeds, the device gets pages 0-7, and the munmap invalidation then erases pages 0-3 from it.',
  ),
  preset(
    'swap-out-between-faults',
    LOCK,
    swapOutBetweenFaults,
    "Reclaim takes no mmap_lock, so pages 0-1 are swapped out between the faults of pages 6 and 7: the call returns -EBUSY, and the driver's second attempt reads them back from swap, read-only on Linux 6.1.",
  ),
  preset(
    'v5.2-stale-pfns-during-walk',
    FIXED,
    v52StalePfnsDuringWalk,
    'Pages 0-3 are swapped out during the walk, which already reported them: range->valid is true again by the time the driver checks it, so the device is programmed with pfns the CPU no longer maps (5.5 replaced the flag with a sequence count).',
  ),
  preset(
    'v5.2-valid-false',
    FIXED,
    v52ValidFalse,
    'Each invalidation is still in progress when HMM or the driver looks, so range->valid is false: -EAGAIN with mmap_sem released inside the call, then the walk stopped with -EBUSY and its entries cleared, then hmm_range_valid() false before programming, whose goto again does not wait, so the next call fails -EAGAIN once more; the driver waits in hmm_range_wait_until_valid() only on its -EAGAIN / -EBUSY path.',
  ),
  preset(
    'v5.2-zero-page-efault',
    FIXED,
    v52ZeroPageEfault,
    'The shared zero page is a special pte to v5.2, so the walk stops at page 2 and the call fails with -EFAULT, although nothing needed a fault (5.5 reports it as a read-only page).',
  ),
  preset(
    'v5.2-swap-never-faulted',
    FIXED,
    v52SwapNeverFaulted,
    'v5.2 never computes the fault need of a swap entry, so the swapped-out pages come back NONE although VALID was asked for, and the call still succeeds (fixed in 5.4).',
  ),
  preset(
    'v5.2-request-lost-in-chunk',
    FIXED,
    v52RequestLostInChunk,
    "Page 4's read fault first resets the rest of the chunk to NONE, wiping page 6's WRITE request, so page 6 is only read-faulted and comes back read-only (fixed in 5.7).",
  ),
  preset(
    'v5.2-livelock-write-ro-vma',
    FIXED,
    v52LivelockWriteRoVma,
    "v5.2 has no VM_WRITE check, so each write fault 'succeeds' without making the pte writable, and since default_flags asks for write again on every walk, the same pages are faulted forever (5.4 returns -EPERM).",
  ),
  preset(
    'v5.2-oops-range-outside-vma',
    FIXED,
    v52OopsRangeOutsideVma,
    'find_vma returns the vma after the gap and v5.2 never checks vm_start, so the walk faults an address that has no vma: a NULL pointer dereference (5.4 returns -EFAULT).',
  ),
  preset(
    'example-2-v7.3',
    NEW,
    example2V73,
    "Linux 7.3's walk only records what needs a fault (hmm_record_fault), unwinds, and then hmm_do_fault faults the span: the same faults as 6.1, in a new order of steps.",
  ),
  preset(
    'swap-in-writable',
    NEW,
    swapInWritable,
    'A read fault swaps in pages 0-3; since 6.11 an exclusive page comes back writable (handle_mm_fault returns 0x4, VM_FAULT_MAJOR), so the device gets rw without a write fault.',
  ),
  preset(
    'swap-in-writable-v6.1',
    NEW,
    swapInWritableV61,
    'The same read swap-in on Linux 6.1: pages 0-3 come back read-only, and a later write from the device would need a write fault.',
  ),
  preset(
    'v7.3-sticky-dma-bits',
    NEW,
    v73StickyDmaBits,
    'Pages 0, 1, 2, 4, 6 and 7 carry DMA_MAPPED (bit 60) or P2PDMA bits in their input: every output keeps them, even the ERROR of the pages with no vma.',
  ),
  preset(
    'v7.3-enomem',
    NEW,
    v73Enomem,
    "Page 3's write fault must copy the zero page, but its allocation fails (VM_FAULT_OOM, 0x1): Linux 7.3 returns -ENOMEM.",
  ),
  preset(
    'enomem-v6.12',
    NEW,
    enomemV612,
    'The same failed allocation on Linux 6.12: hmm_vma_fault turns every VM_FAULT_ERROR into -EFAULT.',
  ),
  preset(
    'v7.3-guard-marker',
    NEW,
    v73GuardMarker,
    'Page 2 is a guard marker nobody asked for: 0. Page 5 is one that was asked for: -EFAULT at once, without a handle_mm_fault call.',
  ),
  preset(
    'v7.3-device-private-thp',
    NEW,
    v73DevicePrivateThp,
    "Pages 0-7 are this device's own device-private THP, reported with order 9 and never faulted; pages 8-15 are another device's, so they are faulted and migrate back to RAM, and the migration makes the driver retry.",
  ),
  preset(
    'v7.3-uffd-read-unlocked',
    UNLOCKED,
    v73UffdReadUnlocked,
    'Each fault drops mmap_lock and returns VM_FAULT_RETRY after the handler copied the page in, so every pass walks again from page 0: 4 faults, 5 walks, one driver attempt, and the device ends with 4 rw pages.',
  ),
  preset(
    'v7.3-uffd-read-locked',
    UNLOCKED,
    v73UffdReadLocked,
    'The locked call cannot let a fault drop mmap_lock, so the first userfaultfd fault fails with VM_FAULT_SIGBUS and the call returns -EFAULT.',
  ),
  preset(
    'v7.3-unlocked-munmap-after-first-fault',
    UNLOCKED,
    v73UnlockedMunmapAfterFirstFault,
    'The munmap runs at once because the first fault has already dropped mmap_lock; the walk restarts at page 0 and the third pass finds no vma at page 2: -EFAULT.',
  ),
  preset(
    'v7.3-unlocked-munmap-blocked',
    UNLOCKED,
    v73UnlockedMunmapBlocked,
    "The munmap waits while the call holds mmap_lock and gets in when page 1's userfaultfd fault drops it, so the handler's copy finds no vma and the fault sleeps for ever: blocked.",
  ),
  preset(
    'v5.2-uffd-eagain',
    UNLOCKED,
    v52UffdEagain,
    'Each userfaultfd fault releases mmap_sem and hmm_range_fault returns -EAGAIN, so the driver starts again without an up_read of its own: one attempt per missing page, 5 in all.',
  ),
];

/** The scenario the app opens with. */
export { DEFAULT_PRESET_ID };

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
