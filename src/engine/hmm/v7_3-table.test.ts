/**
 * Linux 7.3's hmm_range_fault() against hmm-semantics.md 10.2: every row of the table of
 * differences from 6.1 a user can see, and every row of the per-pte table for 7.3 that this
 * issue models (the uffd MISSING row is the unlocked call's, with the lock model). Each case runs
 * on 7.3 and, where the table compares, on 6.1 (and 6.12, which 7.3's handle_mm_fault follows).
 */
import { describe, expect, test } from 'vitest';
import { ALIGNED, flagsAt, sim, type ScenarioFile } from '../testing/harness.ts';

type K = 'v6' | 'v6.12' | 'v7.3';

/** A 2-page range in one pte table: page 0 under test, page 1 mapped rw (so the table exists). */
function pte(kernel: K, state: string, req: string[], extra: ScenarioFile = {}) {
  return sim({
    kernel,
    range: { start: ALIGNED, pages: 2 },
    vmas: [{ from: 0, pages: 2, prot: 'rw', backing: 'anon' }],
    cpu: state === 'none' ? { '1': 'rw' } : { '0': state, '1': 'rw' },
    defaultFlags: [],
    pfnFlagsMask: ['REQ_FAULT', 'REQ_WRITE'],
    requests: req.length ? { '0': req } : {},
    ...extra,
  });
}

const R = ['REQ_FAULT'];
const RW = ['REQ_FAULT', 'REQ_WRITE'];
const DMA = 1n << 60n;
const STICKY = 0x7n << 58n;
const word = (raw: string) => BigInt(raw);

