import type { Run, RunOptions, Scenario } from '../engine/types.ts';

/** Main thread -> worker. The scenario travels by structured clone (bigints and typed arrays). */
export interface RunRequest {
  type: 'run';
  id: number;
  scenario: Scenario;
  options?: RunOptions;
}

/** Worker -> main thread. The run's typed arrays travel in the transfer list, not copied. */
export type WorkerResponse =
  { type: 'result'; id: number; run: Run; ms: number } | { type: 'error'; id: number; message: string };
