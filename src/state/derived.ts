import type { Run, Scenario, TraceEvent } from '../engine/types.ts';
import { applyEffect, stateAt } from '../engine/trace/replay.ts';

/**
 * Values computed from (scenario, run, cursor), never stored: every view is a pure function of
 * those three (DESIGN.md). Computations over a whole trace are done once per run and cached by
 * the run object's identity.
 */

export interface PageState {
  cpu: Uint8Array;
  pfns: BigUint64Array;
  holdsInput: Uint8Array;
  device: Uint8Array;
}

/** The run that belongs to the scenario on screen, or null while it is being (re)computed. */
export function activeRun(scenario: Scenario, run: Run | null, runScenario: Scenario | null): Run | null {
  return run && runScenario === scenario ? run : null;
}

const initialCache = new WeakMap<Scenario, PageState>();
function initialState(s: Scenario): PageState {
  let st = initialCache.get(s);
  if (!st) {
    st = {
      cpu: s.cpu,
      pfns: s.requests,
      holdsInput: new Uint8Array(s.range.pages).fill(1),
      device: s.device,
    };
    initialCache.set(s, st);
  }
  return st;
}

/**
 * The last state computed per run: several views render the same cursor (the stage, the formula
 * panel), and a comparison renders two runs at once, so one slot per run rather than one in all.
 */
const memo = new WeakMap<Run, { scenario: Scenario; cursor: number; state: PageState }>();

/**
 * How far ahead of the last state a cursor is reached from it rather than from the checkpoint
 * before it (up to 255 events back): playing steps one event at a time.
 */
const AHEAD = 16;

/** The page tables and the pfns array after trace event cursor-1 (cursor 0: before the run). */
export function stateAtCursor(scenario: Scenario, run: Run | null, cursor: number): PageState {
  if (!run || cursor <= 0) return initialState(scenario);
  const m = memo.get(run);
  if (m && m.scenario === scenario && m.cursor === cursor) return m.state;
  // The end is the run's result (stateAt's), not a replay: only a cursor before it steps on.
  const state =
    m &&
    m.scenario === scenario &&
    m.cursor < cursor &&
    cursor - m.cursor <= AHEAD &&
    cursor < run.trace.length
      ? stepOn(m.state, run, m.cursor, cursor)
      : stateAt(scenario, run, cursor);
  memo.set(run, { scenario, cursor, state });
  return state;
}

/** `state` (at cursor `from`) with the effects of events [from, to) applied, in a copy. */
function stepOn(state: PageState, run: Run, from: number, to: number): PageState {
  const s: PageState = {
    cpu: state.cpu.slice(),
    pfns: state.pfns.slice(),
    holdsInput: state.holdsInput.slice(),
    device: state.device.slice(),
  };
  for (let i = from; i < to; i++) for (const e of run.effects[i]) applyEffect(s, e);
  return s;
}

export interface RunIndex {
  /** faults[c] = handle_mm_fault calls among the first c events. */
  faults: Uint32Array;
  restarts: Uint32Array;
  /** Index of the last "return" event among the first c events, -1 if none. */
  lastReturn: Int32Array;
  /** Per page, the indices of its hmm_vma_handle_pte events, ascending. */
  ptes: Map<number, number[]>;
  /** Event indices of faults, restarts, invalidations and returns: marks on the scrubber. */
  marks: { faults: number[]; restarts: number[]; invalidations: number[]; programs: number[] };
  /** Per page, the writes to its pfns entry: [event index, word], ascending. */
  pfnWrites: Map<number, [number, bigint][]>;
}

const indexCache = new WeakMap<Run, RunIndex>();

