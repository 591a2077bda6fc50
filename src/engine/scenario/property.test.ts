import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CPU_STATES } from '../types.ts';
import { parseScenario, parseScenarioText, scenarioToFile } from './parse.ts';
import { CONCURRENT_AT, CONCURRENT_OPS } from './vocabulary.ts';

/** parseScenario's contract: it never throws, and a rejection always says why, one line each. */
function checkContract(input: unknown): void {
  const r = parseScenario(input);
  if (r.ok) {
    // Whatever parses, its canonical file parses back to the same scenario.
    expect(parseScenario(scenarioToFile(r.scenario))).toStrictEqual(r);
  } else {
    expect(r.problems.length).toBeGreaterThan(0);
    for (const p of r.problems) expect(p).toMatch(/^[^\n]+: [^\n]+$/);
  }
}

/** Mostly `good`, sometimes `odd`: near-valid input reaches the rules that need clean fields. */
const mostly = <T, U>(good: fc.Arbitrary<T>, odd: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: odd });

const hexish = fc.oneof(
  fc.constantFrom(
    '0x0',
    '0x1000',
    '0x7f0000000000',
    '0x7f00001f8000',
    '0x7ffffffff000',
    '0x800000000000',
    'zz',
    '0x',
  ),
  fc.bigInt({ min: 0n, max: 1n << 65n }).map((b) => '0x' + b.toString(16)),
);
const pageKey = mostly(
  fc.oneof(
    fc.nat(40).map(String),
    fc.tuple(fc.nat(40), fc.nat(40)).map(([a, b]) => `${a}-${b}`),
  ),
  fc.string({ maxLength: 6 }),
);
const flagNames = fc.array(
  fc.constantFrom('VALID', 'WRITE', 'REQ_FAULT', 'REQ_WRITE', 'DEVICE_PRIVATE', 'X'),
  {
    maxLength: 3,
  },
);
const flags = mostly(fc.oneof(flagNames, hexish, fc.constant('all')), fc.jsonValue({ maxDepth: 1 }));
const vma = fc.record(
  {
    from: mostly(fc.integer({ min: -600, max: 600 }), fc.jsonValue({ maxDepth: 0 })),
    pages: fc.integer({ min: 0, max: 1100 }),
    prot: mostly(fc.constantFrom('', 'r', 'rw', 'w'), fc.constant('x')),
    backing: fc.constantFrom('anon', 'file'),
    shared: fc.boolean(),
    special: fc.constantFrom('io', 'pfnmap', 'mixedmap', 'hugetlb'),
    thp: fc.boolean(),
  },
  { requiredKeys: ['from', 'pages', 'prot', 'backing'] },
);
const layout = fc.record(
  {
    flags: fc.record(
      { VALID: hexish, WRITE: hexish, DEVICE_PRIVATE: hexish },
      { requiredKeys: ['VALID', 'WRITE'] },
    ),
    values: fc.record({ ERROR: hexish, NONE: hexish, SPECIAL: hexish }),
    pfnShift: fc.integer({ min: -1, max: 65 }),
    devicePrivateOwner: fc.constantFrom('this', 'none'),
  },
  { requiredKeys: [] },
);

/** Scenario-shaped values, mostly almost valid, so the deep rules run on odd inputs. */
const nearScenario = fc.record(
  {
    format: mostly(fc.constant(1), fc.jsonValue({ maxDepth: 0 })),
    title: fc.string({ maxLength: 4 }),
    kernel: mostly(fc.constantFrom('v5.2', 'v6', 'v6.12', 'v7.3'), fc.constant('v7')),
    call: fc.constantFrom('hmm_range_fault', 'hmm_range_snapshot', 'hmm_vma_fault'),
    block: fc.boolean(),
    range: fc.record({
      start: mostly(fc.constantFrom('0x7f0000000000', '0x7f00001f8000'), hexish),
      pages: mostly(fc.integer({ min: 0, max: 1100 }), fc.jsonValue({ maxDepth: 0 })),
    }),
    vmas: fc.array(vma, { maxLength: 4 }),
    cpu: fc.dictionary(pageKey, mostly(fc.constantFrom(...CPU_STATES), fc.string({ maxLength: 3 })), {
      maxKeys: 6,
    }),
    driver: mostly(
      fc.constantFrom('seed', 'nouveau', 'amdgpu'),
      fc.oneof(fc.constant('x'), layout, fc.jsonValue({ maxDepth: 1 })),
    ),
    defaultFlags: flags,
    pfnFlagsMask: flags,
    requests: fc.dictionary(pageKey, flags, { maxKeys: 6 }),
    concurrent: fc.array(
      fc.record(
        {
          at: fc.constantFrom(...CONCURRENT_AT, 'now'),
          n: fc.integer({ min: -1, max: 3 }),
          op: fc.constantFrom(...CONCURRENT_OPS),
          pages: pageKey,
        },
        { requiredKeys: ['at', 'op', 'pages'] },
      ),
      { maxLength: 2 },
    ),
    driverLoop: mostly(fc.boolean(), fc.jsonValue({ maxDepth: 0 })),
    device: fc.dictionary(pageKey, fc.constantFrom('none', 'ro', 'rw', 'x'), { maxKeys: 4 }),
  },
  { requiredKeys: ['format', 'kernel', 'range', 'vmas'] },
);

