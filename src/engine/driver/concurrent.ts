/**
 * CPU-side events that race with the driver (scenario "concurrent"): each changes the CPU page
 * table (and the vmas) the way its system call or kernel path would, after telling the mmu
 * notifier with the kernel's reason and extent, which is what makes the driver retry (v6+) or,
 * in v5.2, what it may miss. When each op may run at all is mmap-lock.ts's business.
 * Spec: scenario-format.md "concurrent"; hmm-semantics.md 3.A, 3.B, 10.5.
 *
 * Simplifications, stated so they can be seen: an op acts on the scenario's pages only (fork
 * copies the whole mm, the model only the given pages, and its invalidation covers them, not the
 * whole vma); a THP partly covered by munmap or mprotect is split at the vma boundary, one that
 * reclaim or fork touches is split too (the kernel keeps a forked THP whole and write-protected:
 * a state the model does not have), each split invalidating its whole 2 MiB block
 * (__split_huge_pmd: MMU_NOTIFY_CLEAR); a hugetlb mapping is dropped whole by munmap, left
 * alone by reclaim, and forked per huge page the op touches; migrate-to-device moves pages to a second device (its entries are
 * "devpriv-other"), so the mirroring driver does not ignore the invalidation; reclaim invalidates
 * each run of neighbouring pages it unmaps once (the kernel: once per folio).
 */
import { type Mm, type MmVma, blockStart, PMD_PAGES, PUD_PAGES, PGD_PAGES } from '../mm/mm.ts';
import type { InvalidateReason } from '../mm/notifier.ts';
import { isMigration, isPresent, isThp, S } from '../mm/states.ts';
import type { Kernel } from '../kernels/registry.ts';
import type { ConcurrentEvent } from '../types.ts';

export function applyConcurrent(mm: Mm, startVpn: number, ev: ConcurrentEvent, kernel: Kernel): void {
  const from = startVpn + ev.from;
  const to = startVpn + ev.to + 1;
  const inv = (a: number, b: number, event: InvalidateReason) =>
    mm.notifier.invalidateRange({ from: a, to: b, event, owner: null });

  switch (ev.op) {
    case 'invalidate':
      inv(from, to, 'CLEAR');
      return;
    case 'munmap':
      // __split_vma() splits a THP that straddles a boundary (vma_adjust_trans_huge), then
      // unmap_region() zaps [from, to) under MMU_NOTIFY_UNMAP.
      splitAtBoundary(mm, from);
      splitAtBoundary(mm, to);
      inv(from, to, 'UNMAP');
      forEachPage(mm, from, to, (vpn) => setNone(mm, vpn));
      mm.splitVmaAt(from);
      mm.splitVmaAt(to);
      mm.vmas = mm.vmas.filter((v) => v.end <= from || v.start >= to);
      return;
    case 'mprotect-ro':
    case 'mprotect-none':
      mprotect(mm, from, to, ev.op === 'mprotect-none', kernel);
      return;
    case 'sigkill':
      // A fatal signal to the calling task changes no page table; the HMM call sees it where the
      // kernel checks fatal_signal_pending() (the driver context records it).
      return;
    case 'madv-pageout':
    case 'swap-out':
      reclaim(mm, from, to, ev.op === 'madv-pageout');
      return;
    case 'migrate-to-device':
      mm.notifier.invalidateRange({ from, to, event: 'MIGRATE', owner: 'other' });
      forEachPage(mm, from, to, (vpn, st) => {
        const vma = mm.vmaAt(vpn);
        if (!vma || !vma.anon || vma.shared || vma.special) return;
        if (isPresentThp(st)) splitThp(mm, vpn, st);
        const small = mm.stateOf(vpn);
        if (small === S.ro || small === S.rw || small === S.cow) {
          mm.setPte(vpn, small === S.rw ? S.devprivOtherRw : S.devprivOther, mm.allocDevicePfn());
        }
      });
      return;
    case 'fork':
      fork(mm, from, to, kernel);
      return;
  }
}

