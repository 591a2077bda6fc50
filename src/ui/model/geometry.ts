import type { Scenario, Vma } from '../../engine/types.ts';
import { CPU_STATES } from '../../engine/types.ts';

/** x86-64, 4 KiB pages: a pte table covers 512 pages (one pmd entry), a pmd table 512 of those. */
export const PAGES_PER_PMD = 512;
export const PAGES_PER_PUD = 512 * 512;
const PAGE_SHIFT = 12n;

/** Index of the 2 MiB (pmd) or 1 GiB (pud) block that range page `page` lies in. */
export function blockOf(start: bigint, page: number, pagesPerBlock: number): bigint {
  return ((start >> PAGE_SHIFT) + BigInt(page)) / BigInt(pagesPerBlock);
}

export interface Bracket {
  level: 'pmd' | 'pud';
  /** Range pages [from, to) covered inside the range. */
  from: number;
  to: number;
  /** Virtual address of the block's first byte. */
  address: bigint;
  /** What the walk finds at this level. */
  kind: 'table' | 'huge' | 'none';
}

const THP = new Set(['thp-ro', 'thp-rw', 'thp-zero', 'thp-protnone', 'thp-migration', 'thp-migration-rw']);

/**
 * The pmd and pud entries over range pages [from, to), derived from the CPU states the way the
 * scenario format says: a 2 MiB block with only "none" pages has no pte table, a 1 GiB block with
 * no pte table has no pmd table; a THP or a mapped hugetlb page is a huge pmd. Pages outside the
 * range count as "none".
 */
export function brackets(s: Scenario, cpu: Uint8Array, from: number, to: number): Bracket[] {
  const out: Bracket[] = [];
  // A hugetlb page of 2 MiB is mapped by a huge pte at the pmd level, like a THP.
  const hugetlb = s.vmas.filter((v) => v.special === 'hugetlb');
  const inHugetlb = (i: number) => hugetlb.some((v) => v.from <= i && i < v.from + v.pages);
  for (const [level, per] of [
    ['pud', PAGES_PER_PUD],
    ['pmd', PAGES_PER_PMD],
  ] as const) {
    let p = from;
    while (p < to) {
      const block = blockOf(s.range.start, p, per);
      const firstInBlock = Number(block * BigInt(per) - (s.range.start >> PAGE_SHIFT));
      const blockFrom = Math.max(0, firstInBlock);
      const blockTo = Math.min(s.range.pages, firstInBlock + per);
      let kind: Bracket['kind'] = 'none';
      for (let i = blockFrom; i < blockTo; i++) {
        const st = CPU_STATES[cpu[i]];
        if (st !== 'none') {
          kind = level === 'pmd' && (THP.has(st) || inHugetlb(i)) ? 'huge' : 'table';
          break;
        }
      }
      const end = Math.min(to, blockTo);
      out.push({ level, from: p, to: end, address: (block * BigInt(per)) << PAGE_SHIFT, kind });
      p = end;
    }
  }
  return out;
}

export interface VmaSpan {
  /** Range pages [from, to) covered inside the range. */
  from: number;
  to: number;
  /** Index into scenario.vmas, or -1 for a gap with no vma. */
  index: number;
  vma: Vma | null;
}

/** The vmas (and the gaps between them) over range pages [from, to). */
export function vmaSpans(s: Scenario, from: number, to: number): VmaSpan[] {
  const out: VmaSpan[] = [];
  let p = from;
  while (p < to) {
    const index = s.vmas.findIndex((v) => v.from <= p && p < v.from + v.pages);
    if (index >= 0) {
      const v = s.vmas[index];
      const end = Math.min(to, v.from + v.pages);
      out.push({ from: p, to: end, index, vma: v });
      p = end;
    } else {
      const next = s.vmas.filter((v) => v.from > p).reduce((m, v) => Math.min(m, v.from), to);
      const end = Math.min(to, next);
      out.push({ from: p, to: end, index: -1, vma: null });
      p = end;
    }
  }
  return out;
}

export function vmaLabel(v: Vma): string {
  const prot = v.prot === '' ? 'none' : v.prot;
  const kind = v.special ? v.special : v.backing === 'anon' ? (v.shared ? 'shmem' : 'anon') : 'file';
  const share = v.backing === 'file' ? (v.shared ? ' shared' : ' private') : '';
  return `${kind}${share} ${prot}${v.thp ? ' thp' : ''}${v.uffd ? ' uffd' : ''}`;
}

export function pageAddress(s: Scenario, page: number): bigint {
  return s.range.start + (BigInt(page) << PAGE_SHIFT);
}
