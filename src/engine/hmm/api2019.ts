/**
 * The 2019 API as Linux v5.2 implements it (mm/hmm.c of that era, spec source S1), bugs included:
 * hmm_range_fault(range, block), hmm_range_snapshot(range) and the driver's own flags[] /
 * values[] / pfn_shift encoding. Spec: hmm-semantics.md 1.A, 2.1-2.3, 2.5, 2.6 and 7.
 *
 * What later kernels fixed shows here as the code did it: the zero page is a special pte
 * (values[SPECIAL] and -EFAULT); swap and migration entries are never faulted (their need is never
 * computed); a fault resets the rest of the chunk to values[NONE] before faulting it, losing the
 * later pages' own requests; no VM_WRITE check (the fault loop never ends); a fault in a gap with
 * no vma calls handle_mm_fault(NULL, ...) (the kernel oopses); a none huge pte is reported VALID.
 */
import { FAULT_FLAG, finishMigration, VM_FAULT, VM_FAULT_ERROR } from '../mm/fault.ts';
import { PMD_PAGES, type MmVma } from '../mm/mm.ts';
import { type HoleLevel, type PagewalkOps, walkHugetlbRange, walkPgdRange } from '../mm/pagewalk.ts';
import {
  devicePrivateWritable,
  isDevicePrivate,
  isMigration,
  isMigrationPmd,
  isPresent,
  isWritable,
  S,
  stateName,
} from '../mm/states.ts';
import type { Statement } from '../statements.ts';
import { NO_VMA } from '../trace/text.ts';
import type { DriverLayout, Say } from '../types.ts';
import {
  type FaultSpanProgress,
  type WalkEnv,
  faultLoop,
  Livelock,
  Oops,
  ProgressGuard,
  walkBudget,
} from './env.ts';
import { ERR, hex64, hi32, lo32 } from './words.ts';

/** A 64-bit driver word as halves. */
interface Bits {
  lo: number;
  hi: number;
}
const bits = (w: bigint): Bits => ({ lo: lo32(w), hi: hi32(w) });
const ZERO: Bits = { lo: 0, hi: 0 };

/** The driver layout as halves, for the per-page path. */
export interface Layout52 {
  VALID: Bits;
  WRITE: Bits;
  DEVICE_PRIVATE: Bits;
  NONE: Bits;
  ERROR: Bits;
  SPECIAL: Bits;
  shift: number;
}

export function layout52(l: DriverLayout): Layout52 {
  return {
    VALID: bits(l.flags.VALID),
    WRITE: bits(l.flags.WRITE),
    DEVICE_PRIVATE: bits(l.flags.DEVICE_PRIVATE),
    NONE: bits(l.values.NONE),
    ERROR: bits(l.values.ERROR),
    SPECIAL: bits(l.values.SPECIAL),
    shift: l.pfnShift,
  };
}

const has = (lo: number, hi: number, b: Bits): boolean => ((lo & b.lo) | (hi & b.hi)) !== 0;
const TWO32 = 0x100000000;

interface Walk {
  env: WalkEnv;
  L: Layout52;
  /** hmm_vma_walk.last (a vpn). */
  last: number;
  /** false for hmm_range_snapshot. */
  fault: boolean;
  /** walk->vma: null while the walker is in a gap. */
  vma: MmVma | null;
  def: Bits;
  mask: Bits;
  /** The last handle_mm_fault's VM_FAULT_* code (for the coarse trace). */
  lastCode: number;
}

/** The fault / write_fault pair hmm_pte_need_fault() updates in place. */
interface Need {
  fault: boolean;
  write: boolean;
}

function newWalk(env: WalkEnv, fault: boolean, def: bigint, mask: bigint): Walk {
  return {
    env,
    L: layout52(env.scenario.layout),
    last: env.startVpn,
    fault,
    vma: null,
    def: bits(def),
    mask: bits(mask),
    lastCode: 0,
  };
}

