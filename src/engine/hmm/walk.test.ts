/**
 * How the walk moves: the fault span, holes at the highest missing level, restarts at `last`,
 * huge pmds and hugetlb pages, hmm_range_snapshot and the old-API wrapper. Spec: hmm-semantics.md
 * 2.2-2.6 and 5; kernel-fixtures README points 1-3, 10-18.
 */
import { describe, expect, test } from 'vitest';
import { ALIGNED, flagsAt, sim, type ScenarioFile } from '../testing/harness.ts';

const anon = (from: number, pages: number, prot = 'rw') => ({ from, pages, prot, backing: 'anon' });
/** 8 pages before a 2 MiB boundary and 8 after it. */
const STRADDLE = '0x7f00001f8000';

function v6(extra: ScenarioFile) {
  return sim({
    kernel: 'v6',
    driver: { devicePrivateOwner: 'this' },
    defaultFlags: [],
    pfnFlagsMask: 'all',
    ...extra,
  });
}
function v52(extra: ScenarioFile) {
  return sim({ kernel: 'v5.2', driver: 'seed', defaultFlags: [], pfnFlagsMask: 'all', ...extra });
}

describe('the fault span', () => {
  test('a pte fault covers the page through the end of its pmd chunk, not beyond the 2 MiB boundary', () => {
    const o = v6({
      range: { start: STRADDLE, pages: 16 },
      vmas: [anon(0, 16)],
      cpu: { '0': 'rw', '8': 'rw' },
      requests: { '3': ['VALID'] },
    });
    expect(o.faultList).toBe('3r 4r 5r 6r 7r');
    expect(o.restarts).toBe(1);
  });
  test('a fault span stops at the vma end', () => {
    const o = v6({
      range: { start: ALIGNED, pages: 8 },
      vmas: [anon(0, 4), anon(4, 4, 'r')],
      cpu: { '0': 'rw', '4': 'ro' },
      requests: { '1': ['VALID'] },
    });
    expect(o.faultList).toBe('1r 2r 3r');
  });
  test('with no table in the 1 GiB region the walk sees one hole across the 2 MiB boundary: one request faults both sides', () => {
    const o = v6({
      range: { start: STRADDLE, pages: 16 },
      vmas: [anon(0, 16)],
      requests: { '12': ['VALID', 'WRITE'] },
    });
    expect(o.faultList).toBe([...Array(16).keys()].map((p) => `${p}w`).join(' '));
    expect(o.run.trace.some((e) => e.type === 'hole' && e.level === 'pgd')).toBe(true);
  });
  test('when the second block has a pte table, only its own chunk is faulted', () => {
    const o = v6({
      range: { start: STRADDLE, pages: 16 },
      vmas: [anon(0, 16)],
      cpu: { '15': 'rw' },
      requests: { '12': ['VALID', 'WRITE'] },
    });
    expect(o.faultList).toBe('12w 13w 14w 15w');
  });
  test('v5.2 resets the chunk to values[NONE] before faulting it; v6 keeps later inputs as inputs', () => {
    const file = {
      range: { start: ALIGNED, pages: 4 },
      vmas: [anon(0, 4)],
      cpu: { '3': 'rw' },
      requests: { '0': ['VALID'], '2': ['VALID', 'WRITE'] },
    };
    const six = v6(file);
    expect(six.faultList).toBe('0r 1r 2r 3r 2w 3w');
    expect(flagsAt(six, 2)).toBe('VALID,WRITE');
    const five = v52({ ...file, vmas: [{ ...anon(0, 4), backing: 'file' }] });
    expect(five.faultList).toBe('0r 1r 2r 3r');
    expect(flagsAt(five, 2)).toBe('VALID');
  });
});

describe('restarts and the v5.2 return value', () => {
  test('each fault span restarts the walk at its first page', () => {
    const o = v6({
      range: { start: ALIGNED, pages: 8 },
      vmas: [anon(0, 8)],
      cpu: { '0-7': 'ro' },
      requests: { '2': ['VALID', 'WRITE'], '5': ['VALID'] },
    });
    expect(o.faultList).toBe('2w 3w 4w 5w 6w 7w');
    expect(o.restarts).toBe(1);
  });
  test('v5.2 returns the pages up to `last`: a trailing unfaulted hole is not counted', () => {
    const o = v52({ range: { start: STRADDLE, pages: 16 }, vmas: [anon(0, 16)], cpu: { '0-7': 'rw' } });
    expect(o.ret).toBe(8);
  });
});

