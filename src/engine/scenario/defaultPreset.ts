/**
 * The scenario the app opens on (the seed's example 2, preset `example-2`), as the already-valid
 * object the parser makes of public/scenarios/example-2.json. The first load needs only this one
 * preset, so it does not load the preset list or the parser; defaultPreset.test.ts checks that it
 * equals what parseScenario makes of the file.
 */
import { anonVma, CPU_STATES, type CpuState, type Scenario } from '../types.ts';
import { presetLayout } from './layout.ts';

export const DEFAULT_PRESET_ID = 'example-2';

/** The preset's "watch for" sentence (presets.ts lists the preset with it). */
export const DEFAULT_WATCH =
  "Page 5's write request write-faults every page from 5 to the end of its pmd chunk: the zero-page copies invalidate the range, so the driver retries, and pages that only asked to read come back writable.";

const PAGES = 16;
/** The file's cpu map {"0-3": "rw", "4": "ro", "5": "zero", "6-7": "ro", "9": "zero"}. */
const CPU: CpuState[] = ['rw', 'rw', 'rw', 'rw', 'ro', 'zero', 'ro', 'ro', 'none', 'zero'];

/** A fresh copy each call: the store and the engine's callers own what they are given. */
export function defaultScenario(): Scenario {
  const layout = presetLayout('seed');
  const requests = new BigUint64Array(PAGES);
  requests[5] = layout.flags.WRITE;
  const cpu = new Uint8Array(PAGES);
  CPU.forEach((st, p) => (cpu[p] = CPU_STATES.indexOf(st)));
  return {
    format: 1,
    title: 'Seed example 2: read-fault the range, write-fault page 5',
    kernel: 'v6',
    call: 'hmm_range_fault',
    block: true,
    timeout: 0,
    range: { start: 0x7f0000000000n, pages: PAGES },
    vmas: [anonVma(0, PAGES)],
    cpu,
    layout,
    devicePrivateOwner: 'this',
    defaultFlags: layout.flags.VALID,
    pfnFlagsMask: layout.flags.WRITE,
    requests,
    concurrent: [],
    driverLoop: true,
    device: new Uint8Array(PAGES),
  };
}
