/**
 * Build the simulated address space from a scenario: its vmas and the CPU page table the "cpu"
 * map describes. Upper page-table levels are derived, as the format says: a 2 MiB block whose
 * pages are all none has no pte table, a 1 GiB region with no table below it has no pmd table,
 * and so on up (spec 2.6: holes are reported at the highest missing level).
 */
import type { Scenario } from '../types.ts';
import { HUGE_ZERO_PFN, Mm, type MmVma, PGD_PAGES, PMD_PAGES, ZERO_PFN } from './mm.ts';
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
  let next = mm.nextPfn; // frames handed out here, kept in a local for the per-page loop
  for (let i = 0; i < n;) {
    const vpn0 = startVpn + i;
    const k0 = vpn0 % PMD_PAGES;
    const end = i + Math.min(PMD_PAGES - k0, n - i);
    let states: Uint8Array | null = null;
    let frames: Float64Array | null = null;
    for (let k = k0; i < end; i++, k++) {
      const st = cpu[i];
      if (st === NONE) continue;
      const vpn = vpn0 + (k - k0);
      if (isThp(st) || (hugetlb.length > 0 && hugetlb.some((v) => v.start <= vpn && vpn < v.end))) {
        // One huge mapping per 2 MiB block; its other range pages carry the same state.
        if (!mm.slot(vpn)?.huge) {
          mm.nextPfn = next;
          mm.setHuge(vpn, st, st === THP_ZERO ? HUGE_ZERO_PFN : mm.allocHugePfn());
          next = mm.nextPfn;
        }
        continue;
      }
      if (states === null) {
        const slot = mm.ensureTable(vpn);
        states = slot.state!;
        frames = slot.pfn!;
      }
      states[k] = st;
      if (st === RO || st === RW || st === COW) frames![k] = next++;
      else if (st === ZERO) frames![k] = ZERO_PFN;
      else if (isDevicePrivate(st)) frames![k] = mm.allocDevicePfn();
      else if (st === SPECIAL) frames![k] = mm.allocSpecialPfn();
      else if (st === SWAP) frames![k] = -1;
      else frames![k] = next++;
    }
  }
  mm.nextPfn = next;
  return mm;
}
