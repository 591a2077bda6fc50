/**
 * CPU-side events that race with the driver (scenario "concurrent"): each changes the CPU page
 * table (and the vmas) the way its system call or kernel path would, after telling the mmu
 * notifier, which is what makes the driver retry (v6) or, in v5.2, what it may miss.
 * Spec: scenario-format.md "concurrent"; hmm-semantics.md 3.A / 3.B.
 *
 * Simplifications, stated so they can be seen: a huge mapping touched by munmap, swap-out or fork
 * is split first (THP) or dropped whole (hugetlb); migrate-to-device moves pages to a second
 * device (its entries are "devpriv-other"), so the mirroring driver does not ignore the
 * invalidation; swap-out leaves file and shmem ptes none (the page stays in the page cache).
 */
import { type Mm, blockStart } from '../mm/mm.ts';
import type { InvalidateReason } from '../mm/notifier.ts';
import { isPresent, isThp, S } from '../mm/states.ts';
import type { ConcurrentEvent } from '../types.ts';

export function applyConcurrent(mm: Mm, startVpn: number, ev: ConcurrentEvent): void {
  const from = startVpn + ev.from;
  const to = startVpn + ev.to + 1;
  const inv = (event: InvalidateReason) => mm.notifier.invalidateRange({ from, to, event, owner: null });

  switch (ev.op) {
    case 'invalidate':
      inv('CLEAR');
      return;
    case 'munmap':
      inv('UNMAP');
      forEachPage(mm, from, to, (vpn) => setNone(mm, vpn));
      mm.splitVmaAt(from);
      mm.splitVmaAt(to);
      mm.vmas = mm.vmas.filter((v) => v.end <= from || v.start >= to);
      return;
    case 'mprotect-ro':
    case 'mprotect-none': {
      inv('PROTECTION_VMA');
      const none = ev.op === 'mprotect-none';
      mm.splitVmaAt(from);
      mm.splitVmaAt(to);
      for (const v of mm.vmas) {
        if (v.end <= from || v.start >= to) continue;
        v.write = false;
        if (none) v.read = false;
      }
      forEachPage(mm, from, to, (vpn, st) => {
        if (isThp(st)) {
          if (st === S.thpRw || (none && (st === S.thpRo || st === S.thpZero)))
            mm.setHugeState(vpn, none ? S.thpProtnone : S.thpRo);
        } else if (mm.vmaAt(vpn)?.special === 'hugetlb') {
          if (st === S.rw) mm.setHugeState(vpn, S.ro);
        } else if (none ? isPresent(st) : st === S.rw) {
          mm.setPte(vpn, none ? S.protnone : S.ro, mm.pfnOf(vpn));
        }
      });
      return;
    }
    case 'sigkill':
      // A fatal signal to the calling task changes no page table; the HMM call sees it where the
      // kernel checks fatal_signal_pending() (the driver context records it).
      return;
    case 'madv-pageout':
    // MADV_PAGEOUT reclaims the range's pages under the mmap read lock: the page-table effect of
    // a swap-out. [lock-base: refine which pages it takes]
    // falls through
    case 'swap-out':
      inv('CLEAR');
      forEachPage(mm, from, to, (vpn, st) => {
        const vma = mm.vmaAt(vpn);
        if (!vma || vma.special) return;
        if (isThp(st)) splitThp(mm, vpn, st);
        const small = mm.stateOf(vpn);
        if (small !== S.ro && small !== S.rw && small !== S.cow) return;
        if (vma.anon && !vma.shared) mm.setPte(vpn, S.swap, -1);
        else mm.setPte(vpn, S.none, -1);
      });
      return;
    case 'migrate-to-device':
      mm.notifier.invalidateRange({ from, to, event: 'MIGRATE', owner: 'other' });
      forEachPage(mm, from, to, (vpn, st) => {
        const vma = mm.vmaAt(vpn);
        if (!vma || !vma.anon || vma.shared || vma.special) return;
        if (isThp(st)) splitThp(mm, vpn, st);
        const small = mm.stateOf(vpn);
        if (small === S.ro || small === S.rw || small === S.cow) {
          mm.setPte(vpn, small === S.rw ? S.devprivOtherRw : S.devprivOther, mm.allocDevicePfn());
        }
      });
      return;
    case 'fork':
      // copy_page_range() write-protects every private anonymous pte in the parent.
      inv('PROTECTION_VMA');
      forEachPage(mm, from, to, (vpn, st) => {
        const vma = mm.vmaAt(vpn);
        if (!vma || vma.shared || vma.special) return;
        if (isThp(st)) splitThp(mm, vpn, st);
        const small = mm.stateOf(vpn);
        if (small === S.ro || small === S.rw) mm.setPte(vpn, S.cow, mm.pfnOf(vpn));
      });
      return;
  }
}

/** Visit each page of [from, to) with its current state. */
function forEachPage(mm: Mm, from: number, to: number, f: (vpn: number, st: number) => void): void {
  for (let vpn = from; vpn < to; vpn++) f(vpn, mm.stateOf(vpn));
}

/** split_huge_pmd(): small ptes of the same kind over the same frames. */
function splitThp(mm: Mm, vpn: number, st: number): void {
  if (!mm.slot(vpn)?.huge) return;
  const small = st === S.thpRw ? S.rw : st === S.thpZero ? S.zero : st === S.thpProtnone ? S.protnone : S.ro;
  mm.splitHuge(vpn, small, st === S.thpZero);
}

function setNone(mm: Mm, vpn: number): void {
  const slot = mm.slot(vpn);
  if (!slot) return;
  if (slot.huge) {
    if (mm.vmaAt(vpn)?.special === 'hugetlb') {
      mm.setHuge(blockStart(vpn), S.none, -1);
      return;
    }
    splitThp(mm, vpn, slot.hugeState);
  }
  if (mm.stateOf(vpn) !== S.none) mm.setPte(vpn, S.none, -1);
}
