/**
 * Build the simulated address space from a scenario: its vmas and the CPU page table the "cpu"
 * map describes. Upper page-table levels are derived, as the format says: a 2 MiB block whose
 * pages are all none has no pte table, a 1 GiB region with no table below it has no pmd table,
 * and so on up (spec 2.6: holes are reported at the highest missing level).
 */
import type { FaultModel } from '../kernels/generation.ts';
import { CPU_STATES, type Scenario } from '../types.ts';
import { HUGE_ZERO_PFN, Mm, type MmVma, PGD_PAGES, PMD_PAGES, rangeBlocks, ZERO_PFN } from './mm.ts';
import { isDevicePrivate, isDevicePrivatePmd, isPteMarker, isThp, S } from './states.ts';

const { none: NONE, zero: ZERO, special: SPECIAL, swap: SWAP, thpZero: THP_ZERO } = S;

/** What backs a page in each state: a new frame, the zero page, device memory, a raw pfn, no frame, a huge mapping. */
const PAGE = 0;
const ZERO_PAGE = 1;
const DEVICE = 2;
const PFN = 3;
const NO_FRAME = 4;
const HUGE = 5;
const KIND = Uint8Array.from(CPU_STATES, (_, c) =>
  isThp(c)
    ? HUGE
    : c === ZERO
      ? ZERO_PAGE
      : isDevicePrivate(c)
        ? DEVICE
        : c === SPECIAL
          ? PFN
          : c === SWAP || isPteMarker(c)
            ? NO_FRAME
            : PAGE,
);

/**
 * The engine numbers pages from a 512 GiB-aligned base at or below every vma and the range, not
 * from address 0: every alignment the page table cares about (2 MiB, 1 GiB, 512 GiB) is kept,
 * and the numbers stay small non-negative integers, which the per-page loops divide and shift
 * much faster than 35-bit ones.
 */
export function startVpnOf(s: Scenario): number {
  const abs = Number(s.range.start >> 12n);
  const lowest = Math.min(abs, ...s.vmas.map((v) => abs + v.from));
  return abs - (lowest - (lowest % PGD_PAGES));
}

export function vmaFromScenario(startVpn: number, v: Scenario['vmas'][number]): MmVma {
  return {
    start: startVpn + v.from,
    end: startVpn + v.from + v.pages,
    read: v.prot.includes('r'),
    write: v.prot.includes('w'),
    shared: v.shared,
    anon: v.backing === 'anon',
    special: v.special,
    thp: v.thp,
    allocFails: v.allocFails,
    uffd: v.uffd,
  };
}

/**
 * States the recordings made by clearing the soft-dirty bits (`echo 4 > /proc/self/clear_refs`),
 * which write-protects ptes and clears VM_SOFTDIRTY on every vma: soft-dirty tracking is then on
 * for the whole mm. The harness clears them whenever a scenario has an `ro` page, and the
 * device-private and `thp-ro` states need it too (kernel-fixtures README, "How each CPU state was
 * made" and rule 3 of "What the scenarios contain"). The format has no field for the tracking
 * itself; this is how its states come to exist (hmm-semantics.md 11, scenario 057).
 */
const SOFT_DIRTY_STATES: readonly string[] = [
  'ro',
  'thp-ro',
  'devpriv',
  'devpriv-rw',
  'devpriv-other',
  'devpriv-other-rw',
];
/** 1 per state code that needs the soft-dirty bits cleared: one load per page, not a Set lookup. */
const SOFT_DIRTY_CLEARED = Uint8Array.from(CPU_STATES, (st) => (SOFT_DIRTY_STATES.includes(st) ? 1 : 0));

function softDirtyCleared(cpu: Uint8Array): boolean {
  for (let i = 0; i < cpu.length; i++) if (SOFT_DIRTY_CLEARED[cpu[i]]) return true;
  return false;
}

/**
 * Build in bulk: the range's states go into its range-ordered pte tables with one set() (a block
 * without a table holds only none there, and a block mapped huge ignores its place until it is
 * split or read back), then the frames are written a run of one state at a time, in page order,
 * so every frame is handed out exactly as a page-by-page build would (build.test.ts holds the two
 * equal). A run's frames are a count (new pages, device pages, raw pfns), a constant (the zero
 * page) or nothing (-1 is already there).
 */
