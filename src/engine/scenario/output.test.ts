import { FaultLogBuilder } from '../faults.ts';
import { describe, expect, test } from 'vitest';
import { CPU_STATES, DEVICE_STATES, type RunResult, type Scenario, type TraceEvent } from '../types.ts';
import { formatJson, jsonErrorOffset } from './json.ts';
import { decodePfn, formatOutput } from './output.ts';
import { parseScenario } from './parse.ts';

function scenario(kernel: 'v5.2' | 'v6', driver?: string, pages = 4): Scenario {
  const r = parseScenario({
    format: 1,
    kernel,
    ...(driver ? { driver } : {}),
    range: { start: '0x7f0000000000', pages },
    vmas: [{ from: 0, pages, prot: 'rw', backing: 'anon' }],
  });
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.scenario;
}

function result(s: Scenario, over: Partial<RunResult> = {}): RunResult {
  const n = s.range.pages;
  return {
    status: 'returned',
    reason: null,
    ret: 0,
    errno: null,
    faults: new FaultLogBuilder().finish(),
    restarts: 0,
    attempts: 1,
    calls: [{ ret: 0, walks: 1 }],
    invalidations: [],
    concurrent: [],
    pfns: new BigUint64Array(n),
    holdsInput: new Uint8Array(n),
    cpu: new Uint8Array(n),
    device: new Uint8Array(n),
    cpuPfn: new Int32Array(n).fill(-1),
    ...over,
  };
}

describe('decodePfn, v6 (Linux 6.1 bits)', () => {
  const s = scenario('v6');
  test.each([
    [0x8000000000001000n, false, { flags: ['VALID'], value: null, pfn: 0x1000, order: 0 }],
    [0xc000000000002000n, false, { flags: ['VALID', 'WRITE'], value: null, pfn: 0x2000, order: 0 }],
    [0x2000000000000000n, false, { flags: ['ERROR'], value: null, pfn: null, order: 0 }],
    [0x8900000000000200n, false, { flags: ['VALID'], value: null, pfn: 0x200, order: 9 }],
    [0x0900000000000003n, false, { flags: [], value: null, pfn: null, order: 9 }],
    [0x4000000000000000n, true, { flags: ['WRITE'], value: 'INPUT', pfn: null, order: 0 }],
    [0xc000000000000000n, true, { flags: ['VALID', 'WRITE'], value: 'INPUT', pfn: 0, order: 0 }],
    [0n, true, { flags: [], value: null, pfn: null, order: 0 }],
    [0n, false, { flags: [], value: null, pfn: null, order: 0 }],
  ] as const)('%s (input: %s)', (word, input, want) => {
    expect(decodePfn(s, word, input)).toEqual(want);
  });
});

describe('decodePfn, v5.2 (through the layout)', () => {
  test('seed: flags above the pfn, pfn_shift 0', () => {
    const s = scenario('v5.2', 'seed');
    expect(decodePfn(s, 0xc000000000001234n, false)).toEqual({
      flags: ['VALID', 'WRITE'],
      value: null,
      pfn: 0x1234,
      order: 0,
    });
    expect(decodePfn(s, 0n, false)).toEqual({ flags: [], value: 'NONE', pfn: null, order: 0 });
    expect(decodePfn(s, 1n << 61n, false)).toEqual({ flags: [], value: 'ERROR', pfn: null, order: 0 });
    expect(decodePfn(s, 1n << 60n, false)).toEqual({ flags: [], value: 'SPECIAL', pfn: null, order: 0 });
    expect(decodePfn(s, 1n << 62n, true)).toEqual({ flags: ['WRITE'], value: 'INPUT', pfn: null, order: 0 });
    expect(decodePfn(s, 0n, true)).toEqual({ flags: [], value: 'NONE', pfn: null, order: 0 });
  });
  test('nouveau: flags below pfn_shift 12; ERROR and SPECIAL alias', () => {
    const s = scenario('v5.2', 'nouveau');
    expect(decodePfn(s, (0x1234n << 12n) | 0x13n, false)).toEqual({
      flags: ['VALID', 'WRITE', 'DEVICE_PRIVATE'],
      value: null,
      pfn: 0x1234,
      order: 0,
    });
    expect(decodePfn(s, 0xfffffffffffffffen, false)).toEqual({
      flags: [],
      value: 'ERROR',
      pfn: null,
      order: 0,
    });
  });
  test('amdgpu: its own SPECIAL', () => {
    const s = scenario('v5.2', 'amdgpu');
    expect(decodePfn(s, 0xfffffffffffffffcn, false)).toEqual({
      flags: [],
      value: 'SPECIAL',
      pfn: null,
      order: 0,
    });
    expect(decodePfn(s, (7n << 12n) | 1n, false)).toEqual({
      flags: ['VALID'],
      value: null,
      pfn: 7,
      order: 0,
    });
  });
});

