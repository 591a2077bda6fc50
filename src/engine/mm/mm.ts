/**
 * The simulated address space: the vma list, a four-level x86-64 page table (pgd -> pud -> pmd ->
 * pte, p4d folded) and the physical pages behind it. Spec: hmm-semantics.md sections 2.6 (holes at
 * the highest missing level) and 4; scenario-format.md ("cpu" and the derived table levels).
 *
 * Addresses are virtual page numbers (vpn = address >> 12), absolute, kept as JS numbers (47-bit
 * user addresses give 35-bit vpns). A pmd slot is either a pte table (512 states and pfns) or a
 * huge mapping (a THP pmd, or a hugetlb huge pte); a 2 MiB block with no slot has no pte table.
 */
import type { FaultModel } from '../kernels/generation.ts';
import type { VmaSpecial } from '../types.ts';
import { S } from './states.ts';
import { MmuNotifierChain } from './notifier.ts';

export const PTRS = 512;
export const PMD_PAGES = PTRS; // 2 MiB
export const PUD_PAGES = PTRS * PTRS; // 1 GiB
export const PGD_PAGES = PTRS * PTRS * PTRS; // 512 GiB

/** The shared zero page and the huge zero page: fixed frames, so outputs are reproducible. */
export const ZERO_PFN = 0x1000;
export const HUGE_ZERO_PFN = 0x2000;
/** Frames handed out to new pages, device-private pages and special (pfnmap) mappings. */
const FIRST_PFN = 0x10000;
const FIRST_DEVICE_PFN = 0x800000;
const FIRST_SPECIAL_PFN = 0xfe000;

export interface MmVma {
  /** [start, end) in absolute vpns. */
  start: number;
  end: number;
  read: boolean;
  write: boolean;
  shared: boolean;
  anon: boolean;
  special: VmaSpecial | null;
  thp: boolean;
  /** Fault injection: page allocations for faults here fail (VM_FAULT_OOM). */
  allocFails: boolean;
  /** Registered with userfaultfd in MISSING mode (hmm-semantics.md 10.4). */
  uffd: 'missing' | null;
}

export interface PmdSlot {
  huge: boolean;
  /** Huge mapping: its state (thp-* or, in a hugetlb vma, none/ro/rw) and first frame. */
  hugeState: number;
  hugePfn: number;
  /** pte table: per-page state and frame (-1 for none / swap / non-present entries). */
  state: Uint8Array | null;
  pfn: Int32Array | null;
}

export type Level = 'pgd' | 'pud' | 'pmd' | 'table' | 'huge';

export const blockOf = (vpn: number): number => Math.floor(vpn / PMD_PAGES);
export const blockStart = (vpn: number): number => vpn - (vpn % PMD_PAGES);

/**
 * Where pte tables come from. Those of the range's own blocks are laid end to end in block order
 * in one pair of buffers made up front, so that the range's pages sit contiguously in them: the
 * build copies the scenario's states in with one set(), and the run hands the range's states and
 * frames back as views of those buffers instead of copying them out (see takeRange). A block has
 * at most one pte table at a time (setHuge never replaces a table, splitHuge only a huge
 * mapping), so a block's place in the buffers is never shared. A table outside the range (a
 * fault in a vma beyond it) is carved out of growing chunks: a million-page range needs thousands
 * of tables, and allocating each 4.5 KiB pair of typed arrays on its own costs more than filling
 * them. Fresh tables hold none states and -1 frames (the range's, once buildMm has written them).
 */
class TablePool {
  /** The range's blocks [firstBlock, firstBlock + blocks): their tables, in block order. */
  readonly rangeStates: Uint8Array;
  readonly rangeFrames: Int32Array;
  private states = new Uint8Array(0);
  private frames = new Int32Array(0);
  private used = 0;
  private capacity = 0;
  private nextChunk = 8;