/** hmm_device_entry_from_pfn(): (pfn << pfn_shift) | flags[VALID], as halves. */
function entryFromPfn(walk: Walk, pfn: number): Bits {
  const v = pfn * 2 ** walk.L.shift;
  return { lo: ((v % TWO32) | walk.L.VALID.lo) >>> 0, hi: (Math.floor(v / TWO32) | walk.L.VALID.hi) >>> 0 };
}

function setWord(walk: Walk, i: number, b: Bits): void {
  const { w, written } = walk.env;
  w[2 * i] = b.lo;
  w[2 * i + 1] = b.hi;
  written.add(i, i + 1);
}

/**
 * hmm_pte_need_fault(): note that `fault` is assigned, not OR-ed, and that device memory only
 * faults when the request carries the driver's DEVICE_PRIVATE bit.
 */
function pteNeedFault(walk: Walk, inLo: number, inHi: number, cpu: Bits, need: Need): void {
  if (!walk.fault) return;
  const reqLo = (inLo & walk.mask.lo) | walk.def.lo;
  const reqHi = (inHi & walk.mask.hi) | walk.def.hi;
  const L = walk.L;
  if (!has(reqLo, reqHi, L.VALID)) return;
  if (has(cpu.lo, cpu.hi, L.DEVICE_PRIVATE)) {
    if (has(reqLo, reqHi, L.DEVICE_PRIVATE)) {
      need.write = has(reqLo, reqHi, L.WRITE);
      need.fault = true;
    }
    return;
  }
  need.fault = !has(cpu.lo, cpu.hi, L.VALID);
  if (has(reqLo, reqHi, L.WRITE) && !has(cpu.lo, cpu.hi, L.WRITE)) {
    need.write = true;
    need.fault = true;
  }
}

/** hmm_range_need_fault(): over a span with one cpu value, stopping once a write is needed. */
function rangeNeedFault(walk: Walk, from: number, to: number, cpu: Bits): Need {
  const need: Need = { fault: false, write: false };
  if (!walk.fault) return need;
  const { w } = walk.env;
  for (let i = from; i < to; i++) {
    pteNeedFault(walk, w[2 * i], w[2 * i + 1], cpu, need);
    if (need.write) break;
  }
  return need;
}

/** What some events' sentences need besides their fields (trace/text.ts). */
const V52: Say = { v52: true };
const RESTART: Say = { restart: true };
const ASKS_SNAPSHOT: Say = { asks: 'snapshot' };
const ASKS_READ: Say = { asks: 'read' };
const ASKS_WRITE: Say = { asks: 'write' };
const ASKS_NOTHING: Say = { asks: 'nothing' };

const needBits = (n: Need): number => (n.write ? 3 : n.fault ? 1 : 0);

/** The branch hmm_pte_need_fault() takes for an effective request and the CPU flags. */
function needStatement(walk: Walk, reqLo: number, reqHi: number, cpu: Bits): Statement {
  const L = walk.L;
  if (!walk.fault) return 'need.snapshot';
  if (!has(reqLo, reqHi, L.VALID)) return 'need.none';
  if (has(cpu.lo, cpu.hi, L.DEVICE_PRIVATE)) return 'need.devpriv';
  return has(reqLo, reqHi, L.WRITE) && !has(cpu.lo, cpu.hi, L.WRITE) ? 'need.write' : 'need.fault';
}

/** hmm_range_fault(range, block) (v5.2): pages done (from range.start to last), or -errno. */
export function hmmRangeFault52(env: WalkEnv, def: bigint, mask: bigint): number {
  return rangeCall(env, newWalk(env, true, def, mask), 'hmm_range_fault');
}

/** hmm_range_snapshot(range): the same walk with faults off; the walk's errors are ignored. */
export function hmmRangeSnapshot52(env: WalkEnv): number {
  const s = env.scenario;
  return rangeCall(env, newWalk(env, false, s.defaultFlags, s.pfnFlagsMask), 'hmm_range_snapshot');
}

