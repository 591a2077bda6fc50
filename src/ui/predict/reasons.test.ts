import { describe, expect, it } from 'vitest';
import { run } from '../../engine/run.ts';
import { parseScenario } from '../../engine/scenario/parse.ts';
import type { Scenario } from '../../engine/types.ts';
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

/** The four reasons issue 11 found wrong: each now comes from the event that decided the page. */
describe('reasons read from the deciding trace event', () => {
  const scenario = (
    kernel: 'v5.2' | 'v6',
    cpu: Record<string, string>,
    defaultFlags: string[],
    more = {},
  ) => {
    const parsed = parseScenario({
      format: 1,
      title: 't',
      kernel,
      call: 'hmm_range_fault',
      range: { start: '0x7f0000000000', pages: 4 },
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
      cpu,
      ...(kernel === 'v5.2' ? { driver: 'seed' } : {}),
      defaultFlags,
      pfnFlagsMask: [],
      ...more,
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    return parsed.scenario;
  };
  const miss = (s: Scenario, page: number, guess: 0 | 1 | 2) => {
    const r = run(s);
    return faultMiss(s, r, pageOutcomes(s, r)[page], guess, faultCauses(r));
  };

  it('v5.2: a migration entry is never waited for nor faulted, not "already present"', () => {
    const text = miss(scenario('v5.2', { '0': 'migration' }, ['VALID']), 0, 1);
    expect(text).not.toMatch(/already present/);
    expect(text).toMatch(/migration entry/);
    expect(text).toMatch(/never computes/);
  });

  it('v6: a writable migration entry asked for write needs no write fault: remove_migration_pte restored write access', () => {
    const text = miss(scenario('v6', { '0': 'migration-rw' }, ['REQ_FAULT', 'REQ_WRITE']), 0, 2);
    expect(text).toMatch(/writable migration entry/);
    expect(text).toMatch(/remove_migration_pte\(\)/);
    expect(text).toMatch(/not even for write/);
  });

  it('v6: a hwpoison page asked for fails the call with -EFAULT, it is not "already present"', () => {
    const text = miss(scenario('v6', { '0': 'hwpoison' }, ['REQ_FAULT']), 0, 1);
    expect(text).not.toMatch(/already present/);
    expect(text).toMatch(/-EFAULT/);
    expect(text).toMatch(/hwpoison/);
  });

  it("v6: this device's own read-only device-private page asked for write is never faulted: the owner check comes first", () => {
    const text = miss(scenario('v6', { '0': 'devpriv' }, ['REQ_FAULT', 'REQ_WRITE']), 0, 2);
    expect(text).not.toMatch(/already writable/);
    expect(text).toMatch(/own device-private/);
    expect(text).toMatch(/before its request is read|never faulted/);
  });

  it('v5.2 invalidation race: the device is writable from the pte the walk read, not from a "writable (swap)" pte', () => {
    const s = preset('invalidation-race-v5.2');
    const r = run(s);
    const o = pageOutcomes(s, r);
    expect(o[0].device).toBe('rw');
    const text = deviceMiss(r, o[0], 'none');
    expect(text).not.toMatch(/writable \(swap\)/);
    expect(text).toMatch(/when the walk read it, its CPU pte was rw/);
    expect(text).toMatch(/swapped out|now swap/);
    expect(text).toMatch(/range->valid/);
  });
});
