/**
 * The seed's two worked examples ("Leverage default_flags and pfn_flags_mask"), page by page, on
 * all four generations (v5.2, v6 = Linux 6.1, v6.12, v7.3): hmm-semantics.md sections 7, 10, 11. Layout VALID = 1 << 63, WRITE = 1 << 62, a 16-page
 * private anonymous range.
 */
import { describe, expect, test } from 'vitest';
import { ALIGNED, flagsAt, sim, type ScenarioFile } from '../testing/harness.ts';

const KERNELS = ['v5.2', 'v6', 'v6.12', 'v7.3'] as const;
/** The v5.8+ API: hmm_pfns, REQ_FAULT / REQ_WRITE at the seed's bits. */
const MODERN = ['v6', 'v6.12', 'v7.3'] as const;
type K = (typeof KERNELS)[number];

function example(kernel: K, n: 1 | 2, extra: ScenarioFile = {}) {
  return sim({
    kernel,
    range: { start: ALIGNED, pages: 16 },
    vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'anon' }],
    driver: kernel === 'v5.2' ? 'seed' : { devicePrivateOwner: 'this' },
    defaultFlags: ['VALID'],
    pfnFlagsMask: n === 1 ? [] : ['WRITE'],
    requests: n === 1 ? {} : { '5': ['WRITE'] },
    ...extra,
  });
}

describe('example 1: default_flags = VALID, pfn_flags_mask = 0', () => {
  test('the input array is ignored: a per-page WRITE asks for nothing more', () => {
    for (const k of KERNELS) {
      const o = example(k, 1, { cpu: { '0-15': 'ro' }, requests: { '3': ['WRITE'] } });
      expect(o.faultList).toBe('');
      expect(o.pfns.every((p) => p.flags.join() === 'VALID')).toBe(true);
    }
  });
  test('untouched anonymous memory: one hole, read-faulted; v5.8+ reports 16 zero pages, v5.2 fails on the first', () => {
    const v6 = example('v6', 1);
    for (const k of MODERN) {
      const o = example(k, 1);
      expect(o.faultList).toBe([...Array(16).keys()].map((p) => `${p}r`).join(' '));
      expect(o.pfns.map((p) => p.pfn)).toEqual(Array(16).fill(0x1000));
      expect(o.deviceAfter).toEqual(Array(16).fill('ro'));
      // do_anonymous_page() mapping the zero page returns 0 on every generation.
      expect(o.faults.every((f) => f.code === '0')).toBe(true);
    }
    const v52 = example('v5.2', 1);
    expect(v52.faultList).toBe(v6.faultList);
    expect(v52.errno).toBe('EFAULT');
    expect(v52.pfns.every((p) => p.value === 'NONE')).toBe(true);
    expect(v52.deviceAfter).toEqual(Array(16).fill('none'));
  });
  test('a private file: read faults map page-cache pages; shared tmpfs comes back writable', () => {
    for (const k of KERNELS) {
      const priv = example(k, 1, { vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'file' }] });
      expect(priv.pfns.every((p) => p.flags.join() === 'VALID')).toBe(true);
      const shared = example(k, 1, {
        vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'file', shared: true }],
      });
      expect(shared.pfns.every((p) => [...p.flags].sort().join() === 'VALID,WRITE')).toBe(true);
    }
  });
  test('present pages: read-only -> VALID, writable -> VALID|WRITE, no fault', () => {
    for (const k of KERNELS) {
      const o = example(k, 1, { cpu: { '0-7': 'ro', '8-15': 'rw' } });
      expect(o.faultList).toBe('');
      expect(flagsAt(o, 0)).toBe('VALID');
      expect(flagsAt(o, 8)).toBe('VALID,WRITE');
    }
  });
  test('swapped out: 6.1 swaps in read-only, 6.12 and 7.3 writable (exclusive pages); v5.2 reports values[NONE] and succeeds', () => {
    const cpu = { cpu: { '0-15': 'swap' } };
    const v6 = example('v6', 1, cpu);
    expect(v6.cpuAfter).toEqual(Array(16).fill('ro'));
    expect(v6.faults.every((f) => f.code === '0x4')).toBe(true);
    for (const k of ['v6.12', 'v7.3'] as const) {
      const o = example(k, 1, cpu);
      expect(o.cpuAfter).toEqual(Array(16).fill('rw'));
      expect(o.pfns.every((p) => [...p.flags].sort().join() === 'VALID,WRITE')).toBe(true);
      expect(o.faults.every((f) => f.code === '0x4')).toBe(true);
      // With soft-dirty tracking on (the recordings' ro pages), the swap-in stays read-only.
      const tracked = example(k, 1, { cpu: { '0-14': 'swap', '15': 'ro' } });
      expect(tracked.cpuAfter.slice(0, 15)).toEqual(Array(15).fill('ro'));
    }
    const v52 = example('v5.2', 1, cpu);
    expect(v52.faultList).toBe('');
    expect(v52.ret).toBe(16);
    expect(v52.pfns.every((p) => p.value === 'NONE')).toBe(true);
  });
  test('no VM_READ: v5.8+ -EFAULT, v5.2 -EPERM with every entry NONE', () => {
    const none = { vmas: [{ from: 0, pages: 16, prot: '', backing: 'anon' }] };
    for (const k of MODERN) expect(example(k, 1, none).errno).toBe('EFAULT');
    const v52 = example('v5.2', 1, none);
    expect(v52.errno).toBe('EPERM');
    expect(v52.pfns.every((p) => p.value === 'NONE')).toBe(true);
  });
});

