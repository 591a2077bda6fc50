/**
 * The v6 and v6.12 engines against the recordings of Linux 6.1 (284) and Linux 6.12 (268)
 * (test/fixtures/README.md): every fixture's scenario goes through parseScenario -> run ->
 * formatOutput, and the output must equal the fixture's `observed` block by the fixtures' own
 * comparison rules (src/engine/fixtures/compare.ts), and every handle_mm_fault's raw VM_FAULT_*
 * word must equal the kernel's (`evidence.faultResults`). The story must be the kernel's too, not
 * only the outcome: the output's `calls` (per hmm_range_fault call, its return and its
 * walk_page_range() walks) must equal `evidence.hmmRangeFaultCalls` and `evidence.attemptReturns`
 * (one call per driver attempt), and its `invalidations` (pages and event of each invalidation
 * start that hit the range, in order) must equal `evidence.invalidations`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { reproduceFixture, type KernelFixture } from '../src/engine/fixtures/reproduce.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

for (const [folder, count] of [
  ['linux-6.1', 284],
  ['linux-6.12', 268],
] as const) {
  describe(folder, () => {
    const dir = join(root, folder);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();

    test(`all ${count} fixtures are here`, () => {
      expect(files).toHaveLength(count);
    });

    test.each(files)('%s', (file) => {
      const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8')) as KernelFixture & {
        evidence: {
          faultResults: string[];
          hmmRangeFaultCalls: { ret: number; walks: number }[];
          attemptReturns: number[];
          invalidations: { from: number; to: number; event: string }[];
        };
      };
      const r = reproduceFixture(fixture);
      if (!r.ok) throw new Error(`the scenario does not parse:\n${r.problems.join('\n')}`);
      expect(r.difference).toBeNull();
      expect(r.output.faults.map((f) => f.code)).toEqual(fixture.evidence.faultResults);
      const { hmmRangeFaultCalls, attemptReturns, invalidations } = fixture.evidence;
      expect(r.output.calls).toEqual(hmmRangeFaultCalls);
      expect(r.output.calls.map((c) => c.ret)).toEqual(attemptReturns);
      expect(r.output.invalidations).toEqual(invalidations);
    });
  });
}