function rangeCall(env: WalkEnv, walk: Walk, fn: 'hmm_range_fault' | 'hmm_range_snapshot'): number {
  const { rec, mm } = env;
  const rangeEnd = env.startVpn + env.npages;
  let start = env.startVpn;
  rec.push(fn);
  try {
    do {
      if (env.invalidated()) {
        env.returnStmt = 'return.eagain';
        rec.emit({
          type: 'driver',
          stmt: 'valid.false',
          fn: 'hmm_range_valid',
          value: false,
          ...(fn === 'hmm_range_fault' ? {} : { say: { k: 'snapshot' } }),
        });
        // Only hmm_range_fault drops mmap_sem here (mm/hmm.c at 0092908d16c6); the snapshot keeps it.
        if (fn === 'hmm_range_fault') env.dropMmapLock?.();
        return ERR.EAGAIN;
      }
      const vma = mm.findVma(start);
      const deviceVma =
        vma && (vma.special === 'io' || vma.special === 'pfnmap' || vma.special === 'mixedmap');
      if (!vma || deviceVma) {
        env.returnStmt = 'return.efault';
        rec.emit({
          type: 'vma',
          stmt: 'find_vma.efault',
          fn: 'find_vma',
          from: start - env.startVpn,
          to: env.npages,
          ok: false,
          why: vma ? 'a VM_IO / VM_PFNMAP / VM_MIXEDMAP vma' : NO_VMA,
        });
        return ERR.EFAULT;
      }
      if (!vma.read) {
        env.returnStmt = 'return.eperm';
        rec.emit({
          type: 'vma',
          stmt: 'find_vma.eperm',
          fn: 'find_vma',
          from: 0,
          to: env.npages,
          ok: false,
          why: 'a vma without VM_READ',
          say: { page: Math.max(vma.start, start) - env.startVpn },
        });
        pfnsClear(walk, env.startVpn, rangeEnd, fn, 'eperm');
        return ERR.EPERM;
      }
      walk.last = start;
      const end = Math.min(rangeEnd, vma.end);
      if (!walk.fault) {
        // The snapshot ignores what the walk returns: an error stops this vma's walk only.
        walkRange(walk, start, end, 0);
        start = end;
        continue;
      }
      let ret: number;
      let walks = 0;
      const guard = new ProgressGuard();
      const budget = walkBudget(env.npages);
      do {
        if (walks > 0) env.restarts++;
        if (++walks > budget) throw new Livelock(`the walk restarted ${budget} times without finishing`);
        const generation = mm.generation;
        ret = walkRange(walk, start, end, walks - 1);
        start = walk.last;
        if (ret === ERR.EBUSY) guard.afterBusyWalk(walk.last, generation, mm.generation, env.startVpn);
        // `while (ret == -EBUSY && range->valid)`: an invalidation in progress ends the loop with
        // -EBUSY, and hmm_pfns_clear below erases pfns from last on.
      } while (ret === ERR.EBUSY && !env.invalidated());
      if (ret) {
        // hmm_pfns_clear(): from last to the range end, overwriting any ERROR / SPECIAL just set.
        env.returnStmt = 'return.err';
        pfnsClear(walk, walk.last, rangeEnd, fn, 'clear');
        return ret;
      }
      start = end;
    } while (start < rangeEnd);
    env.returnStmt = 'return';
    return walk.last - env.startVpn;
  } finally {
    rec.pop();
  }
}

function walkRange(walk: Walk, start: number, end: number, restart: number): number {
  const { rec, env } = { rec: walk.env.rec, env: walk.env };
  const from = start - env.startVpn;
  rec.emit({
    type: 'walk',
    // The first walk of a vma after the first one went through `start = end` and find_vma.
    stmt: restart > 0 ? 'restart' : start === env.startVpn ? 'walk' : 'walk.next',
    fn: 'walk_page_range',
    from,
    to: end - env.startVpn,
    restart,
    ...(restart === 0 ? {} : { say: V52 }),
  });
  rec.push('walk_page_range');
  env.walks++;
  try {
    return walkPageRange(walk, start, end);
  } finally {
    rec.pop();
  }
}

