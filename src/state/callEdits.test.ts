/**
 * Editing the call keeps the scenario valid: `timeout` belongs to hmm_range_fault_unlocked_timeout()
 * alone, so leaving that call (or a kernel without it) drops it, and the result still parses.
 */
import { describe, expect, test } from 'vitest';
import { parseScenario, scenarioToFile } from '../engine/scenario/parse.ts';
import type { Scenario } from '../engine/types.ts';
import { scenario } from '../engine/testing/harness.ts';
import { setCall, setKernel, setTimeout } from './edits.ts';

const unlocked = (): Scenario =>
  scenario({
    kernel: 'v7.3',
    call: 'hmm_range_fault_unlocked_timeout',
    timeout: 7,
    range: { start: '0x7f0000000000', pages: 4 },
    vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon', uffd: 'missing' }],
  });

const reparses = (s: Scenario) => {
  const r = parseScenario(scenarioToFile(s));
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.scenario;
};

describe('call edits and the timeout', () => {
  test('switching to the locked call drops the timeout', () => {
    const s = setCall(unlocked(), 'hmm_range_fault');
    expect(s.timeout).toBe(0);
    expect(reparses(s).call).toBe('hmm_range_fault');
  });
  test('switching to a kernel without the unlocked call takes its default call and drops the timeout', () => {
    const s = setKernel(unlocked(), 'v6.12');
    expect([s.call, s.timeout]).toEqual(['hmm_range_fault', 0]);
    // uffd stays: the locked call fails its faults with SIGBUS.
    expect(reparses(s).vmas[0].uffd).toBe('missing');
  });
  test('the timeout is a whole number of jiffies, 0 or more', () => {
    expect(setTimeout(unlocked(), 3.7).timeout).toBe(3);
    expect(setTimeout(unlocked(), -2).timeout).toBe(0);
    expect(reparses(setTimeout(unlocked(), 12)).timeout).toBe(12);
  });
});
