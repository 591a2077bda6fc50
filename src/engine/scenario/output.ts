/**
 * The OUTPUT form of the scenario format (scenario-format.md, "Output"): what `npm run sim` prints
 * and what the kernel fixtures' `observed` blocks hold (kernel-fixtures README, "File format").
 */
import {
  CPU_STATES,
  DEVICE_STATES,
  type CallRecord,
  type ConcurrentOp,
  type ConcurrentRecord,
  type CpuState,
  type DeviceState,
  type InvalidationRecord,
  type Errno,
  type RunResult,
  type RunStatus,
  type Scenario,
  type TraceEvent,
} from '../types.ts';
import { faultRecords } from '../faults.ts';
import { outputEvent } from '../trace/text.ts';
import { compressMap } from './keys.ts';
import { generation } from '../kernels/registry.ts';
import { whenItRuns } from '../driver/mmap-lock.ts';
import { LAYOUT_FLAG_NAMES, LAYOUT_VALUE_NAMES, hex64 } from './layout.ts';

export type PfnValue = 'NONE' | 'ERROR' | 'SPECIAL' | 'INPUT';

export interface OutputPfn {
  page: number;
  /** The word as "0x" + 16 hex digits. */
  raw: string;
  /**
   * Set flag names: hmm_pfns VALID / WRITE / ERROR (and 7.x's sticky DMA_MAPPED / P2PDMA /
   * P2PDMA_BUS), or the 2019 driver layout's VALID / WRITE / DEVICE_PRIVATE.
   */
  flags: string[];
  value: PfnValue | null;
  /** The pfn, when VALID. */
  pfn: number | null;
  /** hmm_pfns: the map order (bits 56-60, 7.x bits 53-57); the 2019 API: 0. */
  order: number;
}

export interface OutputFault {
  page: number;
  write: boolean;
  result: string;
  attempt: number;
  /** The raw VM_FAULT_* word, as the recordings' evidence.faultResults write it ("0", "0x8"). */
  code: string;
}

export interface OutputConcurrent {
  /** Index of the event in the scenario's "concurrent". */
  event: number;
  op: ConcurrentOp;
  /** Its pages, keyed like "cpu" ("0-1"). */
  pages: string;
  /** When it runs given the kernel and the call, in words. */
  when: string;
  issued: ConcurrentRecord['issued'];
  ran: ConcurrentRecord['ran'];
}

export interface Output {
  status: RunStatus;
  /** Why the run stopped (livelock, oops): an extension of the format, present only then. */
  reason?: string;
  ret: number | null;
  errno: Errno | null;
  faults: OutputFault[];
  restarts: number;
  attempts: number;
  /**
   * Per call of the HMM function (per driver attempt), its return and its walk_page_range()
   * walks; and every invalidation that hit the range, in order (scenario-format.md, the
   * additions' "calls" and "invalidations"): the story of the run, to check against a recording.
   */
  calls: CallRecord[];
  invalidations: InvalidationRecord[];
  /**
   * An extension, present only when the scenario has concurrent events: each issue of one, the
   * rule for when it runs in words (mmap-lock.ts whenItRuns), and when it was issued and ran.
   */
  concurrent?: OutputConcurrent[];
  pfns: OutputPfn[];
  cpu: Record<string, CpuState>;
  device: Record<string, DeviceState>;
  /** The trace's events with their sentences as "text" (trace/text.ts outputEvent). */
  trace?: Record<string, unknown>[];
}

/**
 * Decode one pfns word. hmm_pfns (hmm-semantics.md 1.B, 10.1): VALID 63, WRITE 62, ERROR 61, the
 * sticky bits of the generation's layout, the order at its shift, the pfn below. The 2019 API (1.A): flags through the driver's layout; a
 * word without VALID that equals values[] is that value (ERROR first when ERROR and SPECIAL alias,
 * as nouveau's do); pfn = word >> pfn_shift with the layout's flag bits cleared first, so a layout
 * that keeps its flags above the pfn (the seed's bits 63/62 with pfn_shift 0) still gives the pfn.
 * "INPUT" marks an entry the call never wrote, when the word is non-zero (a zero word cannot be
 * told apart from an output 0: kernel-fixtures README, "What is not observed").
 */