/** walk_page_range() (v5.2 mm/pagewalk.c): gaps are walked too, with walk->vma = NULL. */
function walkPageRange(walk: Walk, start: number, end: number): number {
  const { mm } = walk.env;
  let vma = mm.findVma(start);
  let err: number;
  let next: number;
  do {
    if (!vma) {
      walk.vma = null;
      next = end;
    } else if (start < vma.start) {
      walk.vma = null;
      next = Math.min(end, vma.start);
    } else {
      walk.vma = vma;
      next = Math.min(end, vma.end);
      vma = mm.findVma(vma.end);
    }
    err =
      walk.vma?.special === 'hugetlb'
        ? walkHugetlbRange(mm, start, next, opsFor(walk))
        : walkPgdRange(mm, start, next, walk.vma !== null, opsFor(walk));
    if (err) break;
  } while ((start = next) < end);
  return err;
}

/** HMM's callbacks for the page walker, bound to this walk (walk->vma may be NULL in a gap). */
function opsFor(walk: Walk): PagewalkOps {
  return {
    hole: (start, end, level) => walkHole(walk, start, end, level),
    pmdEntry: (start, end) => walkPmd(walk, start, end),
    hugetlbEntry: (start, end) => hugetlbEntry(walk, start, end),
  };
}

/** hmm_vma_walk_hole(): the need over the hole with cpu = 0, then hmm_vma_walk_hole_(). */
function walkHole(walk: Walk, start: number, end: number, level: HoleLevel): number {
  const { rec, startVpn } = walk.env;
  const from = start - startVpn;
  const to = end - startVpn;
  const need = rangeNeedFault(walk, from, to, ZERO);
  if (rec.full) {
    rec.emit({
      type: 'hole',
      stmt: level === 'pmd' ? 'hole.pmd' : 'hole',
      fn: 'hmm_vma_walk_hole',
      from,
      to,
      level,
      need: needBits(need),
      say: V52,
    });
  }
  return walkHole_(walk, start, end, need);
}

/**
 * hmm_vma_walk_hole_(): last = addr; every page is first set to values[NONE], then faulted. A
 * later page's own request is lost here: its entry is overwritten before the re-walk reads it.
 */
function walkHole_(walk: Walk, start: number, end: number, need: Need): number {
  walk.last = start;
  if (!(need.fault || need.write)) return holeLoop(walk, start, end, false, null);
  return faultLoop(walk.env, 'hmm_vma_walk_hole_', start, need.write, (progress) =>
    holeLoop(walk, start, end, need.write, progress),
  );
}

/** hmm_vma_walk_hole_()'s loop: reset each entry, then fault it (with `progress`) or not (null). */
function holeLoop(
  walk: Walk,
  start: number,
  end: number,
  write: boolean,
  progress: FaultSpanProgress | null,
): number {
  const { rec, startVpn } = walk.env;
  const doFault = progress !== null;
  /** Entries reset so far: traced even when a fault ends the loop early (an error, an oops). */
  let reset = 0;
  /** Whether the loop ran to its end (else a fault's error or retry returned early). */
  let completed = false;
  /** Whether a fault ended the run inside the loop (a task asleep for ever, an oops). */
  let stopped = false;
  rec.push('hmm_vma_walk_hole_');
  try {
    for (let a = start; a < end; a++) {
      setWord(walk, a - startVpn, walk.L.NONE);
      reset++;
      if (progress) {
        const r = hmmVmaDoFault(walk, a, write);
        progress.end = a + 1;
        progress.code = walk.lastCode;
        if (r !== ERR.EBUSY) return r;
      }
    }
    completed = true;
  } catch (e) {
    stopped = true;
    throw e;
  } finally {
    rec.pop();
    if (rec.full && reset > 0 && stopped) {
      // The run ends inside the fault: the trace ends at the step where the task stops, and the
      // entries reset before that fault (they were, in the kernel) belong to that last step.
      const from = start - startVpn;
      rec.effect({
        kind: 'pfnFill',
        from,
        to: from + reset,
        value: hex64(walk.L.NONE.lo, walk.L.NONE.hi),
        step: false,
      });
      rec.settle();
    } else if (rec.full && reset > 0) {
      const from = start - startVpn;
      const to = from + reset;
      const value = hex64(walk.L.NONE.lo, walk.L.NONE.hi);
      rec.emit(
        {
          type: 'fill',
          stmt: !doFault ? 'hole_.none' : completed ? 'hole_.busy' : 'hole_.err',
          fn: 'hmm_vma_walk_hole_',
          from,
          to,
          value,
          pfnStep: false,
          ...(doFault && to === end - startVpn ? { say: RESTART } : {}),
        },
        [{ kind: 'pfnFill', from, to, value, step: false }],
      );
    }
  }
  return doFault ? ERR.EBUSY : 0;
}