describe('10.2: differences from 6.1 a user can see', () => {
  test('a fault that fails with VM_FAULT_OOM: 6.1 -EFAULT, 7.3 -ENOMEM', () => {
    const oom = { vmas: [{ from: 0, pages: 2, prot: 'rw', backing: 'anon', allocFails: true }] };
    const v6 = pte('v6', 'none', RW, oom);
    const v73 = pte('v7.3', 'none', RW, oom);
    for (const o of [v6, v73]) {
      expect(o.faultList).toBe('0w');
      expect(o.faults[0].result).toBe('VM_FAULT_OOM');
      expect(o.faults[0].code).toBe('0x1');
    }
    expect(v6.errno).toBe('EFAULT');
    expect(v73.errno).toBe('ENOMEM');
    expect(v73.ret).toBe(-12);
    // A read fault that maps the zero page allocates nothing and still succeeds.
    expect(pte('v7.3', 'none', R, oom).ret).toBe(0);
  });

  test('other fault errors (HWPOISON, SIGSEGV): -EFAULT on both', () => {
    // A poisoned page inside another page's fault span: handle_mm_fault runs on it.
    const span = { cpu: { '0': 'swap', '1': 'hwpoison' } };
    for (const k of ['v6', 'v7.3'] as const) {
      const o = pte(k, 'swap', R, span);
      expect(o.faultList).toBe('0r 1r');
      expect(o.faults[1].code).toBe('0x10');
      expect(o.errno).toBe('EFAULT');
    }
  });

  test('order, number and flags of handle_mm_fault, restarts at last and the entries left: unchanged', () => {
    const file = {
      range: { start: ALIGNED, pages: 16 },
      vmas: [
        { from: 0, pages: 12, prot: 'rw', backing: 'anon' },
        { from: 12, pages: 4, prot: 'r', backing: 'file' },
      ],
      cpu: { '0-1': 'rw', '2': 'cow', '3': 'zero', '5': 'swap', '8-9': 'ro' },
      defaultFlags: ['REQ_FAULT'],
      pfnFlagsMask: ['REQ_WRITE'],
      requests: { '3': ['REQ_WRITE'], '9': ['REQ_WRITE'], '14': ['REQ_WRITE'] },
    };
    const a = sim({ kernel: 'v6.12', ...file });
    const b = sim({ kernel: 'v7.3', ...file });
    expect(b.faults).toEqual(a.faults);
    expect([b.ret, b.restarts, b.attempts]).toEqual([a.ret, a.restarts, a.attempts]);
    expect(b.pfns.map((p) => [p.flags, p.value])).toEqual(a.pfns.map((p) => [p.flags, p.value]));
    expect(b.errno).toBe('EPERM');
  });

  test('raw words: a huge pmd reads 0xC9... in 6.1 and 0xC12... in 7.3 (order at bit 56, then 53)', () => {
    const thp = {
      range: { start: ALIGNED, pages: 4 },
      vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', thp: true }],
      cpu: { '0-3': 'thp-rw' },
      pfnFlagsMask: [],
      requests: {},
    };
    const v6 = pte('v6', 'none', [], thp);
    const v73 = pte('v7.3', 'none', [], thp);
    expect(v6.pfns[0].raw.slice(0, 4)).toBe('0xc9');
    expect(v73.pfns[0].raw.slice(0, 5)).toBe('0xc12');
    expect(v6.pfns[0].order).toBe(9);
    expect(v73.pfns[0].order).toBe(9);
    expect(v73.pfns[1].pfn).toBe(v73.pfns[0].pfn! + 1);
  });

  test('input bits 60/59/58: overwritten by every 6.1 output, kept by every 7.3 output', () => {
    const file = {
      range: { start: ALIGNED, pages: 4 },
      vmas: [{ from: 0, pages: 3, prot: 'rw', backing: 'anon' }],
      cpu: { '0': 'rw' },
      defaultFlags: [],
      pfnFlagsMask: ['REQ_FAULT'],
      // page 0 present, 1 none unasked, 2 none asked (faulted), 3 no vma (ERROR)
      requests: {
        '0': '0x1000000000000000',
        '1': '0x0800000000000000',
        '2': '0x9400000000000000',
        '3': '0x1c00000000000000',
      },
    };
    const v6 = sim({ kernel: 'v6', ...file });
    const v73 = sim({ kernel: 'v7.3', ...file });
    expect(v6.pfns.map((p) => word(p.raw) & STICKY)).toEqual([0n, 0n, 0n, 0n]);
    expect(v73.pfns.map((p) => word(p.raw) & STICKY)).toEqual([DMA, 1n << 59n, DMA | (1n << 58n), STICKY]);
    expect(flagsAt(v73, 0)).toBe('DMA_MAPPED,VALID,WRITE');
    expect(flagsAt(v73, 3)).toBe('DMA_MAPPED,ERROR,P2PDMA,P2PDMA_BUS');
    expect(v73.faultList).toBe(v6.faultList);
  });

  test('device-private pmd, own: every page pfn+i | VALID | WRITE | order 9, never faulted', () => {
    const o = pte('v7.3', 'none', RW, {
      range: { start: ALIGNED, pages: 4 },
      vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', thp: true }],
      cpu: { '0-3': 'thp-devpriv-rw' },
      requests: { '0-3': RW },
    });
    expect(o.faultList).toBe('');
    expect(o.pfns.map((p) => [flagsAt(o, p.page), p.order])).toEqual(Array(4).fill(['VALID,WRITE', 9]));
    expect(o.pfns[3].pfn).toBe(o.pfns[0].pfn! + 3);
    const ro = pte('v7.3', 'none', RW, {
      range: { start: ALIGNED, pages: 4 },
      vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', thp: true }],
      cpu: { '0-3': 'thp-devpriv' },
      requests: { '0-3': RW },
    });
    expect(ro.faultList).toBe('');
    expect(flagsAt(ro, 0)).toBe('VALID');
  });

  test("device-private pmd, another owner's: asked, faulted over the range's part of the block; not asked, ERROR", () => {
    const block = (req: Record<string, string[]>) =>
      pte('v7.3', 'none', [], {
        range: { start: ALIGNED, pages: 4 },
        vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', thp: true }],
        cpu: { '0-3': 'thp-devpriv-other' },
        requests: req,
      });
    const asked = block({ '1': R });
    expect(asked.faultList).toBe('0r 1r 2r 3r');
    expect(asked.cpuAfter).toEqual(Array(4).fill('thp-ro'));
    expect(asked.ret).toBe(0);
    const unasked = block({});
    expect(unasked.faultList).toBe('');
    expect(unasked.pfns.every((p) => p.flags.join() === 'ERROR')).toBe(true);
    // At pte level an unasked page of another owner gives 0.
    const small = pte('v7.3', 'devpriv-other', []);
    expect(flagsAt(small, 0)).toBe('');
  });

  test('pte markers: uffd-wp as none, a guard marker asked for is -EFAULT without handle_mm_fault', () => {
    const uffd = pte('v7.3', 'uffd-wp', R);
    // The stale marker is cleared by the first fault; the re-walk faults the none pte (and, as
    // every pte fault span does, the rest of the chunk).
    expect(uffd.faultList).toBe('0r 1r 0r 1r');
    expect(uffd.cpuAfter[0]).toBe('zero');
    expect(uffd.ret).toBe(0);
    const guard = pte('v7.3', 'guard', R);
    expect(guard.faultList).toBe('');
    expect(guard.errno).toBe('EFAULT');
  });

  test('a guard marker inside another page fault span: handle_mm_fault runs on it, SIGSEGV, -EFAULT', () => {
    const o = pte('v7.3', 'none', R, { cpu: { '1': 'guard' } });
    expect(o.faultList).toBe('0r 1r');
    expect(o.faults[1].result).toBe('VM_FAULT_SIGSEGV');
    expect(o.faults[1].code).toBe('0x40');
    expect(o.errno).toBe('EFAULT');
  });

  test('hugetlb: the fault runs after the walk unwound; same faults and output as 6.12', () => {
    const file = {
      range: { start: ALIGNED, pages: 8 },
      vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', special: 'hugetlb' }],
      cpu: { '0-7': 'ro' },
      defaultFlags: ['REQ_FAULT', 'REQ_WRITE'],
      pfnFlagsMask: [],
    };
    const a = sim({ kernel: 'v6.12', ...file });
    const b = sim({ kernel: 'v7.3', ...file });
    expect(b.faults).toEqual(a.faults);
    expect(b.pfns.map((p) => [p.flags, p.order])).toEqual(a.pfns.map((p) => [p.flags, p.order]));
    expect(b.run.trace.some((e) => e.type === 'record' && e.fn === 'hmm_record_fault')).toBe(true);
  });

  test('a read fault that swaps in an exclusive page of a VM_WRITE vma: 6.1 read-only, 7.3 writable', () => {
    expect(flagsAt(pte('v6', 'swap', R), 0)).toBe('VALID');
    const v73 = pte('v7.3', 'swap', R);
    expect(flagsAt(v73, 0)).toBe('VALID,WRITE');
    expect(v73.faults[0].code).toBe('0x4');
    // Unless soft-dirty tracking needs the write fault (an ro page made by clearing them).
    expect(flagsAt(pte('v7.3', 'swap', R, { cpu: { '0': 'swap', '1': 'ro' } }), 0)).toBe('VALID');
    // A vma without VM_WRITE: read-only everywhere.
    expect(
      flagsAt(
        pte('v7.3', 'swap', R, {
          vmas: [{ from: 0, pages: 2, prot: 'r', backing: 'anon' }],
          cpu: { '0': 'swap' },
        }),
        0,
      ),
    ).toBe('VALID');
  });
});