export function decodePfn(s: Scenario, word: bigint, holdsInput: boolean): Omit<OutputPfn, 'page' | 'raw'> {
  const input = holdsInput && word !== 0n;
  const p = generation(s.kernel).pfns;
  if (p) {
    const flags: string[] = [];
    if (word & p.VALID) flags.push('VALID');
    if (word & p.WRITE) flags.push('WRITE');
    if (word & p.ERROR) flags.push('ERROR');
    for (const [name, bits] of p.sticky) if (word & bits) flags.push(name);
    const valid = (word & p.VALID) !== 0n;
    return {
      flags,
      value: input ? 'INPUT' : null,
      pfn: valid ? Number(word & p.pfnMask) : null,
      order: Number((word >> p.orderShift) & p.orderMask),
    };
  }
  const l = s.layout;
  const valid = l.flags.VALID !== 0n && (word & l.flags.VALID) === l.flags.VALID;
  if (!input && !valid) {
    const value = LAYOUT_VALUE_NAMES.find((n) => l.values[n] === word);
    if (value) return { flags: [], value, pfn: null, order: 0 };
  }
  const flags = LAYOUT_FLAG_NAMES.filter((n) => l.flags[n] !== 0n && (word & l.flags[n]) === l.flags[n]);
  let flagBits = 0n;
  for (const n of LAYOUT_FLAG_NAMES) flagBits |= l.flags[n];
  return {
    flags,
    value: input ? 'INPUT' : null,
    pfn: valid ? Number((word & ~flagBits) >> BigInt(l.pfnShift)) : null,
    order: 0,
  };
}

/** The OUTPUT form of one run; `trace` only when given (the CLI's --trace). */
export function formatOutput(scenario: Scenario, result: RunResult, trace?: TraceEvent[]): Output {
  const n = scenario.range.pages;
  const pfns: OutputPfn[] = new Array<OutputPfn>(n);
  for (let page = 0; page < n; page++) {
    const word = result.pfns[page];
    pfns[page] = { page, raw: hex64(word), ...decodePfn(scenario, word, result.holdsInput[page] !== 0) };
  }
  const out: Output = {
    status: result.status,
    ...(result.status !== 'returned' && result.reason !== null ? { reason: result.reason } : {}),
    ret: result.status === 'returned' ? result.ret : null,
    errno: result.errno,
    faults: faultRecords(result.faults),
    restarts: result.restarts,
    attempts: result.attempts,
    calls: result.calls.map((c) => ({ ...c })),
    invalidations: result.invalidations.map((i) => ({ ...i })),
    ...(scenario.concurrent.length > 0 ? { concurrent: concurrentRecords(scenario, result) } : {}),
    pfns,
    cpu: compressMap<CpuState>(n, (p) => CPU_STATES[result.cpu[p]]),
    device: compressMap<DeviceState>(n, (p) => DEVICE_STATES[result.device[p]]),
  };
  if (trace) out.trace = trace.map(outputEvent);
  return out;
}

/** The "concurrent" extension: each issue of an event, with its rule and what the run did. */
export function concurrentRecords(scenario: Scenario, result: RunResult): OutputConcurrent[] {
  return result.concurrent.map((r) => {
    const ev = scenario.concurrent[r.event];
    return {
      event: r.event,
      op: r.op,
      pages: ev.from === ev.to ? `${ev.from}` : `${ev.from}-${ev.to}`,
      when: whenItRuns(scenario, ev),
      issued: { ...r.issued },
      ran: r.ran ? { ...r.ran } : null,
    };
  });
}
