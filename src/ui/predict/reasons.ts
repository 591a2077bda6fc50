import { v5_2 } from '../../engine/kernels/v5_2.ts';
import { eventText } from '../../engine/trace/text.ts';
import type {
  DeviceState,
  HoleEvent,
  PmdEvent,
  PteEvent,
  Run,
  Scenario,
  TraceEvent,
} from '../../engine/types.ts';
import { CPU_STATES } from '../../engine/types.ts';
import { CPU_LOOK } from '../model/states.ts';
import { effectivePolicy, requestFlags } from '../model/bits.ts';
import type { FaultKind, PageOutcome } from '../model/outcome.ts';
import { FAULT_WORDS } from '../model/outcome.ts';

/**
 * Why each page ended as it did, read from the run's trace: which decision made handle_mm_fault
 * run on a page (its own request, or a fault that spans the rest of the chunk from an earlier
 * page, or a hole), which walk step let a page go without one, and why the device ended with
 * what it has. The prediction quotes these for every page a learner got wrong.
 */

type Decider = PteEvent | HoleEvent | PmdEvent;

/** The decision behind one page's strongest fault. */
export interface FaultCause {
  /** The walk step whose need started the fault (a pte, a hole, a huge entry). */
  decider: Decider | null;
  /** The driver attempt the fault was made in. */
  attempt: number;
  write: boolean;
}

/** Per page, the decision behind its strongest fault (a write one wins over a read one). */
export function faultCauses(run: Run): Map<number, FaultCause> {
  const out = new Map<number, FaultCause>();
  let decider: Decider | null = null;
  for (const e of run.trace) {
    if (e.type === 'walk' || e.type === 'call') decider = null;
    else if ((e.type === 'pte' || e.type === 'hole' || e.type === 'pmd') && e.need > 0) decider = e;
    else if (e.type === 'fault') {
      const had = out.get(e.page);
      if (!had || (e.write && !had.write)) out.set(e.page, { decider, attempt: e.attempt, write: e.write });
    }
  }
  return out;
}

function visits(e: TraceEvent, page: number): e is Decider {
  return (
    (e.type === 'pte' && e.page === page) ||
    ((e.type === 'hole' || e.type === 'pmd') && page >= e.from && page < e.to)
  );
}

/** The last hmm_vma_handle_pte of a page, or the last hole / huge entry over it. */
function lastVisit(run: Run, page: number): Decider | null {
  for (let i = run.trace.length - 1; i >= 0; i--)
    if (visits(run.trace[i], page)) return run.trace[i] as Decider;
  return null;
}

/**
 * The walk's first look at a page: what the caller's own request met. (A later attempt reads
 * what the earlier one left in the array, which says less about the caller's policy.)
 */
function firstVisit(run: Run, page: number): Decider | null {
  for (const e of run.trace) if (visits(e, page)) return e;
  return null;
}

/** Where a request's bit came from: default_flags, the page's own entry through the mask, or nowhere. */
function bitSource(s: Scenario, input: bigint, bit: bigint, name: string): string {
  const p = effectivePolicy(s);
  if (p.defaults & bit) return `${name} from default_flags`;
  if (input & p.mask & bit) return `${name} from its own pfns entry (the mask lets it through)`;
  if (input & bit) return `its own ${name} bit, which pfn_flags_mask drops`;
  return `no ${name}`;
}

const big = (hex: string) => BigInt(hex);

function cpuWords(state: string): string {
  const look = CPU_LOOK[state as keyof typeof CPU_LOOK];
  return look ? `${state} (${look.brief})` : state;
}