describe('10.2: per-pte table for 7.3', () => {
  test('any state: the output as in 2.5 plus the input bits 58-60', () => {
    for (const [state, req, flags] of [
      ['none', [], ''],
      ['rw', [], 'VALID,WRITE'],
      ['zero', R, 'VALID'],
      ['swap', [], ''],
      ['special', [], 'ERROR'],
    ] as const) {
      const o = pte('v7.3', state, [...req, 'DMA_MAPPED', 'P2PDMA']);
      expect(flagsAt(o, 0)).toBe(
        [...(flags ? flags.split(',') : []), 'DMA_MAPPED', 'P2PDMA'].sort().join(','),
      );
    }
  });
  test('uffd-wp marker: not asked 0, asked a fault (as none)', () => {
    expect(flagsAt(pte('v7.3', 'uffd-wp', []), 0)).toBe('');
    expect(pte('v7.3', 'uffd-wp', []).faultList).toBe('');
    expect(pte('v7.3', 'uffd-wp', R).faultList).not.toBe('');
  });
  test('guard marker: not asked 0 with the sticky bits kept; asked -EFAULT, no handle_mm_fault', () => {
    const quiet = pte('v7.3', 'guard', ['DMA_MAPPED']);
    expect(word(quiet.pfns[0].raw)).toBe(DMA);
    expect(quiet.ret).toBe(0);
    const asked = pte('v7.3', 'guard', R);
    expect([asked.errno, asked.faultList]).toEqual(['EFAULT', '']);
  });
  test('swap entry, exclusive anon page, VM_WRITE vma, asked to read: fault R, swap-in writable', () => {
    const o = pte('v7.3', 'swap', R);
    expect(o.faultList).toBe('0r 1r');
    expect(o.cpuAfter[0]).toBe('rw');
    expect(flagsAt(o, 0)).toBe('VALID,WRITE');
  });
  test('fault returns VM_FAULT_OOM: -ENOMEM', () => {
    const o = pte('v7.3', 'zero', RW, {
      vmas: [{ from: 0, pages: 2, prot: 'rw', backing: 'anon', allocFails: true }],
    });
    expect(o.faults[0].code).toBe('0x1');
    expect(o.errno).toBe('ENOMEM');
  });
});
