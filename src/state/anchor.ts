import type { TraceEvent } from '../engine/types.ts';
import { eventSpan } from './derived.ts';

/**
 * A moment of a run, as a link names it. A step number (`11`) is exact but fragile: when the
 * engine's trace changes (a new event, a finer kernel model) step 11 is another moment. A durable
 * anchor names the moment by what happens, and is found again in whatever trace the engine makes
 * now:
 *
 *   start | end                       before the call / after the last step
 *   1st-write-fault-on-5              the 1st write fault on page 5 (also read-fault, fault)
 *   2nd-restart                       the 2nd restart of the walk
 *   end-of-attempt-1 | attempt-2      the last / first step of the driver's attempt
 *   1st-programmed                    the driver programs the device
 *   3rd-pte-on-4                      the 3rd time the walk reads page 4's pte
 *
 * Every event kind has a name (see KINDS); `-on-P` narrows it to events about page P, and the
 * ordinal defaults to the 1st. The cursor of a moment is the step just after its event (the
 * stage then shows that event). Pure functions: parse, format, describe, resolve.
 */

/** Event kinds an anchor can name, with the sentence form of each. */
const KINDS = {
  fault: 'fault',
  'read-fault': 'read fault',
  'write-fault': 'write fault',
  restart: 'restart',
  walk: 'walk',
  pte: 'pte read',
  pmd: 'pmd entry',
  hole: 'hole',
  vma: 'vma check',
  fill: 'fill',
  invalidation: 'invalidation',
  'cpu-event': 'concurrent CPU event',
  'cpu-wait': 'CPU event waiting for mmap_lock',
  call: 'call',
  return: 'return',
  programmed: 'device programmed',
  'read-begin': 'mmu_interval_read_begin',
  'read-retry': 'mmu_interval_read_retry',
  'check-retry': 'mmu_interval_check_retry',
  lock: 'driver lock',
  'mmap-lock': 'mmap_lock taken for read',
  'mmap-unlock': 'mmap_lock release',
  'lock-drop': 'fault dropping mmap_lock',
  retry: 'driver retry',
  'give-up': 'driver giving up',
  register: 'hmm_range_register',
  'wait-until-valid': 'hmm_range_wait_until_valid',
  'range-valid': 'hmm_range_valid check',
  record: 'hmm_record_fault',
  unwind: 'walk unwinding',
  dofault: 'hmm_do_fault',
} as const;

export type AnchorKind = keyof typeof KINDS;

export type Anchor =
  | { kind: 'step'; step: number }
  | { kind: 'start' }
  | { kind: 'end' }
  | { kind: 'attempt'; attempt: number; end: boolean }
  | { kind: 'event'; what: AnchorKind; nth: number; page: number | null };

export type AnchorRead = { ok: true; anchor: Anchor } | { ok: false; problem: string };

const DRIVER_KIND: Partial<Record<string, AnchorKind>> = {
  mmu_interval_read_begin: 'read-begin',
  mmu_interval_read_retry: 'read-retry',
  mmu_interval_check_retry: 'check-retry',
  driver_lock: 'lock',
  mmap_read_lock: 'mmap-lock',
  retry: 'retry',
  give_up: 'give-up',
  hmm_range_register: 'register',
  hmm_range_wait_until_valid: 'wait-until-valid',
  hmm_range_valid: 'range-valid',
};

/** The most specific kind of an event (what `anchorAt` writes). */
function kindOf(e: TraceEvent): AnchorKind {
  switch (e.type) {
    case 'fault':
    case 'faults':
      return e.write ? 'write-fault' : 'read-fault';
    case 'walk':
      return e.restart > 0 ? 'restart' : 'walk';
    case 'concurrent':
      return e.phase === 'waits' ? 'cpu-wait' : 'cpu-event';
    case 'lock':
      // mmap_lock (v5.2: mmap_sem), not the driver's own lock (`lock`).
      return e.fn === 'fault_dropped_lock'
        ? 'lock-drop'
        : e.fn === 'up_read' || e.fn === 'mmap_read_unlock'
          ? 'mmap-unlock'
          : 'mmap-lock';
    case 'invalidate':
      return 'invalidation';
    case 'program':
      return 'programmed';
    case 'driver':
      return DRIVER_KIND[e.fn] ?? 'lock';
    default:
      return e.type;
  }
}

/**
 * The wider kind an event of kind `k` is also of: a read or write fault is a fault, a restart a
 * walk, a CPU event that waits a CPU event. The one place that says so (isKind, the index).
 */
function widerKind(k: AnchorKind): AnchorKind | null {
  if (k === 'read-fault' || k === 'write-fault') return 'fault';
  if (k === 'restart') return 'walk';
  if (k === 'cpu-wait') return 'cpu-event';
  return null;
}

/** Whether an event is of a kind: its own, or the wider kind that includes it. */
function isKind(e: TraceEvent, what: AnchorKind): boolean {
  const k = kindOf(e);
  return k === what || widerKind(k) === what;
}