describe('hmm_range_snapshot (v5.2)', () => {
  test('never faults, and an error stops only the walk of its vma: later pages keep their input', () => {
    const o = v52({
      call: 'hmm_range_snapshot',
      range: { start: ALIGNED, pages: 8 },
      vmas: [anon(0, 4), anon(4, 4, 'r')],
      cpu: { '0': 'rw', '1': 'zero', '2': 'ro', '4-7': 'ro' },
      requests: { '2': ['VALID', 'WRITE'] },
    });
    expect(o.faultList).toBe('');
    expect(o.pfns[1].value).toBe('SPECIAL');
    expect(o.pfns[2].value).toBe('INPUT');
    expect(flagsAt(o, 5)).toBe('VALID');
    expect(o.cpuAfter.slice(0, 3)).toEqual(['rw', 'zero', 'ro']);
  });
});

describe('the old-API wrapper hmm_vma_fault (v5.2)', () => {
  test('ignores default_flags and the mask: only pfns[i] asks', () => {
    const o = v52({
      call: 'hmm_vma_fault',
      range: { start: ALIGNED, pages: 4 },
      vmas: [anon(0, 4)],
      cpu: { '0-3': 'ro' },
      defaultFlags: ['VALID', 'WRITE'],
      pfnFlagsMask: [],
      requests: { '3': ['VALID', 'WRITE'] },
    });
    expect(o.faultList).toBe('3w');
    expect(o.ret).toBe(0);
    expect(flagsAt(o, 0)).toBe('VALID');
  });
  test('a call that completes no page returns -EBUSY, so a driver retrying it gives up', () => {
    const o = v52({ call: 'hmm_vma_fault', range: { start: ALIGNED, pages: 4 }, vmas: [anon(0, 4)] });
    expect(o.ret).toBe(-16);
    expect(o.errno).toBe('EBUSY');
    expect(o.attempts).toBe(16);
  });
});

describe('transparent huge pages (a "thp" vma)', () => {
  const thpVma = { from: 0, pages: 512, prot: 'rw', backing: 'anon', thp: true };
  test('a huge pmd is reported on every range page with order 9; one write request faults the whole block part', () => {
    const o = v6({
      range: { start: ALIGNED, pages: 16 },
      vmas: [{ ...thpVma, from: 0, pages: 512 }],
      cpu: { '0-15': 'thp-ro' },
      requests: { '3': ['VALID', 'WRITE'] },
    });
    expect(o.faultList).toBe([...Array(16).keys()].map((p) => `${p}w`).join(' '));
    expect(o.cpuAfter).toEqual(Array(16).fill('thp-rw'));
    expect(o.pfns.every((p) => p.order === 9)).toBe(true);
    expect(o.attempts).toBe(1);
  });
  test('a read fault on a none pmd maps the huge zero page; a write to it splits the pmd and retries', () => {
    const read = v6({ range: { start: ALIGNED, pages: 4 }, vmas: [thpVma], requests: { '0': ['VALID'] } });
    expect(read.cpuAfter).toEqual(Array(4).fill('thp-zero'));
    const write = v6({
      range: { start: ALIGNED, pages: 4 },
      vmas: [thpVma],
      cpu: { '0-3': 'thp-zero' },
      requests: { '1': ['VALID', 'WRITE'] },
    });
    expect(write.attempts).toBe(2);
    // The need is taken over the range's whole part of the huge pmd, so all four pages are written.
    expect(write.faultList).toBe('0w 1w 2w 3w');
    expect(write.cpuAfter).toEqual(['rw', 'rw', 'rw', 'rw']);
    expect(write.pfns.map((p) => p.order)).toEqual([0, 0, 0, 0]);
  });
});

describe('hugetlb', () => {
  const huge = (prot = 'rw') => ({ from: 0, pages: 512, prot, backing: 'anon', special: 'hugetlb' });
  test('v6: only the first range page of a huge page is asked; a none huge pte comes back with order 9 and no flags', () => {
    const o = v6({
      range: { start: ALIGNED, pages: 8 },
      vmas: [huge(), anon(512, 1)],
      cpu: {},
      requests: { '4': ['VALID', 'WRITE'] },
    });
    // Nothing is mapped in the 1 GiB region: one hole per huge page, and it aggregates every request.
    expect(o.faultList).toBe([...Array(8).keys()].map((p) => `${p}w`).join(' '));
    const mapped = v6({
      range: { start: ALIGNED, pages: 8 },
      vmas: [huge()],
      cpu: { '0-7': 'ro' },
      requests: { '4': ['VALID', 'WRITE'] },
    });
    expect(mapped.faultList).toBe('');
    expect(flagsAt(mapped, 4)).toBe('VALID');
    expect(mapped.pfns[4].order).toBe(9);
  });
  test('v5.2: a none huge pte with its table present is reported VALID (hmm_device_entry_from_pfn adds VALID)', () => {
    const o = v52({
      range: { start: ALIGNED, pages: 1024 },
      vmas: [huge(), { ...huge(), from: 512 }],
      cpu: { '512-1023': 'rw' },
    });
    expect(flagsAt(o, 0)).toBe('VALID');
    expect(o.pfns[0].pfn).toBe(0);
  });
});