  constructor(
    readonly firstBlock: number,
    readonly blocks: number,
    states?: Uint8Array,
  ) {
    if (states && states.length !== blocks * PTRS)
      throw new Error(`a range of ${blocks} blocks needs ${blocks * PTRS} states, not ${states.length}`);
    this.rangeStates = states ?? new Uint8Array(blocks * PTRS);
    // Not filled here: buildMm writes every one of these frames once (a frame, or -1), so a
    // million-page range's 4 MiB is written once, not twice (build.test.ts checks every page).
    this.rangeFrames = new Int32Array(blocks * PTRS);
  }

  take(slot: PmdSlot, block: number): void {
    const inRange = block - this.firstBlock;
    if (inRange >= 0 && inRange < this.blocks) {
      const at = inRange * PTRS;
      slot.state = this.rangeStates.subarray(at, at + PTRS);
      slot.pfn = this.rangeFrames.subarray(at, at + PTRS);
      return;
    }
    if (this.used === this.capacity) {
      this.capacity = this.nextChunk;
      this.nextChunk *= 2;
      this.states = new Uint8Array(this.capacity * PTRS);
      this.frames = new Int32Array(this.capacity * PTRS).fill(-1);
      this.used = 0;
    }
    const at = this.used++ * PTRS;
    slot.state = this.states.subarray(at, at + PTRS);
    slot.pfn = this.frames.subarray(at, at + PTRS);
  }
}

/** The blocks a range of pages [from, from + n) touches: the pte tables it may need. */
export interface RangeBlocks {
  firstBlock: number;
  blocks: number;
}

export const rangeBlocks = (from: number, n: number): RangeBlocks => ({
  firstBlock: blockOf(from),
  blocks: n > 0 ? blockOf(from + n - 1) - blockOf(from) + 1 : 0,
});

export class Mm {
  /** How this generation's handle_mm_fault() differs (mm/memory.c). */
  readonly faults: FaultModel;
  /**
   * Soft-dirty tracking is on (clear_refs cleared VM_SOFTDIRTY and the soft-dirty bits), so a
   * read swap-in stays read-only: the first write must fault to be tracked (see build.ts).
   */
  softDirtyTracking = false;
  /** mmu_notifier subscribers of this mm (the mirroring driver). */
  readonly notifier = new MmuNotifierChain();
  vmas: MmVma[] = [];
  /**
   * Swap and migration entries of an anonymous page that fork duplicated into the child
   * (copy_nonpresent_pte: swap_duplicate(), or the migration entry copied and made readable), so
   * the page is not exclusive when it comes back: do_swap_page() or remove_migration_pte() maps it
   * read-only ("cow"), and a write copies it.
   */
  readonly sharedAfterFork = new Set<number>();
  private readonly slots = new Map<number, PmdSlot>();
  /** The last block looked up: walks and fault spans touch one block many times in a row. */
  private cachedBlock = -1;
  private cachedSlot: PmdSlot | undefined = undefined;
  /** 1 GiB regions that have a pmd table (their pud entry is present). */
  readonly pmdTables = new Set<number>();
  /** 512 GiB regions that have a pud table (their pgd entry is present). */
  readonly pudTables = new Set<number>();
  /** Bumped by every page-table change: a walk that faults but changes nothing makes no progress. */
  generation = 0;
  /** Called for every entry change (vpns [from, to) now in `state`), to trace CPU changes. */
  onChange: ((from: number, to: number, state: number) => void) | null = null;
  /** The next free frame (allocPfn() hands it out; the bulk builder takes frames directly). */
  nextPfn = FIRST_PFN;
  private nextDevicePfn = FIRST_DEVICE_PFN;
  private nextSpecialPfn = FIRST_SPECIAL_PFN;

  private readonly tables: TablePool;

  /**
   * `range`: the blocks whose pte tables are laid out in range order (see TablePool). Their
   * frames start at 0, not -1: only buildMm makes an mm with a range, and it writes them all.
   * `states`: the range's states buffer to use as it is (the builder's, already holding the
   * range's states), instead of a new one.
   */
  constructor(faults: FaultModel, range: RangeBlocks = { firstBlock: 0, blocks: 0 }, states?: Uint8Array) {
    this.faults = faults;
    this.tables = new TablePool(range.firstBlock, range.blocks, states);
  }

