/**
 * A write fault on a read-only pte of a private VM_MIXEDMAP vma. The page there was placed by the
 * driver (vm_insert_page / vmf_insert_mixed): it has a struct page but is never anonymous, even
 * when the scenario's vma says "backing": "anon". do_wp_page() reuses only an anonymous page
 * (PageAnon / folio_test_anon), so in a private mapping it copies: wp_page_copy(), a new pfn, an
 * MMU_NOTIFY_CLEAR invalidation, hmm_range_fault's -EBUSY and a second driver attempt. Found by a
 * differential run against Linux 6.1 (issue 11, defect 1): the kernel made 2 attempts, the engine 1.
 * v5.2 never faults there: its hmm_vma_walk_test-era check fails a VM_MIXEDMAP vma with -EFAULT.
 */
import { describe, expect, test } from 'vitest';
import { ALIGNED, flagsAt, sim } from '../testing/harness.ts';

const MODERN = ['v6', 'v6.12', 'v7.3'] as const;

function mixedmap(kernel: string, extra: Record<string, unknown> = {}) {
  return sim({
    kernel,
    range: { start: ALIGNED, pages: 1 },
    vmas: [{ from: 0, pages: 1, prot: 'rw', backing: 'anon', shared: false, special: 'mixedmap' }],
    cpu: { '0': 'ro' },
    driver: { devicePrivateOwner: 'this' },
    defaultFlags: ['REQ_FAULT', 'REQ_WRITE'],
    pfnFlagsMask: [],
    requests: {},
    ...extra,
  });
}

describe('write fault on a driver page in a private VM_MIXEDMAP vma', () => {
  test.each(MODERN)('%s: copied (new pfn, CLEAR invalidation, -EBUSY, a second attempt)', (kernel) => {
    const o = mixedmap(kernel);
    expect(o.status).toBe('returned');
    expect(o.faultList).toBe('0w');
    expect(o.attempts).toBe(2);
    expect(o.ret).toBe(0);
    expect(o.cpuAfter[0]).toBe('rw');
    expect(flagsAt(o, 0)).toBe('VALID,WRITE');
    expect(o.deviceAfter[0]).toBe('rw');
    // The copy's pfn is not the driver page's: run the same scenario without the write request
    // and compare the frame the CPU maps.
    const untouched = mixedmap(kernel, { defaultFlags: [] });
    expect(untouched.faultList).toBe('');
    expect(o.run.result.cpuPfn[0]).not.toBe(untouched.run.result.cpuPfn[0]);
    // The first call's one walk faults; the copy's invalidation fails its sequence check.
    expect(o.calls).toEqual([
      { ret: -16, walks: 1 },
      { ret: 0, walks: 1 },
    ]);
    expect(o.invalidations).toEqual([{ from: 0, to: 0, event: 'CLEAR' }]);
  });

  test.each(MODERN)('%s: a shared VM_MIXEDMAP vma is made writable in place (wp_page_shared)', (kernel) => {
    const o = mixedmap(kernel, {
      vmas: [{ from: 0, pages: 1, prot: 'rw', backing: 'anon', shared: true, special: 'mixedmap' }],
    });
    expect(o.faultList).toBe('0w');
    expect(o.attempts).toBe(1);
    expect(o.cpuAfter[0]).toBe('rw');
    expect(o.run.trace.some((e) => e.type === 'invalidate')).toBe(false);
  });

  test('a plain private anonymous page is still reused in place (one attempt, no invalidation)', () => {
    const o = mixedmap('v6', { vmas: [{ from: 0, pages: 1, prot: 'rw', backing: 'anon' }] });
    expect(o.faultList).toBe('0w');
    expect(o.attempts).toBe(1);
    expect(o.run.trace.some((e) => e.type === 'invalidate')).toBe(false);
  });
});
