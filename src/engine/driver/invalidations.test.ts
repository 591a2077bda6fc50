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

/**
 * fork() of the vmas the kernel always copies, and of hugetlb, as the sources decide it:
 * copy_page_range() copies a vma when it is VM_HUGETLB | VM_PFNMAP | VM_MIXEDMAP or has an anon_vma
 * (5.2, mm/memory.c; 6.0+ vma_needs_copy() without VM_HUGETLB: bcd51a3c679d "hugetlb: lazy page
 * table copies in fork()", so a hugetlb vma is copied only once it has an anon_vma). A copied COW
 * mapping (private) is invalidated first: MMU_NOTIFY_PROTECTION_PAGE by copy_page_range(),
 * MMU_NOTIFY_CLEAR by copy_hugetlb_page_range() (7269f999934b); a shared one is not, and keeps its
 * ptes. The model's "io" vma is a VM_IO | VM_PFNMAP one (remap_pfn_range sets both; its fault
 * inserts pfns, which vmf_insert_pfn allows only in a PFNMAP / MIXEDMAP vma).
 */
describe('fork: hugetlb, PFNMAP, MIXEDMAP and IO vmas', () => {
  const KERNELS = ['v5.2', 'v6', 'v6.12', 'v7.3'];
  const withDriver = (kernel: string, file: ScenarioFile): ScenarioFile =>
    kernel === 'v5.2' ? { driver: 'seed', ...file } : file;
  /** The rule: is the vma copied, and which invalidation does the parent see? */
  function forkRule(kernel: string, special: string, shared: boolean, hasAnonVma: boolean) {
    const copied =
      special === 'pfnmap' || special === 'mixedmap' || special === 'io'
        ? true
        : special === 'hugetlb'
          ? kernel === 'v5.2' || hasAnonVma
          : hasAnonVma;
    if (!copied || shared) return null;
    return special === 'hugetlb' ? 'CLEAR' : 'PROTECTION_PAGE';
  }

  for (const kernel of KERNELS) {
    for (const special of ['pfnmap', 'mixedmap', 'io']) {
      test(`${kernel} private ${special}: always copied, ${forkRule(kernel, special, false, false)}; an anonymous copy becomes COW, a special pte stays`, () => {
        const o = op(
          kernel,
          'fork',
          '0-3',
          withDriver(kernel, {
            vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'file', special }],
            cpu: { '0': 'special', '1': 'rw' },
          }),
        );
        expect(invs(o)).toEqual([`${forkRule(kernel, special, false, false)} 0-3`]);
        expect(o.cpuAfter).toEqual(['special', 'cow', 'none', 'none']);
      });
      test(`${kernel} private ${special} with nothing mapped: copied all the same (no anon_vma needed)`, () => {
        const o = op(
          kernel,
          'fork',
          '0-3',
          withDriver(kernel, { vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'file', special }] }),
        );
        expect(invs(o)).toEqual([`${forkRule(kernel, special, false, false)} 0-3`]);
      });
      test(`${kernel} shared ${special}: copied but not a COW mapping: no invalidation`, () => {
        const o = op(
          kernel,
          'fork',
          '0-3',
          withDriver(kernel, {
            vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'file', special, shared: true }],
            cpu: { '0': 'special' },
          }),
        );
        expect(forkRule(kernel, special, true, false)).toBeNull();
        expect(invs(o)).toEqual([]);
        expect(o.cpuAfter[0]).toBe('special');
      });
    }

    const huge = (cpu: Record<string, string>, shared = false): ScenarioFile =>
      withDriver(kernel, {
        range: { start: ALIGNED, pages: 16 },
        vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', special: 'hugetlb', shared }],
        cpu,
      });
    test(`${kernel} private hugetlb with a huge page: CLEAR over the huge page, the huge pte write-protected and shared`, () => {
      const o = op(kernel, 'fork', '0-3', huge({ '0-15': 'rw' }));
      // copy_hugetlb_page_range's range is the vma; the model's is each huge page the op touches.
      expect(invs(o)).toEqual([`${forkRule(kernel, 'hugetlb', false, true)} 0-511`]);
      expect(new Set(o.cpuAfter)).toEqual(new Set(['cow']));
    });
    test(`${kernel} private hugetlb never faulted: ${forkRule(kernel, 'hugetlb', false, false) ?? 'no anon_vma, not copied'}`, () => {
      const o = op(kernel, 'fork', '0-3', huge({}));
      const rule = forkRule(kernel, 'hugetlb', false, false);
      expect(invs(o)).toEqual(rule ? [`${rule} 0-511`] : []);
    });
    test(`${kernel} shared hugetlb: no invalidation, the huge pte stays writable`, () => {
      const o = op(kernel, 'fork', '0-3', huge({ '0-15': 'rw' }, true));
      expect(forkRule(kernel, 'hugetlb', true, true)).toBeNull();
      expect(invs(o)).toEqual([]);
      expect(new Set(o.cpuAfter)).toEqual(new Set(['rw']));
    });
  }

  describe('after fork, a write to the shared huge page copies it (hugetlb_wp)', () => {
    const base = {
      kernel: 'v6',
      range: { start: ALIGNED, pages: 16 },
      vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', special: 'hugetlb' }],
      defaultFlags: ['REQ_FAULT', 'REQ_WRITE'],
      pfnFlagsMask: [],
    };
    test('a writable huge pte: no fault without fork; with fork a write fault, CLEAR of the huge page, a new page', () => {
      const alone = sim({ ...base, cpu: { '0-15': 'rw' } });
      expect(alone.faults).toEqual([]);
      expect(invs(alone)).toEqual([]);
      const forked = sim({
        ...base,
        cpu: { '0-15': 'rw' },
        concurrent: [{ at: 'before-call', op: 'fork', pages: '0-15' }],
      });
      // hmm_vma_fault() calls handle_mm_fault() on each page of the huge page: the first copies.
      expect(forked.faults).toHaveLength(16);
      expect(forked.faults[0]).toMatchObject({ page: 0, write: true });
      expect(invs(forked)).toEqual(['CLEAR 0-511', 'CLEAR 0-511']);
      expect(forked.cpuAfter[0]).toBe('rw');
      expect(forked.pfns[0].pfn).not.toBe(alone.pfns[0].pfn);
    });
    test('a read-only exclusive huge pte is reused in place without fork, copied after it', () => {
      const alone = sim({ ...base, cpu: { '0-15': 'ro' } });
      expect(alone.faults[0]).toMatchObject({ page: 0, write: true });
      expect(invs(alone)).toEqual([]);
      const forked = sim({
        ...base,
        cpu: { '0-15': 'ro' },
        concurrent: [{ at: 'before-call', op: 'fork', pages: '0-15' }],
      });
      expect(forked.faults[0]).toMatchObject({ page: 0, write: true });
      expect(invs(forked)).toEqual(['CLEAR 0-511', 'CLEAR 0-511']);
      expect(forked.pfns[0].pfn).not.toBe(alone.pfns[0].pfn);
    });
    test('a "cow" huge pte in the scenario faults the same way', () => {
      const o = sim({ ...base, cpu: { '0-15': 'cow' } });
      expect(o.faults[0]).toMatchObject({ page: 0, write: true });
      expect(invs(o)).toEqual(['CLEAR 0-511']);
      expect(o.cpuAfter[0]).toBe('rw');
    });
  });

  test('6.1: a fork before the driver takes its lock makes mmu_interval_read_retry fail over a PFNMAP vma', () => {
    const file = {
      kernel: 'v6',
      range: { start: ALIGNED, pages: 4 },
      vmas: [
        { from: 0, pages: 2, prot: 'rw', backing: 'anon' },
        { from: 2, pages: 2, prot: 'rw', backing: 'file', special: 'pfnmap' },
      ],
      cpu: { '0-1': 'zero' },
      defaultFlags: [],
      pfnFlagsMask: [],
    };
    expect(sim(file).attempts).toBe(1);
    const o = sim({ ...file, concurrent: [{ at: 'before-program', op: 'fork', pages: '0-3' }] });
    // The anonymous vma holds only zero pages (no anon_vma): only the PFNMAP vma is invalidated.
    expect(invs(o)).toEqual(['PROTECTION_PAGE 2-3']);
    expect(o.attempts).toBe(2);
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