/**
 * hmm_vma_do_fault(): FAULT_FLAG_ALLOW_RETRY is always set, so `block` changes nothing
 * (hmm-semantics.md 10.6). A fault that returns VM_FAULT_RETRY has released mmap_sem: -EAGAIN at
 * once, the rest of the span not faulted.
 */
function hmmVmaDoFault(walk: Walk, vpn: number, write: boolean): number {
  const vma = walk.vma;
  if (!vma) {
    throw new Oops(
      `handle_mm_fault() is called for page ${vpn - walk.env.startVpn} with walk->vma == NULL (a gap with no vma): the v5.2 kernel dereferences a NULL pointer`,
    );
  }
  const flags = FAULT_FLAG.ALLOW_RETRY | FAULT_FLAG.REMOTE | (write ? FAULT_FLAG.WRITE : 0);
  const outcome = walk.env.fault(vma, vpn, flags);
  walk.lastCode = outcome.code;
  if (outcome.code & VM_FAULT.RETRY) return ERR.EAGAIN;
  if (outcome.code & VM_FAULT_ERROR) {
    setWord(walk, vpn - walk.env.startVpn, walk.L.ERROR);
    return ERR.EFAULT;
  }
  return ERR.EBUSY;
}

/** pfns [from, to) (vpns) = values[NONE]. */
function pfnsClear(walk: Walk, from: number, to: number, fn: string, stmt: 'eperm' | 'clear'): void {
  const { startVpn, rec } = walk.env;
  for (let a = from; a < to; a++) setWord(walk, a - startVpn, walk.L.NONE);
  if (rec.full && from < to) {
    const value = hex64(walk.L.NONE.lo, walk.L.NONE.hi);
    rec.emit(
      {
        type: 'fill',
        stmt,
        fn: `${fn}: hmm_pfns_clear`,
        from: from - startVpn,
        to: to - startVpn,
        value,
        pfnStep: false,
      },
      [{ kind: 'pfnFill', from: from - startVpn, to: to - startVpn, value, step: false }],
    );
  }
}

/** hmm_pfns_bad(): values[ERROR] over the chunk; `last` does not move. */
function pfnsBad(walk: Walk, start: number, end: number): number {
  for (let a = start; a < end; a++) setWord(walk, a - walk.env.startVpn, walk.L.ERROR);
  return 0;
}

