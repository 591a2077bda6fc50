import type { DeviceState, Run, Scenario, TraceEvent } from '../../engine/types.ts';
import { DEVICE_STATES } from '../../engine/types.ts';
import { parseKey } from '../../engine/scenario/keys.ts';
import { requestFlags } from '../model/bits.ts';

/**
 * What a request policy costs, counted over a whole run: the numbers a driver developer weighs
 * when choosing default_flags, pfn_flags_mask and the per-page requests. Counted from what a run
 * leaves (its fault log, its trace, its final device table), and the same whether the run came
 * from the app's engine or from `npm run sim -- --trace` (both reduce to a CostSource first),
 * so the table can be checked against the command line.
 */

/** One run as the counters read it. */
export interface CostSource {
  pages: number;
  /** One per handle_mm_fault call, in order. */
  faults: { page: number; write: boolean }[];
  restarts: number;
  attempts: number;
  /** Per call of the HMM function: its walk_page_range() walks (the output's `calls`). */
  walks: number[];
  /** Invalidations that hit the range (the output's `invalidations`, checked against the recordings). */
  invalidations: number;
  /** The device page table after the run, one state per page. */
  device: DeviceState[];
  /** The full trace (fault events carry the kernel path that handled them). */
  trace: TraceEvent[];
}

export type CostKey =
  | 'readFaults'
  | 'writeFaults'
  | 'unasked'
  | 'madeWritable'
  | 'zeroPages'
  | 'copies'
  | 'invalidations'
  | 'walks'
  | 'restarts'
  | 'attempts'
  | 'programmedRo'
  | 'programmedRw';

export type Cost = Record<CostKey, number>;

/** The rows of the cost table and the CSV, in order, each with what it counts. */
export const COST_ROWS: { key: CostKey; label: string }[] = [
  { key: 'readFaults', label: 'handle_mm_fault calls, read' },
  { key: 'writeFaults', label: 'handle_mm_fault calls, write' },
  { key: 'unasked', label: 'pages faulted that their request did not ask for (the rest of a span)' },
  { key: 'madeWritable', label: 'pages write-faulted that asked only to read' },
  { key: 'zeroPages', label: 'zero pages mapped' },
  { key: 'copies', label: 'zero-page or COW copies' },
  { key: 'invalidations', label: 'invalidations that hit the range' },
  { key: 'walks', label: 'walks (walk_page_range calls)' },
  { key: 'restarts', label: 'restarts of the walk' },
  { key: 'attempts', label: 'attempts by the driver' },
  { key: 'programmedRo', label: 'device entries programmed read-only' },
  { key: 'programmedRw', label: 'device entries programmed writable' },
];

/** Each page's request as hmm_range_fault() forms it: (pfns[i] & pfn_flags_mask) | default_flags. */
export function pageRequest(s: Scenario, page: number): bigint {
  const input = s.requests[page];
  // hmm_vma_fault() overwrites both registers (default_flags = 0, pfn_flags_mask = -1UL).
  if (s.call === 'hmm_vma_fault') return input;
  return (input & s.pfnFlagsMask) | s.defaultFlags;
}

export function sourceFromRun(s: Scenario, run: Run): CostSource {
  const r = run.result;
  const faults: CostSource['faults'] = [];
  for (let i = 0; i < r.faults.length; i++)
    faults.push({ page: r.faults.page[i], write: r.faults.write[i] === 1 });
  return {
    pages: s.range.pages,
    faults,
    restarts: r.restarts,
    attempts: r.attempts,
    walks: r.calls.map((c) => c.walks),
    invalidations: r.invalidations.length,
    device: Array.from(r.device, (d) => DEVICE_STATES[d]),
    trace: run.trace,
  };
}

/** The output form `npm run sim -- --trace` prints (the parts counted here). */
export interface SimTraceOutput {
  faults: { page: number; write: boolean }[];
  restarts: number;
  attempts: number;
  calls: { ret: number; walks: number }[];
  invalidations: { from: number; to: number; event: string }[];
  device: Record<string, DeviceState>;
  trace?: TraceEvent[];
}

