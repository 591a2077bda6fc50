import { generation } from '../engine/kernels/registry.ts';
import {
  anonVma,
  CPU_STATES,
  type CallName,
  type ConcurrentEvent,
  type CpuState,
  type DriverLayout,
  type Kernel,
  type Scenario,
  type Vma,
} from '../engine/types.ts';
import { requestFlags } from '../ui/model/bits.ts';

/**
 * Pure edits of a parsed scenario. Each returns a new Scenario and never touches its input, so
 * the store can keep past scenarios for undo, and a run in flight keeps the scenario it started
 * from. Validation is not done here: the store runs every result through the scenario schema.
 */

export const MAX_UI_PAGES = 4096;

function copy(s: Scenario): Scenario {
  return { ...s };
}

export function setKernel(s: Scenario, kernel: Kernel): Scenario {
  if (s.kernel === kernel) return s;
  const from = requestFlags(s);
  const next = copy(s);
  next.kernel = kernel;
  // A call the new kernel does not have becomes its default one (the v5.8+ API has one entry point).
  const calls: readonly CallName[] = generation(kernel).calls;
  if (!calls.includes(next.call)) {
    next.call = calls[0];
    next.timeout = 0;
  }
  // States only the old kernel's table has (7.3's markers and device-private pmds) become none.
  const extra: readonly string[] = generation(s.kernel).extraStates;
  const keep: readonly string[] = generation(kernel).extraStates;
  if (extra.some((st) => !keep.includes(st))) {
    next.cpu = s.cpu.map((c) => (extra.includes(CPU_STATES[c]) && !keep.includes(CPU_STATES[c]) ? 0 : c));
  }
  const to = requestFlags(next);
  // Keep the policy's meaning across layouts: a VALID bit stays a VALID bit.
  next.defaultFlags = translate(s.defaultFlags, from, to);
  next.pfnFlagsMask = s.pfnFlagsMask === MASK64 ? MASK64 : translate(s.pfnFlagsMask, from, to);
  next.requests = s.requests.map((w) => translate(w, from, to));
  return next;
}

const MASK64 = (1n << 64n) - 1n;

type Flags = { VALID: bigint; WRITE: bigint; DEVICE_PRIVATE: bigint };

/** Moves each named flag of `from` to the same flag of `to`; other bits stay where they are. */
export function translate(word: bigint, from: Flags, to: Flags): bigint {
  let named = 0n;
  let out = 0n;
  for (const k of ['VALID', 'WRITE', 'DEVICE_PRIVATE'] as const) {
    named |= from[k];
    if (from[k] && (word & from[k]) === from[k]) out |= to[k];
  }
  return out | (word & ~named & MASK64 & ~(to.VALID | to.WRITE | to.DEVICE_PRIVATE));
}

export function setCall(s: Scenario, call: CallName): Scenario {
  // The timeout is hmm_range_fault_unlocked_timeout()'s argument alone.
  return { ...s, call, timeout: call === 'hmm_range_fault_unlocked_timeout' ? s.timeout : 0 };
}

/** hmm_range_fault_unlocked_timeout()'s budget, in jiffies (0 = retry for ever). */
export function setTimeout(s: Scenario, timeout: number): Scenario {
  return { ...s, timeout: Math.max(0, Math.floor(timeout)) };
}

export function setBlock(s: Scenario, block: boolean): Scenario {
  return { ...s, block };
}

export function setLayout(s: Scenario, layout: DriverLayout): Scenario {
  const from = requestFlags(s);
  const next = { ...s, layout };
  const to = requestFlags(next);
  next.defaultFlags = translate(s.defaultFlags, from, to);
  next.pfnFlagsMask = s.pfnFlagsMask === MASK64 ? MASK64 : translate(s.pfnFlagsMask, from, to);
  next.requests = s.requests.map((w) => translate(w, from, to));
  return next;
}

export function setOwner(s: Scenario, devicePrivateOwner: 'this' | 'none'): Scenario {
  return { ...s, devicePrivateOwner };
}

export function setDefaultFlags(s: Scenario, defaultFlags: bigint): Scenario {
  return { ...s, defaultFlags: defaultFlags & MASK64 };
}

export function setMask(s: Scenario, pfnFlagsMask: bigint): Scenario {
  return { ...s, pfnFlagsMask: pfnFlagsMask & MASK64 };
}

export function toggleBit(word: bigint, bit: number): bigint {
  return (word ^ (1n << BigInt(bit))) & MASK64;
}

function clampSpan(s: Scenario, from: number, to: number): [number, number] {
  const a = Math.max(0, Math.min(from, to));
  const b = Math.min(s.range.pages - 1, Math.max(from, to));
  return [a, b];
}

/** Sets the CPU state code of pages [from, to] inclusive. */
export function paintCpu(s: Scenario, from: number, to: number, code: number): Scenario {
  const [a, b] = clampSpan(s, from, to);
  const cpu = s.cpu.slice();
  cpu.fill(code, a, b + 1);
  return { ...s, cpu };
}

