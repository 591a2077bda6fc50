/**
 * Every row of hmm-semantics.md 2.5 ("Per-pte case table"), for v5.2 and for v6 (Linux 6.1).
 *
 * Each case is a 2-page range in one pte table: page 0 is the page under test, page 1 is mapped
 * read-write so the pte table exists (a table whose pages are all none would be a hole, a
 * different row). The request is page 0's own input, passed whole by pfn_flags_mask = all.
 * A fault on page 0 spans the rest of the chunk, so page 1 is faulted too (a no-op on an rw pte).
 */
import { describe, expect, test } from 'vitest';
import { ALIGNED, flagsAt, sim, type ScenarioFile } from '../testing/harness.ts';
import { isPresentNormal } from '../mm/states.ts';
import { CPU_STATES } from '../types.ts';
import { INLINE_PTE_FLAGS, V6 } from './modern.ts';

type Req = [] | ['VALID'] | ['VALID', 'WRITE'];
const NONE: Req = [];
const R: Req = ['VALID'];
const RW: Req = ['VALID', 'WRITE'];

const anon = (prot = 'rw') => ({ from: 0, pages: 2, prot, backing: 'anon', shared: false });

function pte(kernel: 'v5.2' | 'v6', state: string, req: Req, extra: ScenarioFile = {}) {
  return sim({
    kernel,
    range: { start: ALIGNED, pages: 2 },
    vmas: [anon()],
    cpu: state === 'none' ? { '1': 'rw' } : { '0': state, '1': 'rw' },
    driver: kernel === 'v6' ? { devicePrivateOwner: 'this' } : 'seed',
    defaultFlags: [],
    pfnFlagsMask: 'all',
    requests: req.length ? { '0': req } : {},
    ...extra,
  });
}

describe('pte none', () => {
  test('no request: v5.2 values[NONE], v6 0, no fault', () => {
    for (const k of ['v5.2', 'v6'] as const) {
      const o = pte(k, 'none', NONE);
      expect(o.faultList).toBe('');
      expect(flagsAt(o, 0)).toBe('');
      expect(o.pfns[0].raw).toBe('0x0000000000000000');
    }
  });
  test('VALID: read fault over the chunk; v6 reports the zero page, v5.2 then fails on it', () => {
    const v6 = pte('v6', 'none', R);
    expect(v6.faultList).toBe('0r 1r');
    expect(v6.cpuAfter[0]).toBe('zero');
    expect(flagsAt(v6, 0)).toBe('VALID');
    expect(v6.ret).toBe(0);
    const v52 = pte('v5.2', 'none', R);
    expect(v52.faultList).toBe('0r 1r');
    expect(v52.errno).toBe('EFAULT');
    expect(v52.pfns[0].value).toBe('NONE');
  });
  test('VALID in a private file vma: read fault, page-cache page read-only, both report VALID', () => {
    for (const k of ['v5.2', 'v6'] as const) {
      const o = pte(k, 'none', R, { vmas: [{ ...anon(), backing: 'file' }] });
      expect(o.faultList).toBe('0r 1r');
      expect(o.cpuAfter[0]).toBe('ro');
      expect(flagsAt(o, 0)).toBe('VALID');
    }
  });
  test('VALID+WRITE: write fault over the chunk, a new writable page', () => {
    for (const k of ['v5.2', 'v6'] as const) {
      const o = pte(k, 'none', RW);
      expect(o.faultList).toBe('0w 1w');
      expect(o.cpuAfter[0]).toBe('rw');
      expect(flagsAt(o, 0)).toBe('VALID,WRITE');
      expect(o.deviceAfter[0]).toBe('rw');
    }
  });
  test('VALID+WRITE without VM_WRITE: v6 -EPERM before any fault', () => {
    const v6 = pte('v6', 'none', RW, { vmas: [anon('r')], cpu: { '1': 'ro' } });
    expect(v6.errno).toBe('EPERM');
    expect(v6.faultList).toBe('');
    expect(v6.pfns[0].value).toBe('INPUT');
  });
  test('VALID+WRITE without VM_WRITE, v5.2: the fault installs a read-only page and, asked by default_flags, never ends', () => {
    const ro = { vmas: [anon('r')], cpu: { '1': 'ro' } };
    const byDefault = pte('v5.2', 'none', NONE, { ...ro, defaultFlags: ['VALID', 'WRITE'] });
    expect(byDefault.status).toBe('livelock');
    expect(byDefault.ret).toBeNull();
    // Asked only by pfns[0], the request is lost: hmm_vma_walk_hole_() resets the entry to
    // values[NONE] before faulting, so the re-walk sees no write request and returns.
    const perPage = pte('v5.2', 'none', RW, ro);
    expect(perPage.status).toBe('returned');
    expect(perPage.faultList).toBe('0w 1w');
    expect(perPage.cpuAfter[0]).toBe('ro');
    expect(flagsAt(perPage, 0)).toBe('VALID');
  });
});

