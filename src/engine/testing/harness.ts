/**
 * Test helpers: run a scenario written in the file format (so tests read like the scenarios
 * people write) and read its output the way `npm run sim` prints it.
 */
import { run } from '../run.ts';
import { expandMap } from '../scenario/keys.ts';
import { formatOutput, type Output } from '../scenario/output.ts';
import { parseScenario } from '../scenario/parse.ts';
import type { Run, RunOptions, Scenario } from '../types.ts';

export type ScenarioFile = Record<string, unknown>;

/** A 2 MiB-aligned start, so a range of up to 512 pages lies in one pte table. */
export const ALIGNED = '0x7f0000000000';

/**
 * v5.2, a run that ends with a task asleep for ever: page 1's userfaultfd fault drops mmap_sem,
 * a munmap of pages 1-3 gets in, and the uffd wait never ends (the vma is gone).
 */
export const V52_UFFD_ASLEEP: ScenarioFile = {
  kernel: 'v5.2',
  range: { start: ALIGNED, pages: 4 },
  vmas: [
    { from: 0, pages: 1, prot: 'rw', backing: 'anon' },
    { from: 1, pages: 3, prot: 'rw', backing: 'anon', uffd: 'missing' },
  ],
  defaultFlags: ['VALID', 'WRITE'],
  pfnFlagsMask: [],
  concurrent: [{ at: 'after-fault', n: 1, op: 'munmap', pages: '1-3' }],
};

export function scenario(file: ScenarioFile): Scenario {
  const parsed = parseScenario({ format: 1, call: 'hmm_range_fault', ...file });
  if (!parsed.ok) throw new Error(`test scenario does not parse:\n${parsed.problems.join('\n')}`);
  return parsed.scenario;
}

export interface Sim extends Output {
  scenario: Scenario;
  run: Run;
  /** The faults as "0r 1r 5w". */
  faultList: string;
  /** Per page: the CPU state and the device state after the run. */
  cpuAfter: string[];
  deviceAfter: string[];
}

export function sim(file: ScenarioFile, options: RunOptions = {}): Sim {
  const s = scenario(file);
  const r = run(s, options);
  const out = formatOutput(s, r.result);
  const n = s.range.pages;
  return {
    ...out,
    scenario: s,
    run: r,
    faultList: out.faults.map((f) => `${f.page}${f.write ? 'w' : 'r'}`).join(' '),
    cpuAfter: expandMap(out.cpu, n, 'none'),
    deviceAfter: expandMap(out.device, n, 'none'),
  };
}

/** The flags of page i's entry, sorted, e.g. "VALID,WRITE" ("" for none). */
export function flagsAt(o: Output, i: number): string {
  return [...o.pfns[i].flags].sort().join(',');
}
