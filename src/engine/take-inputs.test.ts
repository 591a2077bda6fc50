/**
 * RunOptions.takeInputs: the worker hands its own copy of the scenario's requests and device
 * arrays to the run, which writes its outputs over them instead of copying them first. The run
 * must be the same run either way (result, trace, effects), with the result's arrays being the
 * scenario's own; without the option the scenario is left as it was.
 */
import { describe, expect, test } from 'vitest';
import { run } from './run.ts';
import { parseScenario } from './scenario/parse.ts';
import { PRESETS } from './scenario/presets.ts';

const scenarios = PRESETS.map((p) => {
  const r = parseScenario(p.file);
  if (!r.ok) throw new Error(`${p.id}: ${r.problems.join('; ')}`);
  return [p.id, r.scenario] as const;
});

describe('a run that takes its inputs is the same run', () => {
  test.each(scenarios)('%s', (_, s) => {
    const requests = s.requests.slice();
    const device = s.device.slice();
    const copied = run(s);
    // The run left the caller's scenario as it was.
    expect(s.requests).toEqual(requests);
    expect(s.device).toEqual(device);
    const own = structuredClone(s);
    const taken = run(own, { takeInputs: true });
    expect(taken).toEqual(copied);
    expect(taken.result.pfns).toBe(own.requests);
    expect(taken.result.device).toBe(own.device);
  });
});