describe('present read-only and read-write ptes', () => {
  test('ro, no request or VALID: pfn|VALID without a fault', () => {
    for (const k of ['v5.2', 'v6'] as const) {
      for (const req of [NONE, R]) {
        const o = pte(k, 'ro', req);
        expect(o.faultList).toBe('');
        expect(flagsAt(o, 0)).toBe('VALID');
        expect(o.pfns[0].pfn).not.toBeNull();
      }
    }
  });
  test('ro + WRITE: write fault (an exclusive page is reused in place)', () => {
    for (const k of ['v5.2', 'v6'] as const) {
      const o = pte(k, 'ro', RW);
      expect(o.faultList).toBe('0w 1w');
      expect(o.cpuAfter[0]).toBe('rw');
      expect(flagsAt(o, 0)).toBe('VALID,WRITE');
      expect(o.attempts).toBe(1); // reuse does not invalidate
    }
  });
  test('ro + WRITE in a vma without VM_WRITE: v6 -EPERM', () => {
    const o = pte('v6', 'ro', RW, { vmas: [anon('r')], cpu: { '0': 'ro', '1': 'ro' } });
    expect(o.errno).toBe('EPERM');
    expect(o.faultList).toBe('');
  });
  test('rw, any request: pfn|VALID|WRITE, never a fault', () => {
    for (const k of ['v5.2', 'v6'] as const) {
      for (const req of [NONE, R, RW]) {
        const o = pte(k, 'rw', req);
        expect(o.faultList).toBe('');
        expect(flagsAt(o, 0)).toBe('VALID,WRITE');
      }
    }
  });
});

describe('the zero page', () => {
  test('no request or VALID: v5.2 values[SPECIAL] and -EFAULT (then reset to NONE); v6 zero pfn | VALID', () => {
    for (const req of [NONE, R]) {
      const v52 = pte('v5.2', 'zero', req);
      expect(v52.errno).toBe('EFAULT');
      expect(v52.faultList).toBe('');
      expect(v52.pfns[0].value).toBe('NONE'); // hmm_pfns_clear() overwrote SPECIAL
      const v6 = pte('v6', 'zero', req);
      expect(v6.ret).toBe(0);
      expect(flagsAt(v6, 0)).toBe('VALID');
      expect(v6.pfns[0].pfn).toBe(0x1000);
    }
  });
  test('snapshot (v5.2) keeps values[SPECIAL] on the zero page', () => {
    const o = pte('v5.2', 'zero', NONE, { call: 'hmm_range_snapshot' });
    expect(o.pfns[0].value).toBe('SPECIAL');
  });
  test('+WRITE: a write fault copies it (COW); v6 sees the invalidation and retries', () => {
    for (const k of ['v5.2', 'v6'] as const) {
      const o = pte(k, 'zero', RW);
      expect(o.faultList).toBe('0w 1w');
      expect(o.cpuAfter[0]).toBe('rw');
      expect(flagsAt(o, 0)).toBe('VALID,WRITE');
      expect(o.attempts).toBe(k === 'v6' ? 2 : 1);
    }
  });
});

describe('other special ptes', () => {
  const mixed = { vmas: [{ ...anon(), special: 'mixedmap' }] };
  test('v5.2: values[SPECIAL] and -EFAULT whatever was asked', () => {
    for (const req of [NONE, R]) {
      const o = pte('v5.2', 'special', req, { call: 'hmm_range_snapshot' });
      expect(o.pfns[0].value).toBe('SPECIAL');
    }
    expect(pte('v5.2', 'special', R).errno).toBe('EFAULT');
  });
  test('v6 (VM_MIXEDMAP vma): HMM_PFN_ERROR when not asked, -EFAULT when asked', () => {
    const quiet = pte('v6', 'special', NONE, mixed);
    expect(quiet.ret).toBe(0);
    expect(flagsAt(quiet, 0)).toBe('ERROR');
    const asked = pte('v6', 'special', R, mixed);
    expect(asked.errno).toBe('EFAULT');
    expect(asked.faultList).toBe('');
  });
});