/**
 * fork(): dup_mmap() calls copy_page_range() on every vma, which copies its page table only when
 * the vma needs it: 5.2 when it is VM_HUGETLB, VM_PFNMAP or VM_MIXEDMAP or has an anon_vma
 * (mm/memory.c); 6.0+ vma_needs_copy(): VM_PFNMAP, VM_MIXEDMAP, uffd-wp or an anon_vma, no longer
 * VM_HUGETLB (bcd51a3c679d "hugetlb: lazy page table copies in fork()"); 6.19+ the same set named
 * VM_COPY_ON_FORK, with VM_MAYBE_GUARD. The model's "io" vma is VM_IO | VM_PFNMAP (what
 * remap_pfn_range sets; vmf_insert_pfn, its fault, BUG()s in a vma without PFNMAP / MIXEDMAP).
 * Only a COW mapping (private, and so VM_MAYWRITE) is invalidated and write-protected; a shared
 * one is copied as it is. A private file vma whose pages were never written has no anon_vma:
 * nothing is copied, nothing changes.
 *
 * copy_hugetlb_page_range() invalidates with MMU_NOTIFY_CLEAR (7269f999934b) and write-protects
 * every present huge pte, now shared with the child ("cow"): a write then copies it (hugetlb_wp).
 * Elsewhere copy_page_range() invalidates with MMU_NOTIFY_PROTECTION_PAGE and copy_present_pte()
 * write-protects every writable pte (special ones too, though in a COW mapping those are never
 * writable): an anonymous page becomes "cow", a page-cache or driver page (a PFNMAP / MIXEDMAP
 * vma's pages are never anonymous) stays as it is; copy_nonpresent_pte() makes a writable
 * device-private or migration entry read-only in the parent and leaves a swap or migration entry
 * of an anonymous page shared: its page is the child's too when it comes back (swap-in or the
 * migration's end), so it is mapped read-only and a write copies it. Both ranges are the whole vma in the kernel; the model's is the
 * op's pages, for hugetlb rounded out to the huge pages they touch (one huge pte is one entry).
 */
function fork(mm: Mm, from: number, to: number, kernel: Kernel): void {
  for (const v of vmasOver(mm, from, to)) {
    if (v.shared || !copiesOnFork(mm, v, kernel)) continue;
    if (v.special === 'hugetlb') {
      const a = blockStart(Math.max(v.start, from));
      const b = blockStart(Math.min(v.end, to) - 1) + PMD_PAGES;
      mm.notifier.invalidateRange({ from: a, to: b, event: 'CLEAR', owner: null });
      for (let vpn = a; vpn < b; vpn += PMD_PAGES) {
        const st = mm.stateOf(vpn);
        if (st === S.ro || st === S.rw) mm.setHugeState(vpn, S.cow);
      }
      continue;
    }
    const a = Math.max(v.start, from);
    const b = Math.min(v.end, to);
    mm.notifier.invalidateRange({ from: a, to: b, event: 'PROTECTION_PAGE', owner: null });
    const anonPages = v.anon && !v.special;
    forEachPage(mm, a, b, (vpn, st) => {
      if (isPresentThp(st)) splitThp(mm, vpn, st);
      const small = mm.stateOf(vpn);
      if (small === S.rw || (small === S.ro && anonPages)) mm.setPte(vpn, S.cow, mm.pfnOf(vpn));
      else if (small === S.devprivRw) mm.setPte(vpn, S.devpriv, mm.pfnOf(vpn));
      else if (small === S.devprivOtherRw) mm.setPte(vpn, S.devprivOther, mm.pfnOf(vpn));
      else if (isMigration(small)) {
        // A writable entry is made readable; either kind now stands for a page the child maps too.
        if (small === S.migrationRw) mm.setPte(vpn, S.migration, mm.pfnOf(vpn));
        if (anonPages) mm.sharedAfterFork.add(vpn);
      }
      // copy_huge_pmd(): a writable migration pmd is made readable in the parent.
      else if (small === S.thpMigrationRw) mm.setHugeState(vpn, S.thpMigration);
      else if (small === S.swap) mm.sharedAfterFork.add(vpn);
    });
  }
}

/** copy_page_range()'s first test (5.2) / vma_needs_copy() (6.0+): is this vma's table copied? */
function copiesOnFork(mm: Mm, v: MmVma, kernel: Kernel): boolean {
  if (v.special === 'pfnmap' || v.special === 'mixedmap' || v.special === 'io') return true;
  if (v.special === 'hugetlb' && kernel === 'v5.2') return true;
  return hasAnonVma(mm, v);
}

/**
 * A private vma has an anon_vma once a fault or a copy put an anonymous page in it (the zero page
 * does not need one): anonymous vmas hold anonymous pages in any state but none, zero and the
 * markers; private file vmas only where a write copied a page ("rw", "cow"; a writable migration
 * entry is such a copy too: a page-cache page is never writable there) or it went to swap.
 * A guard marker also makes fork copy the table (VM_MAYBE_GUARD; before 6.19 anon_vma_prepare).
 * A private hugetlb vma has one once a huge page is mapped: hugetlb_no_page() maps a new anonymous
 * page there (anon_vma_prepare), read fault or write.
 */
