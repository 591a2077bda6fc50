import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run } from '../engine/run.ts';
import { parseScenario } from '../engine/scenario/parse.ts';
import { PRESETS, presetScenario } from './scenarioIO.ts';
import { anchorAt, describeAnchor, formatAnchor, ordinal, parseAnchor, resolveAnchor } from './anchor.ts';
import type { Anchor, AnchorKind } from './anchor.ts';
import type { TraceEvent } from '../engine/types.ts';
import { eventSpan } from './derived.ts';
import { LARGE_SCENARIO } from '../../scripts/support/preview.ts';
import { eventText } from '../engine/trace/text.ts';

const KINDS: AnchorKind[] = [
  'fault',
  'read-fault',
  'write-fault',
  'restart',
  'walk',
  'pte',
  'pmd',
  'hole',
  'vma',
  'fill',
  'invalidation',
  'cpu-event',
  'cpu-wait',
  'call',
  'return',
  'programmed',
  'read-begin',
  'read-retry',
  'lock',
  'mmap-lock',
  'mmap-unlock',
  'lock-drop',
  'retry',
  'give-up',
  'register',
  'wait-until-valid',
  'range-valid',
];

const anchor: fc.Arbitrary<Anchor> = fc.oneof(
  fc.nat(100_000).map((step) => ({ kind: 'step' as const, step })),
  fc.constant({ kind: 'start' as const }),
  fc.constant({ kind: 'end' as const }),
  fc.record({
    kind: fc.constant('attempt' as const),
    attempt: fc.integer({ min: 1, max: 99 }),
    end: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('event' as const),
    what: fc.constantFrom(...KINDS),
    nth: fc.integer({ min: 1, max: 500 }),
    page: fc.option(fc.nat(1 << 20), { nil: null }),
  }),
);

const runs = PRESETS.map((p) => ({ id: p.id, trace: run(presetScenario(p)).trace }));

describe('anchors', () => {
  it('read back what they write, in URL-safe characters', () => {
    fc.assert(
      fc.property(anchor, (a) => {
        const text = formatAnchor(a);
        expect(text).toMatch(/^[a-z0-9-]+$/);
        expect(parseAnchor(text)).toEqual({ ok: true, anchor: a });
      }),
    );
  });

  it('never throw on any text, and say what is wrong with a bad one', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (t) => {
        const r = parseAnchor(t);
        if (!r.ok) expect(r.problem.length).toBeGreaterThan(0);
      }),
    );
    expect(parseAnchor('the-moment')).toEqual({ ok: false, problem: expect.stringContaining('the-moment') });
  });

  it('name moments in words', () => {
    const words = (t: string) => {
      const r = parseAnchor(t);
      return r.ok ? describeAnchor(r.anchor) : r.problem;
    };
    expect(words('1st-write-fault-on-5')).toBe('the 1st write fault on page 5');
    expect(words('write-fault-on-5')).toBe('the 1st write fault on page 5');
    expect(words('2nd-restart')).toBe('the 2nd restart');
    expect(words('end-of-attempt-1')).toBe('the end of attempt 1');
    expect(words('programmed')).toBe('the 1st device programmed');
    expect(words('11')).toBe('step 11');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '111th',
    ]);
  });

  it('of every step of every preset resolve back to that step', () => {
    for (const { id, trace } of runs)
      for (let c = 0; c <= trace.length; c++) {
        const a = anchorAt(trace, c);
        const r = resolveAnchor(a, trace);
        expect({ id, c, anchor: formatAnchor(a), ...r }).toEqual({
          id,
          c,
          anchor: formatAnchor(a),
          cursor: c,
          exact: true,
          note: null,
        });
      }
  });

  it('that no longer resolve open at the nearest moment and say so', () => {
    const trace = runs.find((r) => r.id === 'example-1')!.trace;
    const at = (t: string) => {
      const r = parseAnchor(t);
      if (!r.ok) throw new Error(r.problem);
      return resolveAnchor(r.anchor, trace);
    };
    expect(at('1st-restart')).toEqual({ cursor: 22, exact: true, note: null });
    // One restart only: the 2nd is the last there is.
    expect(at('2nd-restart')).toEqual({
      cursor: 22,
      exact: false,
      note: 'This run has no 2nd restart: showing the 1st (the last).',
    });
    // No write fault at all: the first step about page 5.
    const w = at('1st-write-fault-on-5');
    expect(w.exact).toBe(false);
    expect(eventText(trace[w.cursor - 1])).toMatch(/page 5/);
    // A step past the run: its end, with a note (never a silent clamp).
    expect(at('999')).toEqual({
      cursor: trace.length,
      exact: false,
      note: `Step 999 is past the end of this run (${trace.length} steps): showing its last step.`,
    });
    expect(at('end-of-attempt-3').exact).toBe(false);
    expect(at('end-of-attempt-1')).toEqual({ cursor: trace.length, exact: true, note: null });
  });
});

