/**
 * The state at any cursor of a run: the scenario's starting state with the effects of the first
 * `cursor` trace events applied. Every view is a pure function of (scenario, run, cursor), so
 * stepping back is as cheap as stepping forward (DESIGN.md "the UI never undoes anything").
 * Checkpoints every CHECKPOINT_EVERY events keep scrubbing cost bounded on long traces.
 */
import { CPU_STATES, DEVICE_STATES, type Effect, type Run, type Scenario } from '../types.ts';

export interface PageState {
  /** CpuCode per page. */
  cpu: Uint8Array;
  pfns: BigUint64Array;
  /** 1 where the entry still holds the caller's input. */
  holdsInput: Uint8Array;
  /** Index into DEVICE_STATES per page. */
  device: Uint8Array;
}

const CHECKPOINT_EVERY = 256;
const checkpoints = new WeakMap<Run, PageState[]>();

const cpuCode = new Map<string, number>(CPU_STATES.map((s, i) => [s, i]));
const devCode = new Map<string, number>(DEVICE_STATES.map((s, i) => [s, i]));

function initial(scenario: Scenario): PageState {
  return {
    cpu: scenario.cpu.slice(),
    pfns: scenario.requests.slice(),
    holdsInput: new Uint8Array(scenario.range.pages).fill(1),
    device: scenario.device.slice(),
  };
}

function clone(s: PageState): PageState {
  return {
    cpu: s.cpu.slice(),
    pfns: s.pfns.slice(),
    holdsInput: s.holdsInput.slice(),
    device: s.device.slice(),
  };
}

export function applyEffect(s: PageState, e: Effect): void {
  switch (e.kind) {
    case 'pfn':
      s.pfns[e.page] = BigInt(e.value);
      s.holdsInput[e.page] = e.input ? 1 : 0;
      return;
    case 'pfnFill': {
      const v = BigInt(e.value);
      for (let i = e.from, k = 0n; i < e.to; i++, k++) {
        s.pfns[i] = e.step ? v + k : v;
        s.holdsInput[i] = 0;
      }
      return;
    }
    case 'cpu':
      s.cpu[e.page] = cpuCode.get(e.state)!;
      return;
    case 'device':
      s.device.fill(devCode.get(e.state)!, e.from, e.to);
      return;
    case 'deviceSet':
      s.device.set(e.states, e.from);
      return;
  }
}

/** The state after trace events [0, cursor) have taken effect (cursor 0: before the run). */
export function stateAt(scenario: Scenario, run: Run, cursor: number): PageState {
  const n = run.trace.length;
  const c = Math.max(0, Math.min(n, cursor));
  if (c === n) {
    // The end is the result itself (exact even when the trace was coarse).
    const r = run.result;
    return {
      cpu: r.cpu.slice(),
      pfns: r.pfns.slice(),
      holdsInput: r.holdsInput.slice(),
      device: r.device.slice(),
    };
  }
  let marks = checkpoints.get(run);
  if (!marks) {
    marks = [initial(scenario)];
    checkpoints.set(run, marks);
  }
  const want = Math.floor(c / CHECKPOINT_EVERY);
  while (marks.length <= want) {
    const k = marks.length;
    const s = clone(marks[k - 1]);
    for (let i = (k - 1) * CHECKPOINT_EVERY; i < k * CHECKPOINT_EVERY; i++)
      for (const e of run.effects[i]) applyEffect(s, e);
    marks.push(s);
  }
  const s = clone(marks[want]);
  for (let i = want * CHECKPOINT_EVERY; i < c; i++) for (const e of run.effects[i]) applyEffect(s, e);
  return s;
}
