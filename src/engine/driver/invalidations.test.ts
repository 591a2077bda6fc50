/**
 * The invalidation each CPU-side op sends (its MMU_NOTIFY_* reason and pages) and what it leaves
 * in the page table, as the kernel's code paths decide them: fork's copy_page_range() (only COW
 * mappings with an anon_vma, MMU_NOTIFY_PROTECTION_PAGE), mprotect's change_protection() (only
 * from a populated table level), THP splits (the whole 2 MiB block), and reclaim (try_to_unmap,
 * MMU_NOTIFY_CLEAR; MADV_PAGEOUT only takes pages mapped by this process alone).
 * Spec: hmm-semantics.md 10.5; issue 10 "Invalidations with the kernel's reasons and extents".
 */
import { describe, expect, test } from 'vitest';
import { ALIGNED, sim, type ScenarioFile } from '../testing/harness.ts';

/** Run an op "before-call" on a scenario and return what it did, before the HMM call sees it. */
function op(kernel: string, name: string, pages: string, file: ScenarioFile) {
  return sim({
    kernel,
    range: { start: ALIGNED, pages: 4 },
    defaultFlags: [],
    pfnFlagsMask: [],
    ...file,
    concurrent: [{ at: 'before-call', op: name, pages }],
  });
}

const invs = (o: ReturnType<typeof sim>) => o.invalidations.map((i) => `${i.event} ${i.from}-${i.to}`);

describe('fork: copy_page_range()', () => {
  test('a private anonymous vma: PROTECTION_PAGE, its anonymous pages become COW', () => {
    const o = op('v6', 'fork', '0-3', {
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
      cpu: { '0': 'rw', '1': 'ro', '2': 'zero' },
    });
    expect(invs(o)).toEqual(['PROTECTION_PAGE 0-3']);
    expect(o.cpuAfter).toEqual(['cow', 'cow', 'zero', 'none']);
  });
  test('a private file vma never written has no anon_vma: not copied, no invalidation', () => {
    const o = op('v6', 'fork', '0-3', {
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'file' }],
      cpu: { '0-1': 'ro' },
    });
    expect(invs(o)).toEqual([]);
    expect(o.cpuAfter).toEqual(['ro', 'ro', 'none', 'none']);
  });
  test('a private file vma with a written page: copied; the page-cache pages stay as they are', () => {
    const o = op('v6', 'fork', '0-3', {
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'file' }],
      cpu: { '0': 'ro', '1': 'rw' },
    });
    expect(invs(o)).toEqual(['PROTECTION_PAGE 0-3']);
    expect(o.cpuAfter).toEqual(['ro', 'cow', 'none', 'none']);
  });
  test('a private anonymous vma with only zero pages has no anon_vma either', () => {
    const o = op('v6', 'fork', '0-3', {
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
      cpu: { '0-3': 'zero' },
    });
    expect(invs(o)).toEqual([]);
  });
  test('a shared mapping is not a COW mapping: no invalidation, nothing write-protected', () => {
    const o = op('v6', 'fork', '0-3', {
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon', shared: true }],
      cpu: { '0-1': 'rw' },
    });
    expect(invs(o)).toEqual([]);
    expect(o.cpuAfter.slice(0, 2)).toEqual(['rw', 'rw']);
  });
  test('one invalidation per COW vma, only over the vmas that are copied', () => {
    const o = op('v6', 'fork', '0-3', {
      vmas: [
        { from: 0, pages: 2, prot: 'rw', backing: 'anon' },
        { from: 2, pages: 2, prot: 'rw', backing: 'file' },
      ],
      cpu: { '0-3': 'ro' },
    });
    expect(invs(o)).toEqual(['PROTECTION_PAGE 0-1']);
  });
  test('a writable device-private entry is made read-only in the parent (copy_nonpresent_pte)', () => {
    const o = op('v6', 'fork', '0-3', {
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
      cpu: { '0': 'devpriv-rw', '1': 'devpriv-other-rw', '2': 'rw' },
      driver: { devicePrivateOwner: 'this' },
    });
    expect(o.cpuAfter.slice(0, 3)).toEqual(['devpriv', 'devpriv-other', 'cow']);
  });
  test('a swap entry left shared: 6.12 swaps it in read-only (not exclusive), a write copies it', () => {
    const base = {
      range: { start: ALIGNED, pages: 2 },
      vmas: [{ from: 0, pages: 2, prot: 'rw', backing: 'anon' }],
      cpu: { '0-1': 'swap' },
      requests: { '0': ['REQ_FAULT'], '1': ['REQ_FAULT', 'REQ_WRITE'] },
      pfnFlagsMask: 'all',
    };
    const alone = sim({ kernel: 'v6.12', defaultFlags: [], ...base });
    expect(alone.cpuAfter).toEqual(['rw', 'rw']);
    expect(invs(alone)).toEqual([]);
    const forked = op('v6.12', 'fork', '0-1', base);
    expect(forked.cpuAfter).toEqual(['cow', 'rw']);
    // page 1's write fault copies the page (wp_page_copy), which invalidates it
    expect(invs(forked)).toEqual(['PROTECTION_PAGE 0-1', 'CLEAR 1-1']);
  });
  test('a THP in a forked vma is split: its whole 2 MiB block is invalidated', () => {
    const o = op('v6', 'fork', '0-3', {
      range: { start: ALIGNED, pages: 16 },
      vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', thp: true }],
      cpu: { '0-15': 'thp-rw' },
    });
    expect(invs(o)).toEqual(['PROTECTION_PAGE 0-3', 'CLEAR 0-511']);
    expect(o.cpuAfter.slice(0, 5)).toEqual(['cow', 'cow', 'cow', 'cow', 'rw']);
  });
});