  /** find_vma(): the first vma that ends above vpn (it may start above it too). */
  findVma(vpn: number): MmVma | null {
    for (const v of this.vmas) if (v.end > vpn) return v;
    return null;
  }

  /** The vma that contains vpn, or null in a gap. */
  vmaAt(vpn: number): MmVma | null {
    const v = this.findVma(vpn);
    return v && v.start <= vpn ? v : null;
  }

  allocPfn(): number {
    return this.nextPfn++;
  }

  allocHugePfn(): number {
    const pfn = Math.ceil(this.nextPfn / PMD_PAGES) * PMD_PAGES;
    this.nextPfn = pfn + PMD_PAGES;
    return pfn;
  }

  allocDevicePfn(): number {
    return this.nextDevicePfn++;
  }

  /** 512 contiguous, aligned device frames (a device-private THP). */
  allocHugeDevicePfn(): number {
    const pfn = Math.ceil(this.nextDevicePfn / PMD_PAGES) * PMD_PAGES;
    this.nextDevicePfn = pfn + PMD_PAGES;
    return pfn;
  }

  allocSpecialPfn(): number {
    return this.nextSpecialPfn++;
  }

  private getSlot(block: number): PmdSlot | undefined {
    if (block !== this.cachedBlock) {
      this.cachedBlock = block;
      this.cachedSlot = this.slots.get(block);
    }
    return this.cachedSlot;
  }

  private putSlot(block: number, slot: PmdSlot): void {
    this.slots.set(block, slot);
    this.cachedBlock = block;
    this.cachedSlot = slot;
  }

  /** Which level of the page table the walk stops at for vpn. */
  level(vpn: number): Level {
    if (!this.pudTables.has(Math.floor(vpn / PGD_PAGES))) return 'pgd';
    if (!this.pmdTables.has(Math.floor(vpn / PUD_PAGES))) return 'pud';
    const slot = this.getSlot(blockOf(vpn));
    if (!slot) return 'pmd';
    return slot.huge ? 'huge' : 'table';
  }

  slot(vpn: number): PmdSlot | undefined {
    return this.getSlot(blockOf(vpn));
  }

  /** The state of the entry that maps vpn: a pte, or the huge mapping over it. */
  stateOf(vpn: number): number {
    const slot = this.getSlot(blockOf(vpn));
    if (!slot) return S.none;
    if (slot.huge) return slot.hugeState;
    return slot.state![vpn % PMD_PAGES];
  }

  pfnOf(vpn: number): number {
    const slot = this.getSlot(blockOf(vpn));
    if (!slot) return -1;
    if (slot.huge) return slot.hugeState === S.none ? -1 : slot.hugePfn + (vpn % PMD_PAGES);
    return slot.pfn![vpn % PMD_PAGES];
  }

  private touchRegions(vpn: number): void {
    this.pmdTables.add(Math.floor(vpn / PUD_PAGES));
    this.pudTables.add(Math.floor(vpn / PGD_PAGES));
  }

  /** __pte_alloc(): the pte table of vpn's block, created (with its upper levels) if missing. */
  ensureTable(vpn: number): PmdSlot {
    const b = blockOf(vpn);
    let slot = this.getSlot(b);
    if (!slot) {
      slot = {
        huge: false,
        hugeState: S.none,
        hugePfn: -1,
        state: null,
        pfn: null,
      };
      this.tables.take(slot, b);
      this.putSlot(b, slot);
      this.touchRegions(vpn);
    }
    return slot;
  }

  setPte(vpn: number, state: number, pfn: number): void {
    const slot = this.ensureTable(vpn);
    if (slot.huge) throw new Error(`setPte on a huge mapping at vpn ${vpn}`);
    const k = vpn % PMD_PAGES;
    if (slot.state![k] === state && slot.pfn![k] === pfn) return; // no change, no progress
    slot.state![k] = state;
    slot.pfn![k] = pfn;
    this.generation++;
    this.onChange?.(vpn, vpn + 1, state);
  }