describe('NUMA-hinting (protnone) ptes', () => {
  test('no request: v5.2 pfn|VALID (protnone is not tested), v6 the pfn with no flags', () => {
    const v52 = pte('v5.2', 'protnone', NONE);
    expect(flagsAt(v52, 0)).toBe('VALID');
    const v6 = pte('v6', 'protnone', NONE);
    expect(flagsAt(v6, 0)).toBe('');
    expect(v6.pfns[0].raw).not.toBe('0x0000000000000000');
  });
  test('VALID: v5.2 no fault; v6 read fault, do_numa_page restores the pte', () => {
    const v52 = pte('v5.2', 'protnone', R);
    expect(v52.faultList).toBe('');
    expect(flagsAt(v52, 0)).toBe('VALID');
    const v6 = pte('v6', 'protnone', R);
    expect(v6.faultList).toBe('0r 1r');
    expect(v6.cpuAfter[0]).toBe('ro');
    expect(flagsAt(v6, 0)).toBe('VALID');
  });
});

describe('swap entries', () => {
  test('no request: values[NONE] / 0', () => {
    for (const k of ['v5.2', 'v6'] as const) {
      const o = pte(k, 'swap', NONE);
      expect(flagsAt(o, 0)).toBe('');
      expect(o.cpuAfter[0]).toBe('swap');
    }
  });
  test('VALID: v5.2 never swaps in (values[NONE], success); v6 read fault swaps in read-only', () => {
    const v52 = pte('v5.2', 'swap', R);
    expect(v52.faultList).toBe('');
    expect(v52.pfns[0].value).toBe('NONE');
    expect(v52.ret).toBe(2);
    const v6 = pte('v6', 'swap', R);
    expect(v6.faultList).toBe('0r 1r');
    expect(v6.cpuAfter[0]).toBe('ro');
    expect(flagsAt(v6, 0)).toBe('VALID');
  });
  test('VALID+WRITE: v6 write fault swaps in writable', () => {
    const v6 = pte('v6', 'swap', RW);
    expect(v6.faultList).toBe('0w 1w');
    expect(flagsAt(v6, 0)).toBe('VALID,WRITE');
  });
});

describe('migration entries', () => {
  test('no request: values[NONE] / 0', () => {
    for (const k of ['v5.2', 'v6'] as const) expect(flagsAt(pte(k, 'migration', NONE), 0)).toBe('');
  });
  test('VALID: v5.2 does not wait (NONE); v6 waits and restarts the walk at the page, no handle_mm_fault', () => {
    const v52 = pte('v5.2', 'migration', R);
    expect(v52.pfns[0].value).toBe('NONE');
    expect(v52.restarts).toBe(0);
    const v6 = pte('v6', 'migration', R);
    expect(v6.faultList).toBe('');
    expect(v6.restarts).toBe(1);
    expect(flagsAt(v6, 0)).toBe('VALID');
  });
});

describe('device-private entries', () => {
  test('own, no request or VALID: v5.2 pfn|VALID (the seed layout has no DEVICE_PRIVATE bit), v6 VALID(|WRITE), no fault', () => {
    for (const req of [NONE, R]) {
      expect(flagsAt(pte('v5.2', 'devpriv', req), 0)).toBe('VALID');
      expect(flagsAt(pte('v6', 'devpriv', req), 0)).toBe('VALID');
      expect(flagsAt(pte('v6', 'devpriv-rw', req), 0)).toBe('VALID,WRITE');
      expect(pte('v6', 'devpriv', req).faultList).toBe('');
    }
  });
  test('v5.2 with nouveau: the DEVICE_PRIVATE bit is reported', () => {
    const o = pte('v5.2', 'devpriv', NONE, { driver: 'nouveau', requests: {} });
    expect(flagsAt(o, 0)).toBe('DEVICE_PRIVATE,VALID');
  });
  test('own, +WRITE on a read-only entry: v6 never faults it; v5.2 (seed) write-faults it back', () => {
    const v6 = pte('v6', 'devpriv', RW);
    expect(v6.faultList).toBe('');
    expect(flagsAt(v6, 0)).toBe('VALID');
    expect(v6.deviceAfter[0]).toBe('ro');
    const v52 = pte('v5.2', 'devpriv', RW);
    expect(v52.faultList).toBe('0w 1w');
    expect(v52.cpuAfter[0]).toBe('ro'); // migrated back with the entry's permission
  });
  test('v5.2 with nouveau: +WRITE does not fault device memory unless DEVICE_PRIVATE is asked', () => {
    const quiet = pte('v5.2', 'devpriv', NONE, { driver: 'nouveau', requests: { '0': ['VALID', 'WRITE'] } });
    expect(quiet.faultList).toBe('');
    const asked = pte('v5.2', 'devpriv', NONE, {
      driver: 'nouveau',
      requests: { '0': ['VALID', 'WRITE', 'DEVICE_PRIVATE'] },
    });
    expect(asked.faultList).toBe('0w 1w');
  });
  test('another device, VALID: v5.2 reports it like its own; v6 migrates it back and retries', () => {
    expect(flagsAt(pte('v5.2', 'devpriv-other', R), 0)).toBe('VALID');
    const v6 = pte('v6', 'devpriv-other', R);
    expect(v6.faultList).toBe('0r 1r');
    expect(v6.attempts).toBe(2);
    expect(v6.cpuAfter[0]).toBe('ro');
    expect(flagsAt(v6, 0)).toBe('VALID');
  });
});