function hasAnonVma(mm: Mm, v: MmVma): boolean {
  if (v.special === 'hugetlb') {
    for (let vpn = v.start; vpn < v.end; vpn += PMD_PAGES) if (mm.stateOf(vpn) !== S.none) return true;
    return false;
  }
  for (let vpn = v.start; vpn < v.end; vpn++) {
    const st = mm.stateOf(vpn);
    if (st === S.guard) return true;
    if (v.anon) {
      if (st !== S.none && st !== S.zero && st !== S.thpZero && st !== S.uffdWp && st !== S.special)
        return true;
    } else if (st === S.rw || st === S.migrationRw || st === S.cow || st === S.swap || st === S.thpRw)
      return true;
    // A block with no pte table has nothing more to say.
    if (!mm.slot(vpn)) vpn = blockStart(vpn) + PMD_PAGES - 1;
  }
  return false;
}

/**
 * mprotect(): change_protection() per vma. Its MMU_NOTIFY_PROTECTION_VMA invalidation starts at
 * the first populated table level and runs to the end of the vma's part of that level's chunk: in
 * 5.2 and 6.1 per pud chunk, from the first pmd that is not none (change_pmd_range skips empty
 * pmds); since 6.12 per p4d chunk, from the first pud that is not none (Peter Xu's
 * "mm/mprotect: push mmu notifier to PUDs": change_pud_range). A range with nothing populated is
 * not invalidated at all. A THP the range only partly covers is split (at the vma boundary); a
 * writable device-private or migration entry becomes read-only (make_readable_*_entry), whatever
 * the new protection.
 */
function mprotect(mm: Mm, from: number, to: number, none: boolean, kernel: Kernel): void {
  splitAtBoundary(mm, from);
  splitAtBoundary(mm, to);
  const pudLevel = kernel !== 'v5.2' && kernel !== 'v6';
  const chunk = pudLevel ? PGD_PAGES : PUD_PAGES;
  const step = pudLevel ? PUD_PAGES : PMD_PAGES;
  const populated = (vpn: number) =>
    pudLevel ? mm.pmdTables.has(Math.floor(vpn / PUD_PAGES)) : mm.slot(vpn) !== undefined;
  for (const v of vmasOver(mm, from, to)) {
    const a = Math.max(v.start, from);
    const b = Math.min(v.end, to);
    for (let c = a; c < b; c = Math.min(b, (Math.floor(c / chunk) + 1) * chunk)) {
      const cEnd = Math.min(b, (Math.floor(c / chunk) + 1) * chunk);
      for (let u = c; u < cEnd; u = (Math.floor(u / step) + 1) * step) {
        if (!populated(u)) continue;
        mm.notifier.invalidateRange({ from: u, to: cEnd, event: 'PROTECTION_VMA', owner: null });
        break;
      }
    }
  }
  mm.splitVmaAt(from);
  mm.splitVmaAt(to);
  for (const v of mm.vmas) {
    if (v.end <= from || v.start >= to) continue;
    v.write = false;
    if (none) v.read = false;
  }
  forEachPage(mm, from, to, (vpn, st) => {
    if (isThp(st)) {
      // change_huge_pmd(): a writable migration pmd becomes readable, whatever the protection.
      if (st === S.thpMigrationRw) mm.setHugeState(vpn, S.thpMigration);
      else if (st === S.thpRw || (none && (st === S.thpRo || st === S.thpZero)))
        mm.setHugeState(vpn, none ? S.thpProtnone : S.thpRo);
    } else if (mm.vmaAt(vpn)?.special === 'hugetlb') {
      if (st === S.rw) mm.setHugeState(vpn, S.ro);
    } else if (st === S.devprivRw || st === S.devprivOtherRw) {
      mm.setPte(vpn, st === S.devprivRw ? S.devpriv : S.devprivOther, mm.pfnOf(vpn));
    } else if (st === S.migrationRw) {
      // change_pte_range(): "a protection check is difficult so just be safe and disable write".
      mm.setPte(vpn, S.migration, mm.pfnOf(vpn));
    } else if (none ? isPresent(st) : st === S.rw) {
      mm.setPte(vpn, none ? S.protnone : S.ro, mm.pfnOf(vpn));
    }
  });
}