export function sourceFromOutput(s: Scenario, o: SimTraceOutput): CostSource {
  if (!o.trace) throw new Error('the output has no trace: run `npm run sim -- --trace`');
  const device = new Array<DeviceState>(s.range.pages).fill('none');
  for (const [key, state] of Object.entries(o.device)) {
    const span = parseKey(key);
    if (!span) throw new Error(`device: "${key}" is not a page key`);
    for (let p = span.from; p <= span.to; p++) device[p] = state;
  }
  return {
    pages: s.range.pages,
    faults: o.faults.map((f) => ({ page: f.page, write: f.write })),
    restarts: o.restarts,
    attempts: o.attempts,
    walks: o.calls.map((c) => c.walks),
    invalidations: o.invalidations.length,
    device,
    trace: o.trace,
  };
}

/** The kernel paths that map the zero page, and those that copy a page on a write. */
const ZERO_PAGE = /zero page/;
const COPY = /^(wp_page_copy|do_cow_fault)\b/;

export function cost(s: Scenario, src: CostSource): Cost {
  const c: Cost = {
    readFaults: 0,
    writeFaults: 0,
    unasked: 0,
    madeWritable: 0,
    zeroPages: 0,
    copies: 0,
    // The engine counts walks and invalidations itself (checked against the recordings' evidence).
    invalidations: src.invalidations,
    walks: src.walks.reduce((a, b) => a + b, 0),
    restarts: src.restarts,
    attempts: src.attempts,
    programmedRo: 0,
    programmedRw: 0,
  };
  const n = src.pages;
  const faulted = new Uint8Array(n);
  const writeFaulted = new Uint8Array(n);
  for (const f of src.faults) {
    if (f.write) c.writeFaults++;
    else c.readFaults++;
    if (f.page < 0 || f.page >= n) continue;
    faulted[f.page] = 1;
    if (f.write) writeFaulted[f.page] = 1;
  }
  const { VALID, WRITE } = requestFlags(s);
  for (let p = 0; p < n; p++) {
    if (!faulted[p]) continue;
    const req = pageRequest(s, p);
    if ((req & VALID) === 0n) c.unasked++;
    else if (writeFaulted[p] && (req & WRITE) === 0n) c.madeWritable++;
  }
  let programmed = false;
  for (const ev of src.trace) {
    if (ev.type === 'program') programmed = true;
    else if (ev.type === 'fault' && ev.result === 'ok') {
      // "wp_page_copy: copy of the zero page" is a copy, not a zero page mapped.
      if (COPY.test(ev.path)) c.copies++;
      else if (ZERO_PAGE.test(ev.path)) c.zeroPages++;
    }
  }
  // Entries the driver wrote: the table after its last program_device (none if it never did).
  if (programmed)
    for (const d of src.device) {
      if (d === 'ro') c.programmedRo++;
      else if (d === 'rw') c.programmedRw++;
    }
  return c;
}

/** handle_mm_fault calls per page, summed from page 0: the cost along the range. */
export function cumulativeFaults(src: CostSource): number[] {
  const per = new Array<number>(src.pages).fill(0);
  for (const f of src.faults) if (f.page >= 0 && f.page < src.pages) per[f.page]++;
  let sum = 0;
  return per.map((x) => (sum += x));
}

/** "+3", "−2", "0": B's count against A's. */
export function signedDifference(a: number, b: number): string {
  const d = b - a;
  return d > 0 ? `+${d}` : d < 0 ? `−${-d}` : '0';
}

/** The counters as CSV rows: a header, then one row per counter with A, B and B − A. */
export function costCsvRows(a: Cost, b: Cost): string[][] {
  return [
    ['counter', 'A', 'B', 'B - A'],
    ...COST_ROWS.map(({ key, label }) => [label, String(a[key]), String(b[key]), String(b[key] - a[key])]),
  ];
}