function walkPmd(walk: Walk, start: number, end: number): number {
  const { mm, startVpn, rec } = walk.env;
  const slot = mm.slot(start)!;
  if (slot.huge) {
    const st = slot.hugeState;
    const from = start - startVpn;
    const to = end - startVpn;
    if (isMigrationPmd(st)) {
      const need = rangeNeedFault(walk, from, to, ZERO);
      if (need.fault || need.write) {
        walk.last = start;
        // pmd_migration_entry_wait(); remove_migration_pmd() restores write from a writable entry.
        finishMigration(mm, walk.vma?.write ?? false, start, st);
        return ERR.EBUSY;
      }
      return 0; // the entries keep whatever they held (the input): fixed in 5.7
    }
    if (!isThpPresent(st)) return pfnsBad(walk, start, end);
    // hmm_vma_handle_pmd()
    const cpu = st === S.thpProtnone ? ZERO : isWritable(st) ? or(walk.L.VALID, walk.L.WRITE) : walk.L.VALID;
    const need = rangeNeedFault(walk, from, to, cpu);
    rec.emit({
      type: 'pmd',
      stmt: st === S.thpProtnone || need.fault || need.write ? 'handle_pmd.hole_' : 'handle_pmd',
      fn: 'hmm_vma_handle_pmd',
      from,
      to,
      need: needBits(need),
      say: { v52: true, state: stateName(st) },
    });
    if (st === S.thpProtnone || need.fault || need.write) return walkHole_(walk, start, end, need);
    for (let a = start, p = slot.hugePfn + (start % PMD_PAGES); a < end; a++, p++) {
      setWord(walk, a - startVpn, or(entryFromPfn(walk, p), cpu));
    }
    if (rec.full) emitFill(walk, from, to, 'hmm_vma_handle_pmd', 'handle_pmd.fill', true);
    walk.last = end;
    return 0;
  }
  rec.push('hmm_vma_walk_pmd');
  try {
    for (let a = start; a < end; a++) {
      const r = handlePte(walk, a, end);
      if (r) {
        walk.last = a;
        return r;
      }
    }
  } finally {
    rec.pop();
  }
  walk.last = end;
  return 0;
}

const isThpPresent = (st: number): boolean =>
  st === S.thpRo || st === S.thpRw || st === S.thpZero || st === S.thpProtnone;
const or = (a: Bits, b: Bits): Bits => ({ lo: (a.lo | b.lo) >>> 0, hi: (a.hi | b.hi) >>> 0 });

/** hmm_vma_handle_pte() (v5.2): the entry is set to values[NONE] before anything else. */
function handlePte(walk: Walk, addr: number, end: number): number {
  const { mm, w, startVpn, rec } = walk.env;
  const i = addr - startVpn;
  const inLo = w[2 * i];
  const inHi = w[2 * i + 1];
  setWord(walk, i, walk.L.NONE);
  const st = mm.stateOf(addr);
  const need: Need = { fault: false, write: false };
  const L = walk.L;
  let cpu = ZERO;
  let out: Bits | null = L.NONE;
  let error = 0;
  /** The statement this pte ends on when no fault is needed, and whether need was computed. */
  let stmt: Statement = 'pte.out';
  let asked = true;

  if (st === S.none) {
    stmt = 'pte.none';
    pteNeedFault(walk, inLo, inHi, ZERO, need);
  } else if (st === S.swap) {
    stmt = 'pte.swap';
    asked = false;
  } else if (isMigration(st)) {
    // Read-only or writable alike: the need is never computed, so neither is waited for.
    stmt = 'pte.migration';
    asked = false;
  } else if (isDevicePrivate(st)) {
    stmt = 'pte.devpriv';
    cpu = or(or(L.VALID, L.DEVICE_PRIVATE), devicePrivateWritable(st) ? L.WRITE : ZERO);
    pteNeedFault(walk, inLo, inHi, cpu, need);
    if (!need.fault && !need.write) out = or(entryFromPfn(walk, mm.pfnOf(addr)), cpu);
  } else if (!isPresent(st)) {
    stmt = 'pte.error';
    asked = false;
    out = L.ERROR; // hwpoison and any other entry
    error = ERR.EFAULT;
  } else {
    // v5.2 does not test pte_protnone: a NUMA-hinting pte counts as present and readable.
    cpu = isWritable(st) ? or(L.VALID, L.WRITE) : L.VALID;
    pteNeedFault(walk, inLo, inHi, cpu, need);
    if (!need.fault && !need.write) {
      if (st === S.zero || st === S.special) {
        stmt = 'pte.special';
        out = L.SPECIAL;
        error = ERR.EFAULT;
      } else {
        out = or(entryFromPfn(walk, mm.pfnOf(addr)), cpu);
      }
    }
  }

  const faulting = need.fault || need.write;
  if (rec.full) {
    const reqLo = ((inLo & walk.mask.lo) | walk.def.lo) >>> 0;
    const reqHi = ((inHi & walk.mask.hi) | walk.def.hi) >>> 0;
    const asks = !walk.fault
      ? ASKS_SNAPSHOT
      : has(reqLo, reqHi, L.VALID)
        ? has(reqLo, reqHi, L.WRITE)
          ? ASKS_WRITE
          : ASKS_READ
        : ASKS_NOTHING;
    const outHex = faulting ? null : hex64(out.lo, out.hi);
    rec.emit(
      {
        type: 'pte',
        // A fault leaves through the fault: label, from the branch that found it.
        stmt: faulting
          ? stmt === 'pte.none'
            ? 'pte.none.fault'
            : stmt === 'pte.devpriv'
              ? 'pte.devpriv.fault'
              : 'pte.present.fault'
          : stmt,
        needStmt: asked ? needStatement(walk, reqLo, reqHi, cpu) : undefined,
        fn: 'hmm_vma_handle_pte',
        page: i,
        input: hex64(inLo, inHi),
        req: hex64(reqLo, reqHi),
        cpuFlags: hex64(cpu.lo, cpu.hi),
        cpuState: stateName(st),
        need: needBits(need),
        out: outHex,
        say: asks,
      },
      outHex === null ? [] : [{ kind: 'pfn', page: i, value: outHex, input: false }],
    );
  }
  if (faulting) return walkHole_(walk, addr, end, need);
  setWord(walk, i, out);
  return error;
}

