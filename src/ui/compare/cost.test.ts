import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run } from '../../engine/run.ts';
import { parseScenarioText, scenarioToFile } from '../../engine/scenario/parse.ts';
import type { Scenario } from '../../engine/types.ts';
import { sim } from '../../cli/sim.ts';
import { paintRequestRuns, setDefaultFlags, setMask } from '../../state/edits.ts';
import { requestFlags } from '../model/bits.ts';
import { COST_ROWS, cost, costCsvRows, cumulativeFaults, sourceFromOutput, sourceFromRun } from './cost.ts';
import type { SimTraceOutput } from './cost.ts';
import { parseCsv, toCsv } from './csv.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const scenarios = join(root, 'public', 'scenarios');

function load(file: string): Scenario {
  const r = parseScenarioText(readFileSync(join(scenarios, file), 'utf8'));
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.scenario;
}

/** The command line's own answer for a scenario: `npm run sim -- --trace -` on its file form. */
function cliOutput(s: Scenario): SimTraceOutput {
  const r = sim(['--trace', '-'], () => JSON.stringify(scenarioToFile(s)));
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as SimTraceOutput;
}

const appCost = (s: Scenario) => cost(s, sourceFromRun(s, run(s)));
const cliCost = (s: Scenario) => cost(s, sourceFromOutput(s, cliOutput(s)));

describe('the cost of a run', () => {
  it('is the same counted from the engine run and from `npm run sim -- --trace`, for every preset file', () => {
    const files = readdirSync(scenarios).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const s = load(f);
      expect(appCost(s), f).toEqual(cliCost(s));
    }
  });

  it('counts the output form independently: faults by kind, restarts, attempts, walks', () => {
    for (const f of ['example-1.json', 'example-2.json', 'invalidation-race.json', 'cow-after-fork.json']) {
      const s = load(f);
      const o = cliOutput(s);
      const c = cliCost(s);
      expect(c.readFaults + c.writeFaults, f).toBe(o.faults.length);
      expect(c.writeFaults, f).toBe(o.faults.filter((x) => x.write).length);
      expect(c.restarts, f).toBe(o.restarts);
      expect(c.attempts, f).toBe(o.attempts);
      expect(c.walks, f).toBe(o.trace!.filter((e) => e.type === 'walk').length);
    }
  });

  it("example 2 on Linux 6.1: page 5's write request write-faults the rest of its span", () => {
    // The trace: pages 5-15 are one span (the walk faults from the first page that needs it to
    // the end), faulted for write; pages 5 and 9 hold the zero page, so they are copied.
    const c = appCost(load('example-2.json'));
    expect(c.writeFaults).toBe(11);
    expect(c.readFaults).toBe(0);
    expect(c.madeWritable).toBe(10); // pages 6-15 asked VALID only
    expect(c.unasked).toBe(0); // default_flags VALID: every page asked
    expect(c.copies).toBe(2);
    // Without WRITE in pfn_flags_mask nobody asks to write: nothing is made writable.
    const b = appCost(setMask(load('example-2.json'), 0n));
    expect(b.writeFaults).toBe(0);
    expect(b.madeWritable).toBe(0);
  });

  it("pages with no request faulted with a neighbour's span count as not asked for", () => {
    const base = load('example-2.json');
    const f = requestFlags(base);
    const ALL = (1n << 64n) - 1n;
    // Only page 5 asks (VALID|WRITE, through a full mask); default_flags asks nothing.
    const one = paintRequestRuns(
      paintRequestRuns(setMask(setDefaultFlags(base, 0n), ALL), [[0, 15]], 0n),
      [[5, 5]],
      f.VALID | f.WRITE,
    );
    const c = appCost(one);
    const faulted = new Set(run(one).result.faults.page);
    expect(faulted.has(5)).toBe(true);
    expect(c.unasked).toBe(faulted.size - 1);
    expect(c.unasked).toBeGreaterThan(0);
    expect(c).toEqual(cliCost(one));
  });

  it('cumulative faults along the range end at the number of calls', () => {
    const s = load('example-1.json');
    const src = sourceFromRun(s, run(s));
    const cum = cumulativeFaults(src);
    expect(cum).toHaveLength(s.range.pages);
    expect(cum[cum.length - 1]).toBe(src.faults.length);
    for (let i = 1; i < cum.length; i++) expect(cum[i]).toBeGreaterThanOrEqual(cum[i - 1]);
  });

  it('the CSV holds one row per counter and reads back as written', () => {
    const a = appCost(load('example-2.json'));
    const b = appCost(load('example-2-v5.2.json'));
    const rows = costCsvRows(a, b);
    expect(rows).toHaveLength(COST_ROWS.length + 1);
    expect(parseCsv(toCsv(rows))).toEqual(rows);
    // A label with a comma is quoted, not split.
    expect(toCsv(rows)).toContain('"handle_mm_fault calls, read"');
  });
});

describe('CSV', () => {
  it('any table of strings reads back exactly as written', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\r', '\n', ' ', 'é') });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        (rows) => {
          // One empty field alone is an empty line, which CSV cannot tell from no field.
          fc.pre(rows.every((r) => !(r.length === 1 && r[0] === '')));
          expect(parseCsv(toCsv(rows))).toEqual(rows);
        },
      ),
    );
  });

  it('an unclosed quote is an error, not a silently shorter table', () => {
    expect(() => parseCsv('a,"b\r\n')).toThrow('not closed');
  });
});