describe('formatOutput', () => {
  const s = scenario('v6', undefined, 6);
  const cpu = (names: string[]) => Uint8Array.from(names.map((n) => CPU_STATES.indexOf(n as 'none')));
  const dev = (names: string[]) => Uint8Array.from(names.map((n) => DEVICE_STATES.indexOf(n as 'none')));

  test('the OUTPUT form, every page listed in cpu and device', () => {
    const log = new FaultLogBuilder();
    log.push(2, true, 'ok', 1);
    const r = result(s, {
      ret: 0,
      faults: log.finish(),
      restarts: 1,
      calls: [{ ret: 0, walks: 2 }],
      invalidations: [{ from: 2, to: 2, event: 'CLEAR' }],
      pfns: BigUint64Array.from([0xc000000000000010n, 0xc000000000000011n, 0n, 0n, 0x4000000000000000n, 0n]),
      holdsInput: Uint8Array.from([0, 0, 0, 0, 1, 1]),
      cpu: cpu(['rw', 'rw', 'zero', 'none', 'none', 'ro']),
      device: dev(['rw', 'rw', 'none', 'none', 'none', 'none']),
    });
    expect(formatOutput(s, r)).toEqual({
      status: 'returned',
      ret: 0,
      errno: null,
      faults: [{ page: 2, write: true, result: 'ok', attempt: 1, code: '0' }],
      restarts: 1,
      attempts: 1,
      calls: [{ ret: 0, walks: 2 }],
      invalidations: [{ from: 2, to: 2, event: 'CLEAR' }],
      pfns: [
        { page: 0, raw: '0xc000000000000010', flags: ['VALID', 'WRITE'], value: null, pfn: 16, order: 0 },
        { page: 1, raw: '0xc000000000000011', flags: ['VALID', 'WRITE'], value: null, pfn: 17, order: 0 },
        { page: 2, raw: '0x0000000000000000', flags: [], value: null, pfn: null, order: 0 },
        { page: 3, raw: '0x0000000000000000', flags: [], value: null, pfn: null, order: 0 },
        { page: 4, raw: '0x4000000000000000', flags: ['WRITE'], value: 'INPUT', pfn: null, order: 0 },
        { page: 5, raw: '0x0000000000000000', flags: [], value: null, pfn: null, order: 0 },
      ],
      cpu: { '0-1': 'rw', '2': 'zero', '3-4': 'none', '5': 'ro' },
      device: { '0-1': 'rw', '2-5': 'none' },
    });
  });

  test('ret is null and reason is kept when the kernel would not return', () => {
    const out = formatOutput(s, result(s, { status: 'livelock', reason: 'page 2 faulted 64 times', ret: 2 }));
    expect([out.status, out.reason, out.ret]).toEqual(['livelock', 'page 2 faulted 64 times', null]);
    expect('reason' in formatOutput(s, result(s))).toBe(false);
  });

  test('trace only when given', () => {
    expect('trace' in formatOutput(s, result(s))).toBe(false);
    const trace: TraceEvent[] = [
      { type: 'call', stmt: 'drv.call', fn: 'hmm_range_fault', stack: 'hmm_range_fault', attempt: 1 },
    ];
    // Each event with its sentence, where the engine's events had it: before the stack.
    expect(JSON.stringify(formatOutput(s, result(s), trace).trace)).toBe(
      JSON.stringify([
        {
          type: 'call',
          stmt: 'drv.call',
          fn: 'hmm_range_fault',
          text: 'The driver calls hmm_range_fault(&range).',
          stack: 'hmm_range_fault',
          attempt: 1,
        },
      ]),
    );
  });
});

describe('formatJson', () => {
  test('prints page maps in page order, like JSON.stringify otherwise', () => {
    const map: Record<string, string> = {};
    map['0-1'] = 'rw';
    map['2'] = 'ro';
    map['3-9'] = 'none';
    expect(Object.keys(map)).toEqual(['2', '0-1', '3-9']); // what a JS object does to them
    expect(formatJson({ cpu: map, list: [1, { a: null }], empty: {}, none: [] })).toBe(
      [
        '{',
        '  "cpu": {',
        '    "0-1": "rw",',
        '    "2": "ro",',
        '    "3-9": "none"',
        '  },',
        '  "list": [',
        '    1,',
        '    {',
        '      "a": null',
        '    }',
        '  ],',
        '  "empty": {},',
        '  "none": []',
        '}',
      ].join('\n'),
    );
    const plain = { a: [1, 2], b: { c: 'x' }, d: true };
    expect(formatJson(plain)).toBe(JSON.stringify(plain, null, 2));
  });
});

describe('jsonErrorOffset', () => {
  test.each([
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['xyz', 0],
    ['{"a": tru}', 9],
    ['{"a":', 5],
    ['[1,2', 4],
    ['"a\\qb"', 3],
    ['{"a": -}', 7],
    ['{"a": 1} x', 9],
    ['{"a": [1, 2]}', 13],
  ])('%s -> %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});
