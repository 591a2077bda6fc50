import type { DeviceState, Run, Scenario } from '../../engine/types.ts';
import { DEVICE_STATES, FAULT_RESULTS } from '../../engine/types.ts';
import { requestFlags } from './bits.ts';
import { describeOutput } from './pageView.ts';

/**
 * What a whole run did to each page, read from its result: whether handle_mm_fault ran on it
 * (and the strongest kind: a write fault counts over a read one), what the caller got back in
 * pfns[i], and what the device ended with. Shared by the prediction (the answer key) and the
 * comparison (what differs).
 */

/** 0 none, 1 read, 2 write. */
export type FaultKind = 0 | 1 | 2;

export interface PageOutcome {
  page: number;
  fault: FaultKind;
  /** handle_mm_fault calls on this page over the whole run (all attempts and restarts). */
  faults: number;
  /** Calls that failed (a VM_FAULT_* error). */
  failed: number;
  device: DeviceState;
  /** The output entry as the stage writes it ("V W", "V", "NONE", "ERROR", "in"). */
  out: string;
}

export function pageOutcomes(s: Scenario, run: Run): PageOutcome[] {
  const n = s.range.pages;
  const r = run.result;
  const fault = new Uint8Array(n);
  const count = new Uint32Array(n);
  const failed = new Uint32Array(n);
  const ok = FAULT_RESULTS.indexOf('ok');
  for (let i = 0; i < r.faults.length; i++) {
    const p = r.faults.page[i];
    if (p < 0 || p >= n) continue;
    count[p]++;
    if (r.faults.result[i] !== ok) failed[p]++;
    fault[p] = Math.max(fault[p], r.faults.write[i] ? 2 : 1);
  }
  const write = requestFlags(s).WRITE;
  const out: PageOutcome[] = [];
  for (let p = 0; p < n; p++) {
    out.push({
      page: p,
      fault: fault[p] as FaultKind,
      faults: count[p],
      failed: failed[p],
      device: DEVICE_STATES[r.device[p]],
      out: r.holdsInput[p] ? 'in' : describeOutput(s, r.pfns[p], write).text,
    });
  }
  return out;
}

export const FAULT_WORDS: Record<FaultKind, string> = { 0: 'no fault', 1: 'read fault', 2: 'write fault' };

/** The run's totals, as the command line's output states them. */
export interface Totals {
  faults: number;
  reads: number;
  writes: number;
  failed: number;
  restarts: number;
  attempts: number;
  /** "0", "16", "-EFAULT", "livelock", "oops". */
  returned: string;
}

export function totals(run: Run): Totals {
  const r = run.result;
  let writes = 0;
  let failed = 0;
  const ok = FAULT_RESULTS.indexOf('ok');
  for (let i = 0; i < r.faults.length; i++) {
    writes += r.faults.write[i];
    if (r.faults.result[i] !== ok) failed++;
  }
  return {
    faults: r.faults.length,
    reads: r.faults.length - writes,
    writes,
    failed,
    restarts: r.restarts,
    attempts: r.attempts,
    returned: r.status !== 'returned' ? r.status : r.errno ? `-${r.errno}` : String(r.ret),
  };
}