/** Why a page was faulted as it was, in one sentence. */
export function whyFaulted(s: Scenario, page: number, cause: FaultCause | undefined): string {
  if (!cause) return `page ${page} was not faulted`;
  const kind = cause.write ? 'write' : 'read';
  const d = cause.decider;
  const retry = cause.attempt > 1 ? ` (on the driver's attempt ${cause.attempt}, after a retry)` : '';
  if (!d) return `page ${page} was ${kind}-faulted${retry}`;
  if (d.type === 'pte' && d.page === page) {
    const f = requestFlags(s);
    const input = big(d.input);
    // v5.2: device memory is faulted back only when the request carries the driver's bit.
    if (d.needStmt === 'need.devpriv')
      return `page ${page}'s CPU pte is ${cpuWords(d.cpuState)} and its request carries the driver's DEVICE_PRIVATE bit, so hmm_pte_need_fault() asks to fault it back to RAM${retry}`;
    const asked = cause.write ? bitSource(s, input, f.WRITE, 'WRITE') : bitSource(s, input, f.VALID, 'VALID');
    const lack = cause.write ? 'is not writable' : 'maps nothing present';
    return `page ${page}'s own request asked for ${kind} (${asked}) and its CPU pte, ${cpuWords(d.cpuState)}, ${lack}${retry}`;
  }
  if (d.type === 'pte')
    return `page ${page} was ${kind}-faulted because page ${d.page}'s ${kind} fault spans the rest of its pmd chunk${retry}`;
  if (d.type === 'hole')
    return `page ${page} lies in a hole (no ${d.level === 'novma' ? 'vma' : `${d.level} entry`} over pages ${d.from}-${d.to - 1}), whose requests need a ${kind} fault, so every page of the hole is ${kind}-faulted${retry}`;
  return `page ${page} is under one huge pmd (pages ${d.from}-${d.to - 1}) whose requests need a ${kind} fault, so all of them are faulted${retry}`;
}

/**
 * Why a page was not faulted, from the walk's first look at it: the statement that decided it
 * (its `stmt`) and the branch hmm_pte_need_fault() took (its `needStmt`), never its state's name.
 */
export function whyNotFaulted(s: Scenario, run: Run, page: number): string {
  if (s.call === 'hmm_range_snapshot')
    return 'hmm_range_snapshot() never faults: it reports the page table as it is';
  const v = firstVisit(run, page);
  if (!v) {
    const r = run.result;
    if (r.status !== 'returned') return `the run stopped (${r.status}) before the walk reached page ${page}`;
    if (r.errno) return `the call failed with -${r.errno} before the walk reached page ${page}`;
    return `the walk never looked at page ${page}`;
  }
  if (v.type !== 'pte')
    return `the walk saw pages ${v.from}-${v.to - 1} as one ${v.type === 'hole' ? 'hole' : 'huge entry'} and their requests needed no fault`;
  const req = big(v.req);
  const f = requestFlags(s);
  const state = cpuWords(v.cpuState);
  const v52 = s.kernel === v5_2.id;
  // Statements that end the page before or instead of its request's need.
  switch (v.stmt) {
    case 'pte.devpriv':
      if (!v52)
        return `page ${page}'s CPU pte is ${state}, this device's own device-private memory: hmm_range_fault() reports its pfn and never faults it, before its request is read`;
      break;
    case 'pte.swap':
      if (v52)
        return `Linux 5.2 never computes the need of a swap entry, so page ${page} is never faulted (fixed in 5.4)`;
      break;
    case 'pte.migration':
      if (v52)
        return `page ${page}'s CPU pte is a migration entry: Linux 5.2 never computes its need, so it neither waits for the migration nor faults it, and reports values[NONE]`;
      return v.cpuState === 'migration-rw'
        ? `page ${page}'s CPU pte was a writable migration entry: hmm_range_fault() waited for the migration to finish, remove_migration_pte() mapped the page writable again, and the walk from page ${page} then needed no fault, not even for write`
        : `page ${page}'s CPU pte was a migration entry: hmm_range_fault() waited for the migration to finish and walked again from page ${page}, which then needed no fault`;
    case 'pte.error':
      return v52
        ? `page ${page}'s CPU pte, ${state}, is not a swap, device-private or migration entry: Linux 5.2 writes values[ERROR] and the walk stops with -EFAULT, whatever the request`
        : `page ${page} asked for a valid entry, but its CPU pte, ${state}, cannot be made valid: hmm_range_fault() returns -EFAULT without faulting it`;
    case 'pte.special.efault':
      return `page ${page} asked for a valid entry, but its CPU pte, ${state}, maps no normal page: hmm_range_fault() returns -EFAULT without faulting it`;
    case 'pte.marker':
      return `page ${page} asked for a valid entry, but its CPU pte is ${state}: a guard marker is never faulted in, hmm_range_fault() returns -EFAULT`;
    case 'pte.special':
      if (v52)
        return `page ${page}'s CPU pte, ${state}, is a special pte: Linux 5.2 reports values[SPECIAL] and the walk stops with -EFAULT`;
      break;
  }
  switch (v.needStmt) {
    case 'need.none':
      return `page ${page}'s request asked for nothing: (pfns[${page}] & pfn_flags_mask) | default_flags has no VALID`;
    case 'need.devpriv':
      return `page ${page}'s CPU pte, ${state}, is device memory and its request lacks the driver's DEVICE_PRIVATE bit, so Linux 5.2 does not fault it back`;
    case 'need.ok':
    case 'need.fault':
      if (req & f.WRITE) return `page ${page} asked for write and its CPU pte, ${state}, is already writable`;
      return `page ${page} asked for read only and its CPU pte, ${state}, is already present`;
  }
  // A step that asked no need (the walk read the page without a decision): say what it did.
  return `the walk read page ${page}'s CPU pte, ${state}, and asked for no fault (${eventText(v).replace(/\.$/, '')})`;
}

