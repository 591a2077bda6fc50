/**
 * The worker entry: thin on purpose. It checks the scenario it receives with the schema (the page
 * does not load the schema for edits), then runs the engine on it and posts the Run back with its
 * typed arrays transferred and its call stacks as one table. `handleRequest` is exported so the same code runs on
 * the main thread where no Worker exists (unit tests, and the client's fallback).
 */
import { run } from '../engine/run.ts';
import type { Run } from '../engine/types.ts';
import { scenarioProblems } from '../engine/scenario/parse.ts';
import { packStacks } from '../engine/trace/stacks.ts';
import type { RunRequest, ValidMessage, WorkerResponse } from './protocol.ts';

/** The buffers of a Run that can move instead of being copied. */
export function transferables(r: Run): Transferable[] {
  const { pfns, holdsInput, cpu, device, cpuPfn, faults } = r.result;
  const buffers = new Set<ArrayBufferLike>([
    pfns.buffer,
    holdsInput.buffer,
    cpu.buffer,
    device.buffer,
    cpuPfn.buffer,
    faults.page.buffer,
    faults.write.buffer,
    faults.result.buffer,
    faults.attempt.buffer,
    faults.code.buffer,
  ]);
  return [...buffers].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/**
 * `owned`: the request is this thread's own copy (it came by postMessage), so the run may take
 * its scenario's arrays as its outputs (RunOptions.takeInputs). On the main thread it is the UI's.
 * `valid` hears that the scenario passed the schema, before the run starts. The check comes
 * first: a run with takeInputs writes over the scenario it checks.
 */
export function handleRequest(
  req: RunRequest,
  owned = false,
  valid?: (msg: ValidMessage) => void,
): { response: WorkerResponse; transfer: Transferable[] } {
  try {
    const problems = scenarioProblems(req.scenario);
    if (problems.length) return { response: { type: 'problems', id: req.id, problems }, transfer: [] };
    valid?.({ type: 'valid', id: req.id });
    const t0 = performance.now();
    const result = run(req.scenario, owned ? { ...req.options, takeInputs: true } : req.options);
    const ms = performance.now() - t0;
    const stacks = packStacks(result.trace);
    const response: WorkerResponse = { type: 'result', id: req.id, run: result, ms, stacks };
    return { response, transfer: [...transferables(result), stacks.ids.buffer] };
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { response: { type: 'error', id: req.id, message }, transfer: [] };
  }
}

// Only wire the message handler when this module is the worker's entry (not when imported).
declare const WorkerGlobalScope: { new (): unknown } | undefined;
if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  self.onmessage = (ev: MessageEvent<RunRequest>) => {
    const { response, transfer } = handleRequest(ev.data, true, (msg) =>
      (self as unknown as Worker).postMessage(msg),
    );
    (self as unknown as Worker).postMessage(response, transfer);
  };
}
