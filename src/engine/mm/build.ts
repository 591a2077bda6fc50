/**
 * Build the simulated address space from a scenario: its vmas and the CPU page table the "cpu"
 * map describes. Upper page-table levels are derived, as the format says: a 2 MiB block whose
 * pages are all none has no pte table, a 1 GiB region with no table below it has no pmd table,
 * and so on up (spec 2.6: holes are reported at the highest missing level).
 */
import type { Scenario } from '../types.ts';
import { HUGE_ZERO_PFN, Mm, type MmVma, ZERO_PFN } from './mm.ts';
import { isDevicePrivate, isThp, S } from './states.ts';

export const startVpnOf = (s: Scenario): number => Number(s.range.start >> 12n);

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
  for (let i = 0; i < s.range.pages; i++) {
    const st = s.cpu[i];
    if (st === S.none) continue;
    const vpn = startVpn + i;
    const vma = mm.vmaAt(vpn);
    if (isThp(st) || vma?.special === 'hugetlb') {
      // One huge mapping per 2 MiB block; its other range pages carry the same state.
      if (!mm.slot(vpn)?.huge) mm.setHuge(vpn, st, st === S.thpZero ? HUGE_ZERO_PFN : mm.allocHugePfn());
      continue;
    }
    let pfn: number;
    if (st === S.zero) pfn = ZERO_PFN;
    else if (isDevicePrivate(st)) pfn = mm.allocDevicePfn();
    else if (st === S.special) pfn = mm.allocSpecialPfn();
    else if (st === S.swap) pfn = -1;
    else pfn = mm.allocPfn();
    mm.setPte(vpn, st, pfn);
  }
  return mm;
}
