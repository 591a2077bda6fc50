import { describe, expect, it } from 'vitest';
import { run } from '../../engine/run.ts';
import { scenarioToFile } from '../../engine/scenario/parse.ts';
import { presetById } from '../../engine/scenario/presets.ts';
import { presetScenario } from '../../state/scenarioIO.ts';
import { validateScenario } from '../../state/scenarioIO.ts';
import { pageOutcomes, totals } from '../model/outcome.ts';
import { PAIRS, contrastingPolicy, onKernel } from './pairs.ts';
import { formatPolicyWord, policySummary } from './policy.ts';

const preset = (id: string) => presetScenario(presetById(id)!);

describe('comparison pairs', () => {
  it('are valid scenarios on one address space whose runs differ (by page, or in their counters)', () => {
    for (const p of PAIRS) {
      const { a, b } = p.build();
      expect(validateScenario(a), p.id).toEqual([]);
      expect(validateScenario(b), p.id).toEqual([]);
      expect(b.range).toEqual(a.range);
      expect([...b.cpu]).toEqual([...a.cpu]);
      const ra = run(a);
      const rb = run(b);
      expect([pageOutcomes(a, ra), totals(ra)], p.id).not.toEqual([pageOutcomes(b, rb), totals(rb)]);
    }
  });

  it('on the other kernel, is the same policy: seed example 2 becomes its v5.2 preset', () => {
    const v52 = onKernel(preset('example-2'), 'v5.2');
    const file = preset('example-2-v5.2');
    const strip = (s: typeof v52) => ({ ...scenarioToFile(s), title: '' });
    expect(strip(v52)).toEqual(strip(file));
    expect(totals(run(v52))).toEqual(totals(run(file)));
  });

  it('contrasts a policy with the one its request leans on, taken away', () => {
    const two = contrastingPolicy(preset('example-2'));
    expect(two.caption).toBe('Seed example 2: pfn_flags_mask WRITE vs 0');
    expect(two.b.pfnFlagsMask).toBe(0n);
    const one = contrastingPolicy(preset('example-1'));
    expect(formatPolicyWord(one.b, one.b.defaultFlags)).toBe('VALID|WRITE');
    expect(policySummary(preset('old-api-hmm-vma-fault'))).toBe('hmm_vma_fault(): per-entry requests');
    expect(policySummary(preset('nouveau-per-fault'))).toBe('default_flags 0, pfn_flags_mask all');
  });
});
