/**
 * Build the simulated address space from a scenario: its vmas and the CPU page table the "cpu"
 * map describes. Upper page-table levels are derived, as the format says: a 2 MiB block whose
 * pages are all none has no pte table, a 1 GiB region with no table below it has no pmd table,
 * and so on up (spec 2.6: holes are reported at the highest missing level).
 */
import type { Scenario } from '../types.ts';
import { HUGE_ZERO_PFN, Mm, type MmVma, PGD_PAGES, PMD_PAGES, type PmdSlot, ZERO_PFN } from './mm.ts';
import { isDevicePrivate, isThp, S } from './states.ts';

const {
  none: NONE,
  ro: RO,
  rw: RW,
  cow: COW,
  zero: ZERO,
  special: SPECIAL,
  swap: SWAP,
  thpZero: THP_ZERO,
} = S;

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
  };
}

export function buildMm(s: Scenario): Mm {
  const mm = new Mm(s.kernel);
  const startVpn = startVpnOf(s);
  mm.vmas = s.vmas.map((v) => vmaFromScenario(startVpn, v));
  const hugetlb = mm.vmas.filter((v) => v.special === 'hugetlb');
  const n = s.range.pages;
  const cpu = s.cpu;
  // A block at a time, writing straight into its pte table: a scenario may hold a million pages.
  for (let i = 0; i < n;) {
    const vpn0 = startVpn + i;
    const len = Math.min(PMD_PAGES - (vpn0 % PMD_PAGES), n - i);
    const end = i + len;
    let slot: PmdSlot | null = null;
    for (; i < end; i++) {
      const st = cpu[i];
      if (st === NONE) continue;
      const vpn = startVpn + i;
      if (isThp(st) || (hugetlb.length > 0 && hugetlb.some((v) => v.start <= vpn && vpn < v.end))) {
        // One huge mapping per 2 MiB block; its other range pages carry the same state.
        if (!mm.slot(vpn)?.huge) mm.setHuge(vpn, st, st === THP_ZERO ? HUGE_ZERO_PFN : mm.allocHugePfn());
        continue;
      }
      if (slot === null) slot = mm.ensureTable(vpn);
      let pfn: number;
      if (st === RO || st === RW || st === COW) pfn = mm.nextPfn++;
      else if (st === ZERO) pfn = ZERO_PFN;
      else if (isDevicePrivate(st)) pfn = mm.allocDevicePfn();
      else if (st === SPECIAL) pfn = mm.allocSpecialPfn();
      else if (st === SWAP) pfn = -1;
      else pfn = mm.nextPfn++;
      const k = vpn % PMD_PAGES;
      slot.state![k] = st;
      slot.pfn![k] = pfn;
    }
  }
  return mm;
}