/** The last pte decision that wrote an output for a page (what the driver programmed from). */
function lastOutput(run: Run, page: number): PteEvent | null {
  for (let i = run.trace.length - 1; i >= 0; i--) {
    const e = run.trace[i];
    if (e.type === 'pte' && e.page === page && e.out !== null) return e;
  }
  return null;
}

/** How a page's CPU pte changed after the walk read it, and why the device still has the old entry. */
function changedSince(run: Run, read: PteEvent, page: number, now: string): string {
  const after = run.trace.slice(run.trace.indexOf(read) + 1);
  const op = after.find((e) => e.type === 'concurrent' && page >= e.from && page < e.to);
  const how = op
    ? `${op.fn === 'swap-out' ? 'was swapped out' : `changed (${op.fn})`} after the walk, now ${now}`
    : `is now ${now}`;
  const valid = after.find((e) => e.type === 'driver' && e.fn === 'hmm_range_valid' && e.value === true);
  return valid
    ? `; the CPU pte ${how}, and the driver still programmed the entry the walk wrote: the invalidation had ended, so range->valid was true again when it checked (the race Linux 5.5's sequence numbers closed)`
    : `; the CPU pte ${how}`;
}

/** Why the device ended with `actual` on this page. */
export function whyDevice(run: Run, o: PageOutcome, guess: DeviceState): string {
  const r = run.result;
  const page = o.page;
  const cpu = CPU_STATES[r.cpu[page]];
  if (o.device === 'none') {
    if (r.status !== 'returned')
      return `the call never returned (${r.status}), so the driver programmed nothing`;
    if (r.errno)
      return `hmm_range_fault failed with -${r.errno}, and the driver programs nothing after a failure`;
    const v = lastVisit(run, page);
    const detail = v && v.type === 'pte' ? ` (${eventText(v).replace(/\.$/, '')})` : '';
    return `its output entry is ${o.out}, not a valid mapping, so the driver leaves the device entry empty${detail}`;
  }
  // The pte the walk read when it wrote the entry the driver programmed.
  const read = lastOutput(run, page);
  const then = read ? read.cpuState : cpu;
  const changed = read && then !== cpu ? ` ${changedSince(run, read, page, cpu)}` : '';
  if (o.device === 'rw') {
    if (o.fault === 2)
      return `page ${page} was write-faulted, so its CPU pte became writable and HMM reported WRITE${changed}`;
    return changed
      ? `when the walk read it, its CPU pte was ${then} (writable), and HMM reports write permission for any writable CPU pte whatever was asked${changed}`
      : `its CPU pte is writable (${then}), and HMM reports write permission for any writable CPU pte whatever was asked`;
  }
  // Read-only on the device.
  if (read && changed)
    return `when the walk read it, its CPU pte was ${cpuWords(then)}, so HMM reported it read-only${changed}`;
  if (guess === 'rw') {
    if (cpu === 'zero' || cpu === 'cow')
      return `its CPU pte ends ${cpuWords(cpu)}: never writable without a write fault, and none reached page ${page}`;
    return `its CPU pte ends ${cpuWords(cpu)}, not writable: nothing asked to write page ${page}`;
  }
  return `HMM reported it (output ${o.out}) and the driver maps every valid entry: read-only, as its CPU pte ${cpuWords(cpu)}`;
}

/** The sentence for a fault guess that missed. */
export function faultMiss(
  s: Scenario,
  run: Run,
  o: PageOutcome,
  guess: FaultKind,
  causes: Map<number, FaultCause>,
): string {
  const said = `you said ${FAULT_WORDS[guess]}`;
  if (o.fault === 0) return `${said}; no fault: ${whyNotFaulted(s, run, o.page)}.`;
  return `${said}; it was a ${FAULT_WORDS[o.fault]}: ${whyFaulted(s, o.page, causes.get(o.page))}.`;
}

export function deviceMiss(run: Run, o: PageOutcome, guess: DeviceState): string {
  return `you said ${guess}; the device ends ${o.device}: ${whyDevice(run, o, guess)}.`;
}