describe('hwpoison', () => {
  test('v5.2: values[ERROR] and -EFAULT whatever was asked (snapshot keeps ERROR)', () => {
    expect(pte('v5.2', 'hwpoison', NONE, { call: 'hmm_range_snapshot' }).pfns[0].value).toBe('ERROR');
    for (const req of [NONE, R]) expect(pte('v5.2', 'hwpoison', req).errno).toBe('EFAULT');
  });
  test('v6: 0 when not asked, -EFAULT without a fault when asked', () => {
    const quiet = pte('v6', 'hwpoison', NONE);
    expect(quiet.ret).toBe(0);
    expect(flagsAt(quiet, 0)).toBe('');
    const asked = pte('v6', 'hwpoison', R);
    expect(asked.errno).toBe('EFAULT');
    expect(asked.faultList).toBe('');
    expect(asked.pfns[0].value).toBe('INPUT');
  });
});

describe('vmas HMM cannot mirror', () => {
  for (const special of ['io', 'pfnmap'] as const) {
    test(`VM_${special.toUpperCase()}: v5.2 -EFAULT for the whole call; v6 ERROR when not asked, -EFAULT when asked`, () => {
      const file = { vmas: [{ ...anon(), special }], cpu: {} };
      const v52 = pte('v5.2', 'none', R, file);
      expect(v52.errno).toBe('EFAULT');
      expect(v52.pfns[0].value).toBe('INPUT');
      expect(flagsAt(pte('v6', 'none', NONE, file), 0)).toBe('ERROR');
      expect(pte('v6', 'none', R, file).errno).toBe('EFAULT');
    });
  }
  test('no VM_READ (PROT_NONE, write-only): v5.2 every entry NONE and -EPERM; v6 ERROR / -EFAULT', () => {
    for (const prot of ['', 'w']) {
      const file = { vmas: [anon(prot)], cpu: {} };
      const v52 = pte('v5.2', 'none', NONE, file);
      expect(v52.errno).toBe('EPERM');
      expect(v52.pfns.map((p) => p.value)).toEqual(['NONE', 'NONE']);
      expect(flagsAt(pte('v6', 'none', NONE, file), 0)).toBe('ERROR');
      expect(pte('v6', 'none', R, file).errno).toBe('EFAULT');
    }
  });
  test('an address in no vma: v5.2 snapshot NONE, fault oops; v6 ERROR when not asked, -EFAULT when asked', () => {
    const gap = { vmas: [{ from: 1, pages: 1, prot: 'rw', backing: 'anon' }], cpu: { '1': 'rw' } };
    const snap = pte('v5.2', 'none', NONE, { ...gap, call: 'hmm_range_snapshot' });
    expect(snap.pfns[0].value).toBe('NONE');
    const oops = pte('v5.2', 'none', R, gap);
    expect(oops.status).toBe('oops');
    expect(oops.reason).toMatch(/NULL/);
    expect(flagsAt(pte('v6', 'none', NONE, gap), 0)).toBe('ERROR');
    expect(pte('v6', 'none', R, gap).errno).toBe('EFAULT');
  });
});

describe("the walk's inline table (INLINE_PTE_FLAGS)", () => {
  // The walk reports a present normal pte without hmm_vma_handle_pte() through this table:
  // exactly ro, rw, cow and zero are in it, with VALID | WRITE for rw only.
  test.each(CPU_STATES.map((name, code) => [name, code] as const))('%s', (name, code) => {
    const expected = ['ro', 'cow', 'zero'].includes(name)
      ? V6.VALID
      : name === 'rw'
        ? V6.VALID | V6.WRITE
        : 0;
    expect(INLINE_PTE_FLAGS[code]).toBe(expected);
    expect(INLINE_PTE_FLAGS[code] !== 0).toBe(isPresentNormal(code));
  });
});