/** The UI's largest range, the one the benchmarks scrub: runs of quick faults, holes, two attempts. */
function large(): TraceEvent[] {
  const parsed = parseScenario(LARGE_SCENARIO);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return run(parsed.scenario).trace;
}

/**
 * anchorAt counts from an index of the trace; resolveAnchor finds an anchor by scanning the trace
 * for the events it names. The round trip holds the index to the scan (the presets' every step is
 * checked above): a count off by one, or an event counted on the wrong page, resolves to another
 * moment.
 */
const roundTrip = (trace: readonly TraceEvent[], c: number) => resolveAnchor(anchorAt(trace, c), trace);
const back = (trace: readonly TraceEvent[], c: number) => ({
  cursor: Math.min(Math.max(c, 0), trace.length),
  exact: true,
  note: null,
});

describe('anchorAt, counted from an index of the trace', () => {
  it('resolves back to its own cursor across a 4096-page run, wherever the cursor stops', () => {
    const trace = large();
    expect(trace.length).toBeGreaterThan(5000);
    // Page events counted on their page (runs of faults span many), and every kind of the run.
    const paged = new Set<string>();
    const wide = (c: number) => {
      const sp = eventSpan(trace[c - 1]);
      return !!sp && sp[1] - sp[0] > 1;
    };
    for (let c = 1; c < trace.length; c++) {
      if (c % 97 !== 1 && !wide(c)) continue;
      const a = anchorAt(trace, c);
      expect({ c, r: resolveAnchor(a, trace) }).toEqual({ c, r: back(trace, c) });
      if (a.kind === 'event' && a.page !== null) paged.add(a.what);
    }
    expect(paged.size).toBeGreaterThan(1);
    fc.assert(
      fc.property(fc.integer({ min: -2, max: trace.length + 2 }), (c) => {
        expect(roundTrip(trace, c)).toEqual(back(trace, c));
      }),
      { numRuns: 300 },
    );
  });
});

describe('anchors of the locks (hmm-semantics.md 10.5)', () => {
  const parsed = parseScenario({
    format: 1,
    kernel: 'v6',
    call: 'hmm_range_fault',
    range: { start: '0x7f0000000000', pages: 8 },
    vmas: [{ from: 0, pages: 8, prot: 'rw', backing: 'anon' }],
    cpu: { '0-3': 'rw' },
    defaultFlags: ['REQ_FAULT'],
    pfnFlagsMask: [],
    concurrent: [{ at: 'after-fault', n: 1, op: 'munmap', pages: '6-7' }],
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const trace = run(parsed.scenario).trace;
  const at = (t: string) => {
    const r = parseAnchor(t);
    if (!r.ok) throw new Error(r.problem);
    const c = resolveAnchor(r.anchor, trace);
    expect(c.exact, t).toBe(true);
    return trace[c.cursor - 1];
  };

  it('name the op that waits, the release that lets it run, and mmap_lock apart from the driver lock', () => {
    expect(at('1st-cpu-wait')).toMatchObject({ type: 'concurrent', fn: 'munmap', phase: 'waits' });
    // A CPU event that waits is a CPU event too: the 2nd is the munmap running.
    expect(at('2nd-cpu-event')).toMatchObject({ type: 'concurrent', phase: 'runs', waited: true });
    expect(at('1st-mmap-lock')).toMatchObject({ type: 'lock', fn: 'mmap_read_lock' });
    expect(at('1st-mmap-unlock')).toMatchObject({ type: 'lock', fn: 'mmap_read_unlock' });
    expect(at('1st-lock')).toMatchObject({ type: 'driver', fn: 'driver_lock' });
  });

  it('of every step resolve back to that step', () => {
    for (let c = 0; c <= trace.length; c++) {
      const a = anchorAt(trace, c);
      expect({ c, ...resolveAnchor(a, trace) }).toEqual({ c, cursor: c, exact: true, note: null });
    }
  });
});
