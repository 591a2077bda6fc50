import { describe, expect, test } from 'vitest';
import type { Output } from '../src/engine/scenario/output.ts';
import { compareWithFixture, type Observed } from '../src/engine/fixtures/compare.ts';

/** A fixture-style observed block: 4 pages, two faults, one entry still holding its input. */
const observed = (): Observed => ({
  status: 'returned',
  ret: -14,
  errno: 'EFAULT',
  faults: [
    { page: 0, write: false },
    { page: 1, write: true },
  ],
  restarts: 1,
  attempts: 1,
  pfns: [
    { page: 0, flags: ['VALID', 'WRITE'], order: 0 },
    { page: 1, flags: ['VALID'], order: 0 },
    { page: 2, flags: ['WRITE'], order: 0, value: 'INPUT' },
    { page: 3, flags: [], order: 9 },
  ],
  cpu: { '0-1': 'rw', '2-3': 'none' },
  device: { '0-3': 'none' },
});

/** The simulator's OUTPUT form of the same run, with the extra fields the comparison ignores. */
const output = (): Output => ({
  status: 'returned',
  ret: -14,
  errno: 'EFAULT',
  faults: [
    { page: 0, write: false, result: 'ok', attempt: 1, code: '0' },
    { page: 1, write: true, result: 'ok', attempt: 1, code: '0' },
  ],
  restarts: 1,
  attempts: 1,
  calls: [{ ret: -14, walks: 2 }],
  invalidations: [],
  pfns: [
    { page: 0, raw: '0xc000000000000001', flags: ['WRITE', 'VALID'], value: null, pfn: 1, order: 0 },
    { page: 1, raw: '0x8000000000000002', flags: ['VALID'], value: null, pfn: 2, order: 0 },
    { page: 2, raw: '0x4000000000000000', flags: ['WRITE'], value: 'INPUT', pfn: null, order: 0 },
    { page: 3, raw: '0x0900000000000000', flags: [], value: null, pfn: null, order: 9 },
  ],
  cpu: { '0': 'rw', '1': 'rw', '2-3': 'none' },
  device: { '0-3': 'none' },
  trace: [],
});

describe('compareWithFixture', () => {
  test('equal: extra fields, flag order and map spelling do not matter', () => {
    expect(compareWithFixture(output(), observed())).toBeNull();
  });

  test('unlisted pages count as none', () => {
    const o = output();
    o.device = {};
    o.cpu = { '0-1': 'rw' };
    expect(compareWithFixture(o, observed())).toBeNull();
  });

  test.each([
    ['status', (o: Output) => (o.status = 'livelock'), 'status: expected "returned", got "livelock"'],
    ['ret', (o: Output) => (o.ret = 0), 'ret: expected -14, got 0'],
    ['errno', (o: Output) => (o.errno = 'EPERM'), 'errno: expected "EFAULT", got "EPERM"'],
    ['attempts', (o: Output) => (o.attempts = 2), 'attempts: expected 1, got 2'],
    ['restarts', (o: Output) => (o.restarts = 0), 'restarts: expected 1, got 0'],
    [
      'faults[].page',
      (o: Output) =>
        (o.faults = [o.faults[0], { page: 2, write: true, result: 'ok', attempt: 1, code: '0' }]),
      'faults[1].page: expected 1, got 2',
    ],
    [
      'faults[].write',
      (o: Output) =>
        (o.faults = [o.faults[0], { page: 1, write: false, result: 'ok', attempt: 1, code: '0' }]),
      'faults[1].write: expected true, got false',
    ],
    ['faults.length', (o: Output) => (o.faults = o.faults.slice(0, 1)), 'faults.length: expected 2, got 1'],
    ['pfns.length', (o: Output) => (o.pfns = o.pfns.slice(0, 3)), 'pfns.length: expected 4, got 3'],
    [
      'pfns[].flags',
      (o: Output) => (o.pfns = o.pfns.map((e) => (e.page === 0 ? { ...e, flags: ['VALID'] } : e))),
      'pfns[0].flags: expected [VALID,WRITE], got [VALID]',
    ],
    [
      'pfns[].order',
      (o: Output) => (o.pfns = o.pfns.map((e) => (e.page === 3 ? { ...e, order: 0 } : e))),
      'pfns[3].order: expected 9, got 0',
    ],
    [
      'pfns[].value: the input is gone',
      (o: Output) => (o.pfns = o.pfns.map((e) => (e.page === 2 ? { ...e, value: null } : e))),
      'pfns[2].value: expected "INPUT" (the entry still holds its input), got null',
    ],
    [
      'pfns[].value: an output reported as input',
      (o: Output) => (o.pfns = o.pfns.map((e) => (e.page === 1 ? { ...e, value: 'INPUT' } : e))),
      'pfns[1].value: expected an output, got "INPUT" (the entry still holds its input)',
    ],
    [
      'pfns[]: missing page',
      (o: Output) => (o.pfns = o.pfns.map((e) => (e.page === 3 ? { ...e, page: 4 } : e))),
      'pfns[3]: missing',
    ],
    ['cpu', (o: Output) => (o.cpu = { '0': 'rw', '1': 'zero' }), 'cpu[1]: expected "rw", got "zero"'],
    ['device', (o: Output) => (o.device = { '2': 'ro' }), 'device[2]: expected "none", got "ro"'],
  ])('a difference in %s', (_field, change, message) => {
    const o = output();
    change(o);
    expect(compareWithFixture(o, observed())).toBe(message);
  });

  test('a 0 entry may hold its input: "INPUT" on an entry without flags is not a difference', () => {
    const o = output();
    o.pfns = o.pfns.map((e) => (e.page === 3 ? { ...e, value: 'INPUT' } : e));
    expect(compareWithFixture(o, observed())).toBeNull();
  });

  test('the first difference wins', () => {
    const o = output();
    o.restarts = 5;
    o.cpu = {};
    expect(compareWithFixture(o, observed())).toBe('restarts: expected 1, got 5');
  });
});
