import { describe, expect, it } from 'vitest';
import { run } from '../../engine/run.ts';
import { presetById } from '../../engine/scenario/presets.ts';
import { presetScenario } from '../../state/scenarioIO.ts';
import { pageOutcomes } from '../model/outcome.ts';
import { deviceMiss, faultCauses, faultMiss } from './reasons.ts';

const preset = (id: string) => presetScenario(presetById(id)!);

describe('reasons for a missed prediction', () => {
  const s = preset('example-2');
  const r = run(s);
  const o = pageOutcomes(s, r);
  const causes = faultCauses(r);

  it("say a page's own request started its fault", () => {
    expect(faultMiss(s, r, o[5], 0, causes)).toBe(
      "you said no fault; it was a write fault: page 5's own request asked for write (WRITE from its own pfns entry (the mask lets it through)) and its CPU pte, zero (the zero page), is not writable.",
    );
  });

  it('say a fault spread over the rest of the chunk from an earlier page', () => {
    expect(faultMiss(s, r, o[7], 1, causes)).toBe(
      "you said read fault; it was a write fault: page 7 was write-faulted because page 5's write fault spans the rest of its pmd chunk.",
    );
  });

  it('say why a page needed no fault', () => {
    expect(faultMiss(s, r, o[2], 1, causes)).toBe(
      'you said read fault; no fault: page 2 asked for read only and its CPU pte, rw (writable), is already present.',
    );
  });

  it('say a writable CPU pte is reported writable whatever was asked', () => {
    expect(deviceMiss(r, o[0], 'ro')).toBe(
      'you said ro; the device ends rw: its CPU pte is writable (rw), and HMM reports write permission for any writable CPU pte whatever was asked.',
    );
    expect(deviceMiss(r, o[9], 'ro')).toMatch(/page 9 was write-faulted/);
  });

  it('name a hole, a retry, a v5.2 swap entry and a failed call', () => {
    const hole = preset('hole-across-pmd-boundary');
    const hr = run(hole);
    expect(faultMiss(hole, hr, pageOutcomes(hole, hr)[12], 0, faultCauses(hr))).toMatch(
      /page 12 lies in a hole \(no pgd entry over pages 0-15\), whose requests need a write fault/,
    );
    const race = preset('invalidation-race');
    const rr = run(race);
    expect(faultMiss(race, rr, pageOutcomes(race, rr)[1], 0, faultCauses(rr))).toMatch(
      /page 1 was read-faulted because page 0's read fault spans the rest of its pmd chunk \(on the driver's attempt 2, after a retry\)/,
    );
    const swap = preset('v5.2-swap-never-faulted');
    const sr = run(swap);
    const so = pageOutcomes(swap, sr);
    expect(faultMiss(swap, sr, so[0], 1, faultCauses(sr))).toMatch(
      /Linux 5\.2 never computes the need of a swap entry/,
    );
    expect(deviceMiss(sr, so[0], 'ro')).toMatch(/its output entry is NONE/);
    const efault = preset('v5.2-zero-page-efault');
    const er = run(efault);
    expect(deviceMiss(er, pageOutcomes(efault, er)[0], 'rw')).toMatch(/failed with -EFAULT/);
  });
});