/** Valid scenarios (one private anonymous rw vma), to exercise the canonical file writer. */
const validScenario = fc
  .record({
    kernel: fc.constantFrom('v5.2', 'v6', 'v6.12', 'v7.3'),
    allocFails: fc.boolean(),
    pages: fc.integer({ min: 1, max: 40 }),
    title: fc.string({ maxLength: 5 }),
    cpu: fc.array(fc.constantFrom('none', 'ro', 'rw', 'cow', 'zero', 'swap', 'hwpoison', 'devpriv'), {
      minLength: 40,
      maxLength: 40,
    }),
    requests: fc.array(
      fc.oneof(fc.constant(0n), fc.constant(1n << 63n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
      {
        minLength: 40,
        maxLength: 40,
      },
    ),
    device: fc.array(fc.constantFrom('none', 'ro', 'rw'), { minLength: 40, maxLength: 40 }),
    driver: fc.constantFrom('seed', 'nouveau', 'amdgpu'),
    mask: fc.oneof(fc.constant('all'), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
    dflt: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    call: fc.constantFrom('hmm_range_fault', 'hmm_range_snapshot', 'hmm_vma_fault'),
    block: fc.boolean(),
    driverLoop: fc.boolean(),
    n: fc.integer({ min: 1, max: 4 }),
  })
  .map((r) => {
    const hex = (b: bigint) => '0x' + b.toString(16);
    const perPage = <T>(vals: T[], keep: (v: T) => boolean, f: (v: T) => unknown) =>
      Object.fromEntries(
        vals
          .slice(0, r.pages)
          .map((v, i) => [String(i), v] as const)
          .filter(([, v]) => keep(v))
          .map(([k, v]) => [k, f(v)]),
      );
    return {
      format: 1,
      title: r.title,
      kernel: r.kernel,
      ...(r.kernel === 'v5.2' ? { call: r.call, block: r.block, driver: r.driver } : {}),
      range: { start: '0x7f0000000000', pages: r.pages },
      vmas: [
        {
          from: 0,
          pages: r.pages,
          prot: 'rw',
          backing: 'anon',
          ...(r.allocFails ? { allocFails: true } : {}),
        },
      ],
      cpu: perPage(
        r.cpu,
        (s) => s !== 'none',
        (s) => s,
      ),
      defaultFlags: hex(r.dflt),
      pfnFlagsMask: r.mask === 'all' ? 'all' : hex(r.mask),
      requests: perPage(r.requests, (w) => w !== 0n, hex),
      concurrent: [{ at: 'after-fault', n: r.n, op: 'invalidate', pages: `0-${r.pages - 1}` }],
      driverLoop: r.driverLoop,
      device: perPage(
        r.device,
        (d) => d !== 'none',
        (d) => d,
      ),
    };
  });

describe('parseScenario never throws and always explains', () => {
  test('arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), checkContract), { numRuns: 500 });
  });
  // 1500 parses: about 3 s alone, several times that on a machine busy with other work.
  test('scenario-shaped values', { timeout: 120_000 }, () => {
    fc.assert(fc.property(nearScenario, checkContract), { numRuns: 1500 });
  });
  test('arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))),
        ),
        (text) => {
          const r = parseScenarioText(text);
          expect(r.ok || r.problems.length > 0).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('scenarioToFile is the inverse of parseScenario', () => {
  test('valid scenarios round-trip', () => {
    fc.assert(
      fc.property(validScenario, (file) => {
        const r = parseScenario(file);
        if (!r.ok) throw new Error(r.problems.join('\n'));
        expect(parseScenario(scenarioToFile(r.scenario))).toStrictEqual(r);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