describe('example 2: default_flags = VALID, pfn_flags_mask = WRITE, pfns[5] = WRITE', () => {
  test('page 5 already writable: no fault; the other pages as in example 1', () => {
    for (const k of KERNELS) {
      const o = example(k, 2, { cpu: { '0-4': 'ro', '5': 'rw', '6-15': 'ro' } });
      expect(o.faultList).toBe('');
      expect(flagsAt(o, 5)).toBe('VALID,WRITE');
      expect(flagsAt(o, 4)).toBe('VALID');
    }
  });
  test('untouched memory (a hole): the need is taken over the hole, every page is write-faulted', () => {
    for (const k of KERNELS) {
      const o = example(k, 2);
      expect(o.faultList).toBe([...Array(16).keys()].map((p) => `${p}w`).join(' '));
      expect(o.cpuAfter).toEqual(Array(16).fill('rw'));
      expect(o.pfns.every((p) => [...p.flags].sort().join() === 'VALID,WRITE')).toBe(true);
      expect(o.ret).toBe(k === 'v5.2' ? 16 : 0);
    }
  });
  test('page 5 exclusive read-only: reused in place (same pfn, no invalidation)', () => {
    for (const k of KERNELS) {
      const before = example(k, 1, { cpu: { '0-15': 'ro' } });
      const o = example(k, 2, { cpu: { '0-15': 'ro' } });
      expect(o.faultList).toBe('5w 6w 7w 8w 9w 10w 11w 12w 13w 14w 15w');
      expect(o.pfns[5].pfn).toBe(before.pfns[5].pfn);
      expect(o.attempts).toBe(1);
      // wp_page_reuse(): VM_FAULT_WRITE until 6.1, 0 since 6.2 (hmm-semantics.md 11).
      expect(o.faults[0].code).toBe(k === 'v5.2' || k === 'v6' ? '0x8' : '0');
      // The write span makes pages 6-15 writable too, although they asked only for read.
      expect(flagsAt(o, 6)).toBe('VALID,WRITE');
      expect(flagsAt(o, 4)).toBe('VALID');
    }
  });
  test('page 5 shared after fork: COW copy, a new pfn, and (v5.8+) a retry after the invalidation', () => {
    for (const k of KERNELS) {
      const o = example(k, 2, { cpu: { '0-4': 'ro', '5': 'cow', '6-15': 'rw' } });
      expect(o.faultList).toBe('5w 6w 7w 8w 9w 10w 11w 12w 13w 14w 15w');
      expect(o.cpuAfter[5]).toBe('rw');
      expect(o.attempts).toBe(k === 'v5.2' ? 1 : 2);
      expect(flagsAt(o, 5)).toBe('VALID,WRITE');
    }
  });
  test('page 5 holds the zero page: COW; v5.8+ retries once after the MMU_NOTIFY_CLEAR', () => {
    for (const k of MODERN) {
      const o = example(k, 2, { cpu: { '0-4': 'rw', '5': 'zero', '6-15': 'rw' } });
      expect(o.attempts).toBe(2);
      expect(flagsAt(o, 5)).toBe('VALID,WRITE');
    }
  });
  test('a read need before page 5 in the same chunk: v5.8+ read-faults the span, then write-faults from 5 on the re-walk', () => {
    for (const k of MODERN) {
      const o = example(k, 2, { cpu: { '0': 'rw' } });
      const reads = [...Array(15).keys()].map((p) => `${p + 1}r`);
      const writes = [...Array(11).keys()].map((p) => `${p + 5}w`);
      expect(o.faultList).toBe([...reads, ...writes].join(' '));
      expect(o.cpuAfter.slice(1, 5)).toEqual(Array(4).fill('zero'));
      expect(o.cpuAfter.slice(5)).toEqual(Array(11).fill('rw'));
      expect(flagsAt(o, 5)).toBe('VALID,WRITE');
      expect(o.ret).toBe(0);
    }
  });
  test('7.3 takes the same steps in a new order: record the span, unwind the walk, then hmm_do_fault', () => {
    const o = example('v7.3', 2, { cpu: { '0': 'rw' } });
    const kinds = o.run.trace.map((e) => e.type);
    const first = kinds.indexOf('record');
    expect(first).toBeGreaterThan(0);
    expect(kinds.slice(first, first + 4)).toEqual(['record', 'unwind', 'dofault', 'fault']);
    expect(o.run.trace[first + 3].stack).toMatch(/hmm_range_fault > hmm_do_fault > handle_mm_fault$/);
    // 6.1 faults inside the walk's callback instead.
    const v6 = example('v6', 2, { cpu: { '0': 'rw' } });
    const fault = v6.run.trace.find((e) => e.type === 'fault')!;
    expect(fault.stack).toMatch(/walk_page_range > .*hmm_vma_fault > handle_mm_fault$/);
    expect(v6.run.trace.some((e) => e.type === 'record')).toBe(false);
  });
  test('v5.2 loses page 5 request: the read span resets it to NONE; anonymous fails on the zero page, a file comes back read-only', () => {
    const anon = example('v5.2', 2, { cpu: { '0': 'rw' } });
    expect(anon.faultList).toBe([...Array(15).keys()].map((p) => `${p + 1}r`).join(' '));
    expect(anon.errno).toBe('EFAULT');
    const file = example('v5.2', 2, {
      cpu: { '0': 'rw' },
      vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'file' }],
    });
    expect(file.ret).toBe(16);
    expect(file.cpuAfter[5]).toBe('ro');
    expect(flagsAt(file, 5)).toBe('VALID');
  });
  test('page 5 in a vma without VM_WRITE: v5.8+ -EPERM', () => {
    for (const k of MODERN) {
      const o = example(k, 2, {
        vmas: [
          { from: 0, pages: 5, prot: 'rw', backing: 'anon' },
          { from: 5, pages: 11, prot: 'r', backing: 'file' },
        ],
        cpu: { '0-4': 'rw', '5-15': 'ro' },
      });
      expect(o.errno).toBe('EPERM');
      expect(o.faultList).toBe('');
      expect(o.pfns[5].value).toBe('INPUT');
    }
  });
  test('the output WRITE flag follows the CPU pte, whatever was asked', () => {
    for (const k of KERNELS) {
      const o = example(k, 2, { cpu: { '0-15': 'rw' }, requests: {} });
      expect(o.pfns.every((p) => [...p.flags].sort().join() === 'VALID,WRITE')).toBe(true);
    }
  });
});
