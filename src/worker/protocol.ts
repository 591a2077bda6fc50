import type { StackTable } from '../engine/trace/stacks.ts';
import type { Run, RunOptions, Scenario } from '../engine/types.ts';

/** Main thread -> worker. The scenario travels by structured clone (bigints and typed arrays). */
export interface RunRequest {
  type: 'run';
  id: number;
  scenario: Scenario;
  options?: RunOptions;
}

/**
 * Worker -> main thread. The worker checks the scenario with the schema first: `problems` ends the
 * request (nothing runs); `valid` says it passed, before the run starts, so the UI knows at once
 * (a long run's result comes later). The run's typed arrays travel in the transfer list, not
 * copied, and the trace's call stacks as one table (`stacks`). No answer carries the scenario back: the run may have written over the worker's copy.
 */
export type WorkerResponse =
  /**
   * `stacks`: the trace's distinct call stacks and each event's index among them; each event's
   * `stack` arrives empty (engine/trace/stacks.ts), and the client puts the strings back before
   * anyone reads them.
   */
  | { type: 'result'; id: number; run: Run; ms: number; stacks: StackTable }
  | { type: 'problems'; id: number; problems: string[] }
  | { type: 'error'; id: number; message: string };

/** Worker -> main thread, before the run: the scenario passed the schema. */
export interface ValidMessage {
  type: 'valid';
  id: number;
}