function covers(e: TraceEvent, page: number): boolean {
  const s = eventSpan(e);
  return !!s && s[0] <= page && page < s[1];
}

/** Kinds whose `-on-P` names the page the event is about, not just one its span reaches. */
const PAGED = new Set<AnchorKind>([
  'fault',
  'read-fault',
  'write-fault',
  'pte',
  'pmd',
  'hole',
  'fill',
  'record',
  'dofault',
]);

/** 1st, 2nd, 3rd, 4th, 11th, 21st ... */
export function ordinal(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

const MAX = 10_000_000;

/** Reads an anchor as a link writes it; never throws. */
export function parseAnchor(text: string): AnchorRead {
  const t = text.trim().toLowerCase();
  if (/^\d{1,8}$/.test(t)) {
    const step = Number(t);
    if (step > MAX) return { ok: false, problem: `step ${t} is beyond any run` };
    return { ok: true, anchor: { kind: 'step', step } };
  }
  if (t === 'start') return { ok: true, anchor: { kind: 'start' } };
  if (t === 'end') return { ok: true, anchor: { kind: 'end' } };
  const att = /^(end-of-)?attempt-(\d{1,4})$/.exec(t);
  if (att) {
    const attempt = Number(att[2]);
    if (attempt < 1) return { ok: false, problem: 'attempts count from 1' };
    return { ok: true, anchor: { kind: 'attempt', attempt, end: !!att[1] } };
  }
  const m = /^(?:(\d{1,6})(?:st|nd|rd|th)-)?([a-z-]+?)(?:-on-(\d{1,8}))?$/.exec(t);
  if (!m || !(m[2] in KINDS))
    return {
      ok: false,
      problem: `“${text}” is neither a step number nor a moment such as 1st-write-fault-on-5, 2nd-restart, end-of-attempt-1 or 1st-programmed`,
    };
  const nth = m[1] ? Number(m[1]) : 1;
  if (nth < 1) return { ok: false, problem: `“${text}”: ordinals count from 1st` };
  return {
    ok: true,
    anchor: { kind: 'event', what: m[2] as AnchorKind, nth, page: m[3] === undefined ? null : Number(m[3]) },
  };
}

/** The anchor as a link writes it (parseAnchor reads it back). */
export function formatAnchor(a: Anchor): string {
  switch (a.kind) {
    case 'step':
      return String(a.step);
    case 'start':
    case 'end':
      return a.kind;
    case 'attempt':
      return `${a.end ? 'end-of-' : ''}attempt-${a.attempt}`;
    case 'event':
      return `${ordinal(a.nth)}-${a.what}${a.page === null ? '' : `-on-${a.page}`}`;
  }
}

/** The anchor in words: "the 1st write fault on page 5", "step 11". */
export function describeAnchor(a: Anchor): string {
  switch (a.kind) {
    case 'step':
      return `step ${a.step}`;
    case 'start':
      return 'the start of the run';
    case 'end':
      return 'the end of the run';
    case 'attempt':
      return `the ${a.end ? 'end' : 'start'} of attempt ${a.attempt}`;
    case 'event':
      return `the ${ordinal(a.nth)} ${KINDS[a.what]}${a.page === null ? '' : ` on page ${a.page}`}`;
  }
}

export interface Resolved {
  /** The cursor to open at (0 = before the run, n = after its last step). */
  cursor: number;
  /** The anchor named a moment of this run; false: `cursor` is the nearest one, see `note`. */
  exact: boolean;
  /** Why the moment is not exact, in one sentence for a notice. */
  note: string | null;
}

function matches(trace: readonly TraceEvent[], what: AnchorKind, page: number | null): number[] {
  const out: number[] = [];
  for (let i = 0; i < trace.length; i++) {
    const e = trace[i];
    if (isKind(e, what) && (page === null || covers(e, page))) out.push(i);
  }
  return out;
}

/**
 * Finds the anchor's moment in a trace. What no longer resolves opens at the nearest moment with
 * a note: the last of fewer matches, else the same kind on any page, else the first event about
 * the page, else the start. A step past the run opens at its end, and says so.
 */
export function resolveAnchor(a: Anchor, trace: readonly TraceEvent[]): Resolved {
  const n = trace.length;
  const exact = (cursor: number): Resolved => ({ cursor, exact: true, note: null });
  const near = (cursor: number, why: string): Resolved => ({ cursor, exact: false, note: why });
  switch (a.kind) {
    case 'start':
      return exact(0);
    case 'end':
      return exact(n);
    case 'step':
      return a.step <= n
        ? exact(a.step)
        : near(n, `Step ${a.step} is past the end of this run (${n} steps): showing its last step.`);
    case 'attempt': {
      const idx = trace.flatMap((e, i) => (e.attempt === a.attempt ? [i] : []));
      if (idx.length) return exact((a.end ? idx[idx.length - 1] : idx[0]) + 1);
      const last = n ? trace[n - 1].attempt : 0;
      return near(
        n,
        `This run has ${last} driver attempt${last === 1 ? '' : 's'}, not ${a.attempt}: showing its end.`,
      );
    }
    case 'event': {
      const found = matches(trace, a.what, a.page);
      if (found.length >= a.nth) return exact(found[a.nth - 1] + 1);
      const said = describeAnchor(a);
      if (found.length)
        return near(
          found[found.length - 1] + 1,
          `This run has no ${said.replace(/^the /, '')}: showing the ${ordinal(found.length)} (the last).`,
        );
      // A read fault where a write fault was named (or the other way round): the same page.
      if ((a.what === 'read-fault' || a.what === 'write-fault') && a.page !== null) {
        const other = matches(trace, 'fault', a.page);
        if (other.length)
          return near(
            other[0] + 1,
            `This run has no ${KINDS[a.what]} on page ${a.page}: showing its 1st fault there, a ${kindOf(trace[other[0]]).replace('-', ' ')}.`,
          );
      }
      const anyPage = a.page !== null ? matches(trace, a.what, null) : [];
      if (anyPage.length)
        return near(
          anyPage[0] + 1,
          `This run has no ${KINDS[a.what]} on page ${a.page}: showing its 1st ${KINDS[a.what]}, on another page.`,
        );
      if (a.page !== null) {
        // The first step about that page alone (its pte), else the first whose span reaches it.
        const own = trace.findIndex((e) => {
          const sp = eventSpan(e);
          return !!sp && sp[0] === a.page && sp[1] === a.page + 1;
        });
        const about = own >= 0 ? own : trace.findIndex((e) => covers(e, a.page!));
        if (about >= 0)
          return near(
            about + 1,
            `This run has no ${KINDS[a.what]} on page ${a.page}: showing its first step there.`,
          );
      }
      return near(0, `This run has no ${said.replace(/^the \d+\w+ /, '')}: showing its start.`);
    }
  }
}

/**
 * Where each kind's events are in a trace, to count them at a cursor without a scan: a scrub
 * names its moment on every stop (the link follows the cursor), over traces of 10k events.
 * `byKind[what]`: the indices of the events `isKind(what)` takes, ascending. `single` / `wide`
 * (built per kind on first use, for `-on-P`): the indices of the kind's events about one page, by
 * page, and those whose span is wider (a run of faults, a hole, a pmd), which are few.
 */
interface KindIndex {
  byKind: Map<AnchorKind, number[]>;
  paged: Map<AnchorKind, { single: Map<number, number[]>; wide: number[] }>;
}

const indexes = new WeakMap<readonly TraceEvent[], KindIndex>();

function kindIndex(trace: readonly TraceEvent[]): KindIndex {
  let x = indexes.get(trace);
  if (x) return x;
  const byKind = new Map<AnchorKind, number[]>();
  const add = (what: AnchorKind, i: number) => {
    const list = byKind.get(what);
    if (list) list.push(i);
    else byKind.set(what, [i]);
  };
  for (let i = 0; i < trace.length; i++) {
    // The kinds isKind takes an event for: its own, and the wider kind that includes it.
    const k = kindOf(trace[i]);
    add(k, i);
    const wider = widerKind(k);
    if (wider) add(wider, i);
  }
  x = { byKind, paged: new Map() };
  indexes.set(trace, x);
  return x;
}

/** How many of `list` (ascending) are <= i. */
function countUpTo(list: readonly number[], i: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many events of a kind (about `page`, if not null) are at or before index i: `matches`' count. */
function countAt(trace: readonly TraceEvent[], what: AnchorKind, page: number | null, i: number): number {
  const x = kindIndex(trace);
  const all = x.byKind.get(what) ?? [];
  if (page === null) return countUpTo(all, i);
  let p = x.paged.get(what);
  if (!p) {
    p = { single: new Map(), wide: [] };
    for (const j of all) {
      const s = eventSpan(trace[j]);
      if (!s) continue;
      if (s[1] - s[0] === 1) {
        const list = p.single.get(s[0]);
        if (list) list.push(j);
        else p.single.set(s[0], [j]);
      } else p.wide.push(j);
    }
    x.paged.set(what, p);
  }
  let n = countUpTo(p.single.get(page) ?? [], i);
  for (const j of p.wide) {
    if (j > i) break;
    if (covers(trace[j], page)) n++;
  }
  return n;
}

/**
 * The durable anchor of a cursor: the moment named by its event, counted among the events of its
 * kind (on its page, for page events). resolveAnchor(anchorAt(t, c), t) gives c back. The count
 * comes from an index of the trace (built once per trace), not a scan of its first c events.
 */
export function anchorAt(trace: readonly TraceEvent[], cursor: number): Anchor {
  if (cursor <= 0) return { kind: 'start' };
  if (cursor >= trace.length) return { kind: 'end' };
  const i = cursor - 1;
  const e = trace[i];
  const what = kindOf(e);
  const span = eventSpan(e);
  const page = PAGED.has(what) && span ? span[0] : null;
  return { kind: 'event', what, nth: countAt(trace, what, page, i), page };
}