describe('mprotect: change_protection()', () => {
  const twoBlocks = (cpu: Record<string, string>) => ({
    range: { start: ALIGNED, pages: 1024 },
    vmas: [{ from: 0, pages: 1024, prot: 'rw', backing: 'anon' }],
    cpu,
  });
  test('nothing populated: no invalidation at all', () => {
    const o = op('v6', 'mprotect-ro', '0-1023', twoBlocks({}));
    expect(invs(o)).toEqual([]);
  });
  test('5.2 and 6.1: from the first populated pmd (change_pmd_range skips empty pmds)', () => {
    for (const kernel of ['v5.2', 'v6']) {
      const o = op(kernel, 'mprotect-ro', '0-1023', {
        ...twoBlocks({ '600': 'rw' }),
        ...(kernel === 'v5.2' ? { driver: 'seed' } : {}),
      });
      expect(invs(o)).toEqual(['PROTECTION_VMA 512-1023']);
    }
  });
  test('6.12 and 7.3: from the first populated pud (the notifier moved to change_pud_range)', () => {
    for (const kernel of ['v6.12', 'v7.3']) {
      const o = op(kernel, 'mprotect-ro', '0-1023', twoBlocks({ '600': 'rw' }));
      expect(invs(o)).toEqual(['PROTECTION_VMA 0-1023']);
    }
  });
  test('one invalidation per vma it changes', () => {
    const o = op('v6', 'mprotect-ro', '0-3', {
      vmas: [
        { from: 0, pages: 2, prot: 'rw', backing: 'anon' },
        { from: 2, pages: 2, prot: 'rw', backing: 'file' },
      ],
      cpu: { '0-3': 'ro' },
    });
    expect(invs(o)).toEqual(['PROTECTION_VMA 0-1', 'PROTECTION_VMA 2-3']);
  });
  test('a writable device-private entry becomes read-only', () => {
    const o = op('v6', 'mprotect-ro', '0-3', {
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
      cpu: { '0': 'devpriv-rw', '1': 'devpriv-other-rw', '2': 'rw' },
      driver: { devicePrivateOwner: 'this' },
    });
    expect(o.cpuAfter.slice(0, 3)).toEqual(['devpriv', 'devpriv-other', 'ro']);
  });
  test('a THP only partly covered is split at the vma boundary (its block invalidated first)', () => {
    const o = op('v6', 'mprotect-ro', '0-3', {
      range: { start: ALIGNED, pages: 16 },
      vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', thp: true }],
      cpu: { '0-15': 'thp-rw' },
    });
    expect(invs(o)).toEqual(['CLEAR 0-511', 'PROTECTION_VMA 0-3']);
    expect(o.cpuAfter.slice(0, 5)).toEqual(['ro', 'ro', 'ro', 'ro', 'rw']);
  });
});

describe('munmap', () => {
  test('UNMAP over the pages; a THP cut by the boundary is split first (CLEAR of its block)', () => {
    const o = op('v6', 'munmap', '0-3', {
      range: { start: ALIGNED, pages: 16 },
      vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', thp: true }],
      cpu: { '0-15': 'thp-rw' },
    });
    expect(invs(o)).toEqual(['CLEAR 0-511', 'UNMAP 0-3']);
    expect(o.cpuAfter.slice(0, 5)).toEqual(['none', 'none', 'none', 'none', 'rw']);
  });
  test('a THP wholly unmapped is zapped whole: no split, UNMAP only', () => {
    const o = op('v6', 'munmap', '0-511', {
      range: { start: ALIGNED, pages: 512 },
      vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', thp: true }],
      cpu: { '0-511': 'thp-rw' },
    });
    expect(invs(o)).toEqual(['UNMAP 0-511']);
  });
});

describe('reclaim: swap-out (kswapd) and madv-pageout (MADV_PAGEOUT)', () => {
  const mixed = {
    vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
    cpu: { '0': 'rw', '1': 'cow', '2': 'zero', '3': 'ro' },
  };
  test('swap-out takes every mapped page, shared ones too', () => {
    const o = op('v6', 'swap-out', '0-3', mixed);
    expect(o.cpuAfter).toEqual(['swap', 'swap', 'zero', 'swap']);
    expect(invs(o)).toEqual(['CLEAR 0-1', 'CLEAR 3-3']);
  });
  test('madv-pageout skips a page mapped by another process (after fork) and the zero page', () => {
    const o = op('v6', 'madv-pageout', '0-3', mixed);
    expect(o.cpuAfter).toEqual(['swap', 'cow', 'zero', 'swap']);
    expect(invs(o)).toEqual(['CLEAR 0-0', 'CLEAR 3-3']);
  });
  test('a file page leaves pte none (it stays in the page cache); a private copy goes to swap', () => {
    const o = op('v6', 'madv-pageout', '0-3', {
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'file' }],
      cpu: { '0': 'ro', '1': 'rw' },
    });
    expect(o.cpuAfter.slice(0, 2)).toEqual(['none', 'swap']);
  });
  test('nothing to reclaim: no invalidation', () => {
    const o = op('v6', 'swap-out', '0-3', {
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
      cpu: { '0-3': 'zero' },
    });
    expect(invs(o)).toEqual([]);
  });
  test('a THP is split first: its whole 2 MiB block is invalidated', () => {
    const o = op('v6', 'swap-out', '0-1', {
      range: { start: ALIGNED, pages: 16 },
      vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', thp: true }],
      cpu: { '0-15': 'thp-rw' },
    });
    expect(invs(o)).toEqual(['CLEAR 0-511', 'CLEAR 0-1']);
    expect(o.cpuAfter.slice(0, 3)).toEqual(['swap', 'swap', 'rw']);
  });
});