function emitFill(walk: Walk, from: number, to: number, fn: string, stmt: Statement, step: boolean): void {
  const { w, rec } = walk.env;
  const value = hex64(w[2 * from], w[2 * from + 1]);
  rec.emit(
    {
      type: 'fill',
      stmt,
      fn,
      from,
      to,
      value,
      pfnStep: step,
    },
    // A layout with pfn_shift > 0 steps the word by 1 << shift, so list each word.
    step && walk.L.shift === 0
      ? [{ kind: 'pfnFill', from, to, value, step: true }]
      : Array.from({ length: to - from }, (_, k) => ({
          kind: 'pfn' as const,
          page: from + k,
          value: hex64(w[2 * (from + k)], w[2 * (from + k) + 1]),
          input: false,
        })),
  );
}

/**
 * hmm_vma_walk_hugetlb_entry() (v5.2, page_shift = PAGE_SHIFT): only the first page's request
 * counts; a none huge pte is filled like a mapped one, so hmm_device_entry_from_pfn() marks the
 * bogus pfn 0 + offset VALID.
 */
function hugetlbEntry(walk: Walk, start: number, end: number): number {
  const { mm, w, startVpn, rec } = walk.env;
  const slot = mm.slot(start);
  const st = slot?.huge ? slot.hugeState : S.none;
  const i = start - startVpn;
  const inLo = w[2 * i];
  const inHi = w[2 * i + 1];
  setWord(walk, i, walk.L.NONE);
  const cpu = st === S.none ? ZERO : isWritable(st) ? or(walk.L.VALID, walk.L.WRITE) : walk.L.VALID;
  const need: Need = { fault: false, write: false };
  pteNeedFault(walk, inLo, inHi, cpu, need);
  rec.emit({
    type: 'pmd',
    stmt: need.fault || need.write ? 'hugetlb.fault' : 'hugetlb',
    fn: 'hmm_vma_walk_hugetlb_entry',
    from: i,
    to: end - startVpn,
    need: needBits(need),
    say: { v52: true, state: stateName(st) },
  });
  if (need.fault || need.write) return walkHole_(walk, start, end, need);
  const base = (st === S.none ? 0 : slot!.hugePfn) + (start % PMD_PAGES);
  for (let a = start, p = base; a < end; a++, p++)
    setWord(walk, a - startVpn, or(entryFromPfn(walk, p), cpu));
  if (rec.full) emitFill(walk, i, end - startVpn, 'hmm_vma_walk_hugetlb_entry', 'hugetlb.fill', true);
  walk.last = end;
  return 0;
}
