/**
 * mm/pagewalk.c's descent through the page-table levels, shared by both kernel generations: for
 * each part of [start, end), the highest level with no entry is reported as a hole up to that
 * level's boundary (pgd: 512 GiB, pud: 1 GiB, pmd: 2 MiB), and a present pmd goes to the
 * pmd_entry callback. Spec: hmm-semantics.md 2.3 and 2.6 ("holes at the highest missing level").
 */
import { type Mm, PGD_PAGES, PMD_PAGES, PUD_PAGES } from './mm.ts';

export type HoleLevel = 'pgd' | 'pud' | 'pmd' | 'novma' | 'hugetlb';

/** The end of the `size`-aligned block that holds vpn. */
export const nextBoundary = (vpn: number, size: number): number => vpn - (vpn % size) + size;

export interface PagewalkOps {
  /** pte_hole(): [start, end) has no entry at `level`. */
  hole(start: number, end: number, level: HoleLevel): number;
  /** pmd_entry(): a present pmd over [start, end) (a pte table or a huge mapping). */
  pmdEntry(start: number, end: number): number;
  /** hugetlb_entry(): a huge page whose huge pte can be looked up. */
  hugetlbEntry(start: number, end: number): number;
}

/**
 * walk_pgd_range() -> walk_pud_range() -> walk_pmd_range(). `hasVma` false is the v5.2 walker in
 * a gap (walk->vma == NULL): walk_pud_range() then reports the hole at the pud level.
 */
export function walkPgdRange(mm: Mm, start: number, end: number, hasVma: boolean, ops: PagewalkOps): number {
  for (let addr = start; addr < end;) {
    const level = mm.level(addr);
    let next: number;
    let err: number;
    if (level === 'pgd') {
      next = Math.min(end, nextBoundary(addr, PGD_PAGES));
      err = ops.hole(addr, next, 'pgd');
    } else if (level === 'pud' || !hasVma) {
      next = Math.min(end, nextBoundary(addr, PUD_PAGES));
      err = ops.hole(addr, next, hasVma ? 'pud' : 'novma');
    } else if (level === 'pmd') {
      next = Math.min(end, nextBoundary(addr, PMD_PAGES));
      err = ops.hole(addr, next, 'pmd');
    } else {
      next = Math.min(end, nextBoundary(addr, PMD_PAGES));
      err = ops.pmdEntry(addr, next);
    }
    if (err) return err;
    addr = next;
  }
  return 0;
}

/**
 * walk_hugetlb_range(): one step per huge page; huge_pte_offset() finds no pte while the 1 GiB
 * region has no pmd table, and then the huge page is a hole of its own (fixtures 240, 241).
 */
export function walkHugetlbRange(mm: Mm, start: number, end: number, ops: PagewalkOps): number {
  for (let addr = start; addr < end;) {
    const next = Math.min(end, nextBoundary(addr, PMD_PAGES));
    const level = mm.level(addr);
    const err =
      level === 'pgd' || level === 'pud' ? ops.hole(addr, next, 'hugetlb') : ops.hugetlbEntry(addr, next);
    if (err) return err;
    addr = next;
  }
  return 0;
}