export function runIndex(run: Run): RunIndex {
  const hit = indexCache.get(run);
  if (hit) return hit;
  const n = run.trace.length;
  const faults = new Uint32Array(n + 1);
  const restarts = new Uint32Array(n + 1);
  const lastReturn = new Int32Array(n + 1);
  lastReturn[0] = -1;
  const ptes = new Map<number, number[]>();
  const marks: RunIndex['marks'] = { faults: [], restarts: [], invalidations: [], programs: [] };
  const pfnWrites = new Map<number, [number, bigint][]>();
  const write = (page: number, i: number, w: bigint) => {
    const list = pfnWrites.get(page);
    if (list) list.push([i, w]);
    else pfnWrites.set(page, [[i, w]]);
  };
  for (let i = 0; i < n; i++) {
    const e = run.trace[i];
    for (const fx of run.effects[i]) {
      if (fx.kind === 'pfn') write(fx.page, i, BigInt(fx.value));
      else if (fx.kind === 'pfnFill') {
        const v = BigInt(fx.value);
        for (let p = fx.from, k = 0n; p < fx.to; p++, k++) write(p, i, fx.step ? v + k : v);
      }
    }
    // A coarse trace summarises a fault span in one event that counts its faults.
    faults[i + 1] = faults[i] + (e.type === 'fault' ? 1 : e.type === 'faults' ? e.count : 0);
    const restart = e.type === 'walk' && e.restart > 0;
    restarts[i + 1] = restarts[i] + (restart ? 1 : 0);
    lastReturn[i + 1] = e.type === 'return' ? i : lastReturn[i];
    if (e.type === 'pte') {
      const list = ptes.get(e.page);
      if (list) list.push(i);
      else ptes.set(e.page, [i]);
    }
    if (e.type === 'fault' || e.type === 'faults') marks.faults.push(i);
    else if (restart) marks.restarts.push(i);
    else if (e.type === 'invalidate') marks.invalidations.push(i);
    else if (e.type === 'program') marks.programs.push(i);
  }
  const idx = { faults, restarts, lastReturn, ptes, marks, pfnWrites };
  indexCache.set(run, idx);
  return idx;
}

/** The event the cursor has just applied (the one being narrated), or null at the start. */
export function currentEvent(run: Run | null, cursor: number): TraceEvent | null {
  if (!run || cursor <= 0) return null;
  return run.trace[Math.min(cursor, run.trace.length) - 1] ?? null;
}

/** The latest hmm_vma_handle_pte event of `page` among the first `cursor` events. */
export function lastPteEvent(run: Run, cursor: number, page: number): TraceEvent | null {
  const i = lastPteIndex(run, cursor, page);
  return i >= 0 ? run.trace[i] : null;
}

/**
 * The word pfns[page] held just before event `at` ran: what a walk step at `at` read as its
 * input (the caller's request, or what an earlier step or attempt left there).
 */
export function wordBefore(scenario: Scenario, run: Run, at: number, page: number): bigint {
  const list = runIndex(run).pfnWrites.get(page);
  let w = scenario.requests[page];
  if (!list) return w;
  for (const [i, v] of list) {
    if (i >= at) break;
    w = v;
  }
  return w;
}

/** Index of the latest hmm_vma_handle_pte event of `page` among the first `cursor` events, or -1. */
export function lastPteIndex(run: Run, cursor: number, page: number): number {
  const list = runIndex(run).ptes.get(page);
  if (!list) return -1;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1] : -1;
}

export interface Counters {
  faults: number;
  restarts: number;
  attempts: number;
  /** The last call's return as the kernel gives it, once the cursor has passed a return. */
  ret: number | null;
  errno: string | null;
  status: string | null;
}

export function countersAt(run: Run | null, cursor: number): Counters {
  if (!run) return { faults: 0, restarts: 0, attempts: 0, ret: null, errno: null, status: null };
  const idx = runIndex(run);
  const c = Math.max(0, Math.min(cursor, run.trace.length));
  const last = idx.lastReturn[c];
  const ev = last >= 0 ? run.trace[last] : null;
  const atEnd = c === run.trace.length;
  const attempts = c > 0 ? run.trace[c - 1].attempt : 0;
  return {
    faults: idx.faults[c],
    restarts: idx.restarts[c],
    attempts: atEnd ? run.result.attempts : attempts,
    ret: ev && ev.type === 'return' ? ev.ret : null,
    errno: ev && ev.type === 'return' ? ev.errno : null,
    status: atEnd ? run.result.status : null,
  };
}

/** The pages the current event is about, as [from, to), or null. */
export function eventSpan(e: TraceEvent | null): [number, number] | null {
  if (!e) return null;
  switch (e.type) {
    case 'pte':
    case 'fault':
      return [e.page, e.page + 1];
    case 'walk':
    case 'vma':
    case 'hole':
    case 'pmd':
    case 'faults':
    case 'record':
    case 'unwind':
    case 'dofault':
    case 'fill':
    case 'invalidate':
    case 'concurrent':
    case 'program':
      return [e.from, e.to];
    default:
      return null;
  }
}