  /** Install a huge mapping (THP pmd or hugetlb huge pte) over vpn's whole 2 MiB block. */
  setHuge(vpn: number, state: number, pfn: number): void {
    this.putSlot(blockOf(vpn), { huge: true, hugeState: state, hugePfn: pfn, state: null, pfn: null });
    this.touchRegions(vpn);
    const start = blockStart(vpn);
    this.generation++;
    this.onChange?.(start, start + PMD_PAGES, state);
  }

  /** Change a huge mapping's state in place (same frames). */
  setHugeState(vpn: number, state: number): void {
    const slot = this.getSlot(blockOf(vpn));
    if (!slot || !slot.huge) throw new Error(`setHugeState without a huge mapping at vpn ${vpn}`);
    if (slot.hugeState === state) return;
    slot.hugeState = state;
    const start = blockStart(vpn);
    this.generation++;
    this.onChange?.(start, start + PMD_PAGES, state);
  }

  /**
   * __split_huge_pmd(): replace a huge pmd by a pte table whose 512 entries map the same frames
   * with the given small-page state.
   */
  splitHuge(vpn: number, smallState: number, samePfnForAll: boolean): void {
    const slot = this.getSlot(blockOf(vpn));
    if (!slot || !slot.huge) return;
    const fresh: PmdSlot = { huge: false, hugeState: S.none, hugePfn: -1, state: null, pfn: null };
    this.tables.take(fresh, blockOf(vpn));
    fresh.state!.fill(smallState);
    for (let i = 0; i < PMD_PAGES; i++) fresh.pfn![i] = samePfnForAll ? ZERO_PFN : slot.hugePfn + i;
    this.putSlot(blockOf(vpn), fresh);
    const start = blockStart(vpn);
    this.generation++;
    this.onChange?.(start, start + PMD_PAGES, smallState);
  }

  /**
   * The range's states and frames as views of the range-ordered table buffers, with no copy: what
   * a page-by-page read of the range would give (build.test.ts holds the two equal). Each huge
   * mapping's pages are written into its block's place first (unused while the block is mapped
   * huge, and a later split would overwrite all of it), and a block without a table still holds
   * the none states and -1 frames buildMm gave it (no table is ever taken away). Call it once, at
   * the end of a run: the views alias the live page table.
   */
  takeRange(from: number, n: number): { states: Uint8Array; pfns: Int32Array } {
    const { firstBlock, blocks, rangeStates, rangeFrames } = this.tables;
    const range = rangeBlocks(from, n);
    if (range.firstBlock !== firstBlock || range.blocks !== blocks)
      throw new Error(`takeRange(${from}, ${n}) is not the range this mm was built for`);
    for (let b = 0; b < blocks; b++) {
      const slot = this.slots.get(firstBlock + b);
      if (!slot?.huge) continue;
      const at = b * PTRS;
      rangeStates.fill(slot.hugeState, at, at + PTRS);
      if (slot.hugeState === S.none) rangeFrames.fill(-1, at, at + PTRS);
      else for (let k = 0; k < PTRS; k++) rangeFrames[at + k] = slot.hugePfn + k;
    }
    const at = from - firstBlock * PTRS;
    return { states: rangeStates.subarray(at, at + n), pfns: rangeFrames.subarray(at, at + n) };
  }

  /**
   * The range-ordered table buffers, for the builder: it copies the scenario's states in whole
   * and writes frames straight into them. `at` is where page `from` of the range sits.
   */
  rangeTables(from: number): { states: Uint8Array; frames: Int32Array; at: number } {
    const { firstBlock, rangeStates, rangeFrames } = this.tables;
    return { states: rangeStates, frames: rangeFrames, at: from - firstBlock * PTRS };
  }

  /** Split the vma list at vpn (as __split_vma does), so a change can apply to part of a vma. */
  splitVmaAt(vpn: number): void {
    const i = this.vmas.findIndex((v) => v.start < vpn && vpn < v.end);
    if (i < 0) return;
    const v = this.vmas[i];
    this.vmas.splice(i, 1, { ...v, end: vpn }, { ...v, start: vpn });
  }
}
