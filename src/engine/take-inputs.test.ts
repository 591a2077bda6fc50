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
    const cpu = s.cpu.slice();
    const copied = run(s);
    // The run left the caller's scenario as it was.
    expect(s.requests).toEqual(requests);
    expect(s.device).toEqual(device);
    expect(s.cpu).toEqual(cpu);
    const own = structuredClone(s);
    const taken = run(own, { takeInputs: true });
    expect(taken).toEqual(copied);
    expect(taken.result.pfns).toBe(own.requests);
    expect(taken.result.device).toBe(own.device);
  });
});

describe('a range of whole 2 MiB blocks also hands over its CPU states', () => {
  // Two blocks at a block boundary, with a fault that changes a state, a hole the walk faults
  // and a huge mapping the result reads back into its block's place: the states the run writes
  // in place must be what a copying run returns.
  const file = (start: string, pages: number, huge: boolean) => ({
    format: 1,
    kernel: 'v6.12',
    call: 'hmm_range_fault',
    range: { start, pages },
    vmas: [{ from: 0, pages, prot: 'rw', backing: 'anon', thp: true }],
    cpu: { '0-99': 'rw', '100-199': 'ro', '200-299': 'zero', ...(huge ? { '512-1023': 'thp-rw' } : {}) },
    defaultFlags: ['REQ_FAULT'],
    pfnFlagsMask: ['REQ_WRITE'],
    requests: { '150': ['REQ_WRITE'], '250': ['REQ_WRITE'] },
  });
  const parsed = (start: string, pages: number, huge = false) => {
    const r = parseScenario(file(start, pages, huge));
    if (!r.ok) throw new Error(r.problems.join('; '));
    return r.scenario;
  };

  test("aligned: the result's cpu is the scenario's own array, and the run is the same", () => {
    const s = parsed('0x7f0000000000', 1024, true);
    const copied = run(s);
    const own = structuredClone(s);
    const taken = run(own, { takeInputs: true });
    expect(taken).toEqual(copied);
    // The result's states are a view of the scenario's own buffer (takeRange views its tables).
    expect(taken.result.cpu.buffer).toBe(own.cpu.buffer);
    expect(copied.result.cpu.buffer).not.toBe(s.cpu.buffer);
    expect(taken.result.cpu[512]).toBe(own.cpu[512]);
  });

  test.each([
    ['not at a block boundary', '0x7f0000001000', 1024],
    ['not whole blocks', '0x7f0000000000', 1000],
  ])('%s: the states are copied as before', (_, start, pages) => {
    const s = parsed(start as string, pages as number);
    const copied = run(s);
    const own = structuredClone(s);
    const taken = run(own, { takeInputs: true });
    expect(taken).toEqual(copied);
    expect(taken.result.cpu.buffer).not.toBe(own.cpu.buffer);
  });
});