export function buildMm(s: Scenario, faults: FaultModel, takeCpu = false): Mm {
  const startVpn = startVpnOf(s);
  const n = s.range.pages;
  const blocks = rangeBlocks(startVpn, n);
  // A range of whole 2 MiB blocks has its states laid out exactly as the scenario's: with
  // `takeCpu` (the caller drops the scenario after the run) that array becomes the range's pte
  // states, written in place, instead of a copy.
  const adopt = takeCpu && startVpn % PMD_PAGES === 0 && n === blocks.blocks * PMD_PAGES;
  const mm = new Mm(faults, blocks, adopt ? s.cpu : undefined);
  mm.softDirtyTracking = softDirtyCleared(s.cpu);
  mm.vmas = s.vmas.map((v) => vmaFromScenario(startVpn, v));
  const hugetlb = mm.vmas.filter((v) => v.special === 'hugetlb');
  const inHugetlb = (vpn: number) => hugetlb.some((v) => v.start <= vpn && vpn < v.end);
  const cpu = s.cpu;
  const { states, frames, at } = mm.rangeTables(startVpn);
  if (!adopt) states.set(cpu, at);
  // The frames buffer is not filled in advance: every place in it is written once, below. The
  // pages of the range's first and last blocks that lie outside the range have no entry.
  frames.fill(-1, 0, at);
  frames.fill(-1, at + n);
  let next = mm.nextPfn; // frames handed out here, kept in a local for the per-page loops
  for (let i = 0; i < n;) {
    const vpn0 = startVpn + i;
    const end = i + Math.min(PMD_PAGES - (vpn0 % PMD_PAGES), n - i); // this 2 MiB block's pages
    let table = false;
    while (i < end) {
      const st = cpu[i];
      const kind = KIND[st];
      let j = i + 1;
      if (hugetlb.length === 0 && kind === PAGE && st !== NONE) {
        // The common run, pages with a frame each: the frames are written in the same pass that
        // finds where the run ends (one pass over a million states, not two).
        let pfn = next;
        frames[at + i] = pfn++;
        while (j < end && cpu[j] === st) frames[at + j++] = pfn++;
        next = pfn;
        if (!table) {
          mm.ensureTable(startVpn + i); // its states and frames are the range-ordered ones written here
          table = true;
        }
        i = j;
        continue;
      }
      // A hugetlb vma may start inside a run of one state: there, one page at a time.
      if (hugetlb.length === 0) while (j < end && cpu[j] === st) j++;
      const vpn = startVpn + i;
      if (st === NONE) {
        // No entry, no table (a fault may make one later: its frames are -1 already).
        frames.fill(-1, at + i, at + j);
      } else if (kind === HUGE || (hugetlb.length > 0 && inHugetlb(vpn))) {
        // The block's frames are written when the run reads it back (takeRange) or splits it.
        frames.fill(-1, at + i, at + j);
        // One huge mapping per 2 MiB block; its other range pages carry the same state.
        if (!mm.slot(vpn)?.huge) {
          mm.nextPfn = next;
          mm.setHuge(
            vpn,
            st,
            st === THP_ZERO
              ? HUGE_ZERO_PFN
              : isDevicePrivatePmd(st)
                ? mm.allocHugeDevicePfn()
                : mm.allocHugePfn(),
          );
          next = mm.nextPfn;
        }
      } else {
        if (!table) {
          mm.ensureTable(vpn); // its states and frames are the range-ordered ones written here
          table = true;
        }
        if (kind === PAGE) for (let m = at + i; m < at + j; m++) frames[m] = next++;
        else if (kind === ZERO_PAGE) frames.fill(ZERO_PFN, at + i, at + j);
        else if (kind === DEVICE) for (let m = at + i; m < at + j; m++) frames[m] = mm.allocDevicePfn();
        else if (kind === PFN) for (let m = at + i; m < at + j; m++) frames[m] = mm.allocSpecialPfn();
        else frames.fill(-1, at + i, at + j); // NO_FRAME: swap, a marker
      }
      i = j;
    }
  }
  mm.nextPfn = next;
  return mm;
}