/**
 * Reclaim of the range's pages: "swap-out" is kswapd's shrink_folio_list() (no mmap lock), which
 * takes every mapped page, shared ones too; "madv-pageout" is MADV_PAGEOUT under the mmap read
 * lock (madvise_cold_or_pageout_pte_range), which skips a page mapped by more than this process
 * ("cow" after fork; mapcount > 1), the zero page and non-present entries, and takes file pages
 * only mapped here (in the model every file page is). Either way try_to_unmap() invalidates with
 * MMU_NOTIFY_CLEAR; an anonymous page leaves a swap entry, a page-cache page leaves pte none. A
 * VM_IO / PFNMAP / hugetlb vma is not reclaimed (can_madv_lru_vma).
 */
function reclaim(mm: Mm, from: number, to: number, onlyExclusive: boolean): void {
  let runStart = -1;
  const flush = (end: number) => {
    if (runStart >= 0) mm.notifier.invalidateRange({ from: runStart, to: end, event: 'CLEAR', owner: null });
    runStart = -1;
  };
  for (let vpn = from; vpn < to; vpn++) {
    const vma = mm.vmaAt(vpn);
    let st = mm.stateOf(vpn);
    const takes = (s: number) => s === S.ro || s === S.rw || (s === S.cow && !onlyExclusive);
    if (vma && !vma.special && isPresentThp(st)) {
      flush(vpn);
      splitThp(mm, vpn, st);
      st = mm.stateOf(vpn);
    }
    if (!vma || vma.special || !takes(st)) {
      flush(vpn);
      continue;
    }
    if (runStart < 0) runStart = vpn;
    const anonPage = !vma.shared && (vma.anon || st === S.rw || st === S.cow);
    if (anonPage) {
      if (st === S.cow) mm.sharedAfterFork.add(vpn);
      mm.setPte(vpn, S.swap, -1);
    } else mm.setPte(vpn, S.none, -1);
  }
  flush(to);
}

/** Visit each page of [from, to) with its current state. */
function forEachPage(mm: Mm, from: number, to: number, f: (vpn: number, st: number) => void): void {
  for (let vpn = from; vpn < to; vpn++) f(vpn, mm.stateOf(vpn));
}

/** A THP pmd that maps memory (not a migration or device-private pmd). */
function isPresentThp(st: number): boolean {
  return st === S.thpRo || st === S.thpRw || st === S.thpZero || st === S.thpProtnone;
}

/** The vmas that overlap [from, to), in order. */
function vmasOver(mm: Mm, from: number, to: number): MmVma[] {
  return mm.vmas.filter((v) => v.start < to && v.end > from);
}

/**
 * __split_huge_pmd(): small ptes of the same kind over the same frames, after an
 * MMU_NOTIFY_CLEAR invalidation of the whole 2 MiB block.
 */
function splitThp(mm: Mm, vpn: number, st: number): void {
  const slot = mm.slot(vpn);
  if (!slot?.huge || !isPresentThp(st)) return;
  const start = blockStart(vpn);
  mm.notifier.invalidateRange({ from: start, to: start + PMD_PAGES, event: 'CLEAR', owner: null });
  const small = st === S.thpRw ? S.rw : st === S.thpZero ? S.zero : st === S.thpProtnone ? S.protnone : S.ro;
  mm.splitHuge(vpn, small, st === S.thpZero);
}

/** A vma boundary at vpn that falls inside a THP splits it (vma_adjust_trans_huge). */
function splitAtBoundary(mm: Mm, vpn: number): void {
  if (vpn % PMD_PAGES === 0) return;
  const vma = mm.vmaAt(vpn);
  if (!vma || vma.special === 'hugetlb' || vma.start === vpn) return;
  splitThp(mm, vpn, mm.stateOf(vpn));
}

/**
 * zap: pte none. A THP wholly inside the unmapped range is zapped whole (zap_huge_pmd, no split,
 * no invalidation beyond munmap's own); the model keeps its block as a table of none ptes.
 */
function setNone(mm: Mm, vpn: number): void {
  const slot = mm.slot(vpn);
  if (!slot) return;
  if (slot.huge) {
    if (mm.vmaAt(vpn)?.special === 'hugetlb') {
      mm.setHuge(blockStart(vpn), S.none, -1);
      return;
    }
    mm.splitHuge(vpn, S.none, false);
  }
  mm.sharedAfterFork.delete(vpn);
  if (mm.stateOf(vpn) !== S.none || mm.pfnOf(vpn) !== -1) mm.setPte(vpn, S.none, -1);
}