/** Sets the caller's input pfns[i] of pages [from, to] inclusive. */
export function paintRequest(s: Scenario, from: number, to: number, word: bigint): Scenario {
  const [a, b] = clampSpan(s, from, to);
  const requests = s.requests.slice();
  requests.fill(word & MASK64, a, b + 1);
  return { ...s, requests };
}

/** Sets the device page table before the run for pages [from, to] inclusive. */
export function paintDevice(s: Scenario, from: number, to: number, code: number): Scenario {
  const [a, b] = clampSpan(s, from, to);
  const device = s.device.slice();
  device.fill(code, a, b + 1);
  return { ...s, device };
}

/** Changes the number of pages; new pages are "none" with no request; a single vma grows along. */
export function setPages(s: Scenario, pages: number): Scenario {
  const n = Math.max(1, Math.min(MAX_UI_PAGES, Math.floor(pages)));
  if (n === s.range.pages) return s;
  const grow = <T extends Uint8Array | BigUint64Array>(a: T, make: (n: number) => T): T => {
    const out = make(n);
    out.set(a.subarray(0, Math.min(n, a.length)) as never);
    return out;
  };
  let vmas = s.vmas;
  // The common case: one vma covering the range; keep it covering the range.
  if (vmas.length === 1 && vmas[0].from <= 0 && vmas[0].from + vmas[0].pages === s.range.pages) {
    vmas = [{ ...vmas[0], pages: n - vmas[0].from }];
  }
  return {
    ...s,
    range: { ...s.range, pages: n },
    cpu: grow(s.cpu, (k) => new Uint8Array(k)),
    device: grow(s.device, (k) => new Uint8Array(k)),
    requests: grow(s.requests, (k) => new BigUint64Array(k)),
    vmas,
    concurrent: s.concurrent.filter((e) => e.from < n).map((e) => ({ ...e, to: Math.min(e.to, n - 1) })),
  };
}

export function setStart(s: Scenario, start: bigint): Scenario {
  return { ...s, range: { ...s.range, start } };
}

function sortVmas(vmas: Vma[]): Vma[] {
  return [...vmas].sort((a, b) => a.from - b.from);
}

/** Adds a vma in the first gap of the range (or after the last vma). */
export function addVma(s: Scenario): Scenario {
  const sorted = sortVmas(s.vmas);
  let from = 0;
  for (const v of sorted) {
    if (v.from > from) break;
    from = Math.max(from, v.from + v.pages);
  }
  const next = sorted.find((v) => v.from >= from);
  const pages = Math.max(1, (next ? next.from : Math.max(s.range.pages, from + 1)) - from);
  return { ...s, vmas: sortVmas([...s.vmas, anonVma(from, pages)]) };
}

export function updateVma(s: Scenario, index: number, patch: Partial<Vma>): Scenario {
  const vmas = s.vmas.map((v, i) => (i === index ? { ...v, ...patch } : v));
  return { ...s, vmas: sortVmas(vmas) };
}

export function removeVma(s: Scenario, index: number): Scenario {
  return { ...s, vmas: s.vmas.filter((_, i) => i !== index) };
}

export function addConcurrent(s: Scenario): Scenario {
  const e: ConcurrentEvent = {
    at: 'after-fault',
    n: 1,
    op: 'invalidate',
    from: 0,
    to: 0,
    repeat: false,
    lasts: false,
  };
  return { ...s, concurrent: [...s.concurrent, e] };
}

export function updateConcurrent(s: Scenario, index: number, patch: Partial<ConcurrentEvent>): Scenario {
  return { ...s, concurrent: s.concurrent.map((e, i) => (i === index ? { ...e, ...patch } : e)) };
}

export function removeConcurrent(s: Scenario, index: number): Scenario {
  return { ...s, concurrent: s.concurrent.filter((_, i) => i !== index) };
}

export function setDriverLoop(s: Scenario, driverLoop: boolean): Scenario {
  return { ...s, driverLoop };
}

export function setTitle(s: Scenario, title: string): Scenario {
  return { ...s, title };
}

/** Sets the CPU state code of every page of `runs` (a selection: see pageSet.ts). */
export function paintCpuRuns(s: Scenario, runs: [number, number][], code: number): Scenario {
  const cpu = s.cpu.slice();
  for (const [a, b] of runs) cpu.fill(code, Math.max(0, a), Math.min(s.range.pages - 1, b) + 1);
  return { ...s, cpu };
}

/** Sets the caller's input pfns[i] of every page of `runs`. */
export function paintRequestRuns(s: Scenario, runs: [number, number][], word: bigint): Scenario {
  const requests = s.requests.slice();
  const w = word & MASK64;
  for (const [a, b] of runs) requests.fill(w, Math.max(0, a), Math.min(s.range.pages - 1, b) + 1);
  return { ...s, requests };
}

function sameKind(a: Vma, b: Vma): boolean {
  return (
    a.prot === b.prot &&
    a.backing === b.backing &&
    a.shared === b.shared &&
    a.special === b.special &&
    a.thp === b.thp &&
    a.allocFails === b.allocFails
  );
}

/** What a span's mapping can be given: everything but where it is. */
export type VmaPatch = Partial<Omit<Vma, 'from' | 'pages'>>;

/**
 * Gives the pages of `runs` their own mapping: `patch` applied to the vma each page was in (a
 * page in no vma gets a new private anonymous one), or `null` to unmap them (a hole). The vmas
 * the runs cut are split at the runs' edges, as mprotect() and munmap() split them; pieces on
 * both sides of an edge that end up alike join again, so setting a span back undoes the split.
 */
export function setVmaRuns(s: Scenario, runs: [number, number][], patch: VmaPatch | null): Scenario {
  const cuts = new Set<number>();
  for (const [a, b] of runs) cuts.add(a).add(b + 1);
  // Every vma cut at the runs' edges: each piece lies wholly inside or outside the selection.
  const pieces: Vma[] = [];
  for (const v of sortVmas(s.vmas)) {
    const end = v.from + v.pages;
    const at = [...cuts].filter((c) => c > v.from && c < end).sort((x, y) => x - y);
    let from = v.from;
    for (const c of [...at, end]) {
      pieces.push({ ...v, from, pages: c - from });
      from = c;
    }
  }
  const inside = (v: Vma) => runs.some(([a, b]) => v.from >= a && v.from + v.pages - 1 <= b);
  let out: Vma[] = [];
  for (const v of pieces) {
    if (!inside(v)) out.push(v);
    else if (patch) out.push({ ...v, ...patch });
  }
  // Pages of the runs in no vma get one (not when unmapping).
  if (patch) {
    for (const [a, b] of runs) {
      const covering = sortVmas(out).filter((v) => v.from <= b && v.from + v.pages - 1 >= a);
      let p = a;
      for (const v of covering) {
        if (v.from > p) out.push({ ...anonVma(p, v.from - p), ...patch });
        p = Math.max(p, v.from + v.pages);
      }
      if (p <= b) out.push({ ...anonVma(p, b - p + 1), ...patch });
    }
  }
  out = sortVmas(out);
  // Join pieces that touch at a run edge and are alike again.
  const joined: Vma[] = [];
  for (const v of out) {
    const last = joined[joined.length - 1];
    if (last && last.from + last.pages === v.from && cuts.has(v.from) && sameKind(last, v))
      joined[joined.length - 1] = { ...last, pages: last.pages + v.pages };
    else joined.push(v);
  }
  return { ...s, vmas: joined, cpu: protectPtes(s, runs, patch) };
}

/** What mprotect() leaves of a pte: no write without VM_WRITE, nothing present under PROT_NONE. */
const WRITE_PROTECTED: Partial<Record<CpuState, CpuState>> = {
  rw: 'ro',
  // change_pte_range() makes a writable migration entry readable whatever the new protection.
  'migration-rw': 'migration',
  'thp-rw': 'thp-ro',
  'devpriv-rw': 'devpriv',
  'devpriv-other-rw': 'devpriv-other',
};
const PROT_NONE: Partial<Record<CpuState, CpuState>> = {
  ro: 'protnone',
  rw: 'protnone',
  cow: 'protnone',
  zero: 'protnone',
  'thp-ro': 'thp-protnone',
  'thp-rw': 'thp-protnone',
  'thp-zero': 'thp-protnone',
  'migration-rw': 'migration',
  'devpriv-rw': 'devpriv',
  'devpriv-other-rw': 'devpriv-other',
};

/**
 * The CPU page table after the vma edit, as the kernel leaves it (concurrent.ts's mprotect and
 * munmap): munmap zaps the ptes, mprotect write-protects them (or makes them PROT_NONE).
 */
function protectPtes(s: Scenario, runs: [number, number][], patch: VmaPatch | null): Uint8Array {
  const prot = patch?.prot;
  if (patch && (prot === undefined || prot === 'rw' || prot === 'w')) return s.cpu;
  const map = patch === null ? null : prot === '' ? PROT_NONE : WRITE_PROTECTED;
  const cpu = s.cpu.slice();
  for (const [a, b] of runs)
    for (let p = Math.max(0, a); p <= Math.min(s.range.pages - 1, b); p++) {
      if (map === null) cpu[p] = 0;
      else {
        const to = map[CPU_STATES[cpu[p]]];
        if (to) cpu[p] = CPU_STATES.indexOf(to);
      }
    }
  return cpu;
}

/** Sets the notes; empty notes are no field at all (as a file without "notes" parses). */
export function setNotes(s: Scenario, notes: string): Scenario {
  const next = { ...s };
  if (notes) next.notes = notes;
  else delete next.notes;
  return next;
}
