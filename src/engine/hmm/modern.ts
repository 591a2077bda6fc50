/**
 * hmm_range_fault() of the v5.8+ API (mm/hmm.c and mm/pagewalk.c), shared by Linux 6.1, 6.12 and
 * 7.3: the walk over the range, one callback per page-table level, hmm_pte_need_fault() deciding
 * per page, and a fault over a whole span before the walk restarts at `last`. Spec:
 * hmm-semantics.md 2.1 and 2.4-2.6, corrected by the 6.1 recordings (kernel-fixtures README), and
 * 10.1-10.2 for what 7.3 does differently, which the generation's ModernHmm switches on:
 * record-then-fault (hmm_record_fault, the walk unwinds, hmm_do_fault), the sticky DMA bits kept
 * on every output, pte markers, device-private pmds and -ENOMEM for VM_FAULT_OOM.
 *
 * The output layout is fixed by the generation's hmm.h: bit 63 VALID / REQ_FAULT, 62 WRITE /
 * REQ_WRITE, 61 ERROR, the map order at bit 56 (6.x) or 53 (7.x), the pfn below. Only the high
 * half of a word holds flags.
 */
import type { ModernHmm, PfnLayout } from '../kernels/generation.ts';
import { FAULT_FLAG, finishMigration, migrationOutcome, VM_FAULT, VM_FAULT_ERROR } from '../mm/fault.ts';
import { PMD_PAGES, type MmVma } from '../mm/mm.ts';
import { type HoleLevel, type PagewalkOps, walkHugetlbRange, walkPgdRange } from '../mm/pagewalk.ts';
import {
  devicePrivateIsOwn,
  devicePrivateWritable,
  isDevicePrivate,
  isDevicePrivatePmd,
  isMigration,
  isMigrationPmd,
  isPresent,
  isPresentNormal,
  isWritable,
  S,
  stateName,
} from '../mm/states.ts';
import type { Statement } from '../statements.ts';
import { CPU_STATES, type Say } from '../types.ts';
import { type WalkEnv, faultLoop, Livelock, ProgressGuard, walkBudget } from './env.ts';
import { ERR, hex64, NEED_FAULT, NEED_WRITE_FAULT, V6 } from './words.ts';

export { NEED_FAULT, NEED_WRITE_FAULT, V6 };

/** What some events' sentences need besides their fields (trace/text.ts). */
const UNLOCKED: Say = { unlocked: true };
const KEPT: Say = { kept: true };
const AFTER_RW: Say = { after: 'rw' };
const AFTER_COW: Say = { after: 'cow' };
const AFTER_OTHER: Say = { after: 'other' };

/** 7.x HMM_FAULT_PENDING (-EAGAIN, private to mm/hmm.c): a callback recorded a fault. */
const HMM_FAULT_PENDING = ERR.EAGAIN;
/** 7.3 HMM_FAULT_UNLOCKED (-ENOLCK, private to mm/hmm.c): a fault returned with mmap_lock dropped. */
const HMM_FAULT_UNLOCKED = -37;

/**
 * 7.3's `bool *locked` of hmm_range_fault_locked(): null for the locked hmm_range_fault(); for
 * the unlocked call, set false by hmm_do_fault() when a fault dropped mmap_lock.
 */
export interface LockedFlag {
  value: boolean;
}

/** How one call of the walk loop is made: 7.3's unlocked call runs it once per pass. */
export interface LockedPass {
  locked: LockedFlag;
  /** The pass of hmm_range_fault_unlocked_timeout() (1-based): after the first, the walk restarts at range->start. */
  pass: number;
}
const NEED_ALL = 3;
/** REQ_FAULT | REQ_WRITE and VALID | WRITE as the int32 values the bitwise operators give. */
const REQ_BOTH = V6.REQ_FAULT | V6.REQ_WRITE | 0;
const VALID_WRITE = V6.VALID | V6.WRITE;
/**
 * Per CPU state, the flags hmm_vma_handle_pte() reports for a present normal pte (or the zero
 * page) that needs no fault: VALID | WRITE for rw, VALID for ro, cow and zero, and 0 for every
 * other state, which takes hmm_vma_handle_pte() in full. One load instead of four comparisons
 * per page in the walk's common case (per-pte-table.test.ts pins it against isPresentNormal).
 */
export const INLINE_PTE_FLAGS = Int32Array.from(CPU_STATES, (_, c) =>
  isPresentNormal(c) ? (isWritable(c) ? VALID_WRITE : V6.VALID) : 0,
);

interface Walk {
  env: WalkEnv;
  model: ModernHmm;
  /** hmm_vma_walk.last, a vpn. */
  last: number;
  defHi: number;
  maskHi: number;
  ownerThis: boolean;
  /** HMM_PFN_ORDER_SHIFT - 32, and order 9 (a 2 MiB mapping) in place, in the high half. */
  orderShiftHi: number;
  pmdOrderHi: number;
  /** HMM_PFN_INOUT_FLAGS in the high half: input bits every output keeps (0 before 7.x). */
  stickyHi: number;
  /** 7.x hmm_vma_walk.end / required_fault / the vma, set by hmm_record_fault. */
  pendingEnd: number;
  pendingNeed: number;
  pendingVma: MmVma | null;
  /** 7.3 hmm_vma_walk.locked: non-null only in hmm_range_fault_unlocked_timeout(). */
  locked: LockedFlag | null;
  /** Each vma's page-walk callbacks, made once per call (see opsFor). */
  ops: Map<MmVma, PagewalkOps>;
}

const hiOf = (w: bigint): number => Number((w >> 32n) & 0xffffffffn) | 0;

/** hmm_range_fault(range): 0 or -errno, for a generation's hmm_pfns layout and mm/hmm.c. */
export function hmmRangeFault(env: WalkEnv, layout: PfnLayout, model: ModernHmm): number {
  return hmmRangeFaultLocked(env, layout, model, null);
}

/**
 * 7.3 hmm_range_fault_locked(range, locked) (hmm-semantics.md 10.2-10.3): the walk loop, from
 * range->start. With `unlocked` (one pass of hmm_range_fault_unlocked_timeout) faults may drop
 * mmap_lock: the pass then ends at once with -EINTR (a fatal signal is pending) or -EBUSY, and
 * locked.value false. Before 7.3 (and for hmm_range_fault) `unlocked` is null.
 */
export function hmmRangeFaultLocked(
  env: WalkEnv,
  layout: PfnLayout,
  model: ModernHmm,
  unlocked: LockedPass | null,
): number {
  const s = env.scenario;
  const orderShiftHi = Number(layout.orderShift) - 32;
  const walk: Walk = {
    env,
    model,
    last: env.startVpn,
    defHi: hiOf(s.defaultFlags),
    maskHi: hiOf(s.pfnFlagsMask),
    ownerThis: s.devicePrivateOwner === 'this',
    orderShiftHi,
    pmdOrderHi: 9 << orderShiftHi,
    stickyHi: hiOf(layout.sticky.reduce((a, [, bits]) => a | bits, 0n)),
    pendingEnd: 0,
    pendingNeed: 0,
    pendingVma: null,
    locked: unlocked ? unlocked.locked : null,
    ops: new Map(),
  };
  const end = env.startVpn + env.npages;
  const budget = walkBudget(env.npages);
  const { rec } = env;
  // A pass after the first restarts the walk at range->start: it counts as a restart.
  const laterPass = unlocked !== null && unlocked.pass > 1 ? 1 : 0;
  rec.push(unlocked ? 'hmm_range_fault_locked' : 'hmm_range_fault');
  let ret: number;
  let walks = 0;
  const guard = new ProgressGuard();
  env.returnStmt = 'return';
  try {
    do {
      // If the range is no longer valid, force the driver to retry.
      if (env.invalidated()) {
        ret = ERR.EBUSY;
        env.returnStmt = 'return.busy';
        rec.emit({
          type: 'driver',
          fn: 'mmu_interval_check_retry',
          stmt: 'check_retry',
          value: true,
          ...(unlocked ? { say: UNLOCKED } : {}),
        });
        break;
      }
      if (walks > 0 || laterPass) env.restarts++;
      if (++walks > budget) throw new Livelock(`the walk restarted ${budget} times without finishing`);
      env.walks++;
      const from = walk.last - env.startVpn;
      rec.emit({
        type: 'walk',
        stmt: walks === 1 ? 'walk' : 'restart',
        fn: 'walk_page_range',
        from,
        to: env.npages,
        restart: walks - 1 + laterPass,
        ...(walks === 1 && laterPass ? { say: { pass: unlocked!.pass } } : {}),
      });
      rec.push('walk_page_range');
      const generation = env.mm.generation;
      ret = walkPageRange(walk, walk.last, end);
      rec.pop();
      if (ret === HMM_FAULT_PENDING) {
        ret = hmmDoFault(walk);
        if (ret === HMM_FAULT_UNLOCKED) {
          // The fault dropped mmap_lock: this pass ends; the outer loop must not unlock.
          ret = env.fatalSignal ? ERR.EINTR : ERR.EBUSY;
          rec.emit({
            type: 'driver',
            stmt: 'drv.fault_unlocked',
            fn: 'fault_unlocked',
            value: null,
            ...(env.fatalSignal ? { say: { fatal: true } } : {}),
          });
          break;
        }
      }
      if (ret === ERR.EBUSY) guard.afterBusyWalk(walk.last, generation, env.mm.generation, env.startVpn);
    } while (ret === ERR.EBUSY);
  } finally {
    rec.pop();
  }
  return ret;
}

/** walk_page_range(): visit every vma overlapping [start, end), and the gaps between them. */
function walkPageRange(walk: Walk, start: number, end: number): number {
  const { mm } = walk.env;
  let vma = mm.findVma(start);
  let err = 0;
  let next: number;
  do {
    if (!vma) {
      next = end;
      err = walkHole(walk, start, next, null, 'novma');
    } else if (start < vma.start) {
      next = Math.min(end, vma.start);
      err = walkHole(walk, start, next, null, 'novma');
    } else {
      const cur = vma;
      next = Math.min(end, cur.end);
      vma = mm.findVma(cur.end);
      // hmm_vma_walk_test(): > 0 skips this vma (its entries are filled), < 0 ends the walk.
      const test = walkTest(walk, start, next, cur);
      if (test < 0) {
        err = test;
        break;
      }
      if (test === 0) {
        err =
          cur.special === 'hugetlb'
            ? walkHugetlbRange(mm, start, next, opsFor(walk, cur))
            : walkPgdRange(mm, start, next, true, opsFor(walk, cur));
      }
    }
    if (err) break;
  } while ((start = next) < end);
  return err;
}

/**
 * HMM's callbacks for the page walker (hmm_walk_ops), bound to this walk and vma. Made once per
 * vma and call, not once per walk: a million-page call restarts its walk a thousand times, each
 * over several vmas, and the closures were a good part of a walk's garbage. A vma a concurrent
 * op replaces (split, unmapped) is a new object, so it gets its own.
 */
function opsFor(walk: Walk, vma: MmVma): PagewalkOps {
  let ops = walk.ops.get(vma);
  if (ops === undefined) {
    ops = {
      hole: (start, end, level) => walkHole(walk, start, end, vma, level),
      pmdEntry: (start, end) => walkPmd(walk, start, end, vma),
      hugetlbEntry: (start, end) => hugetlbEntry(walk, start, end, vma),
    };
    walk.ops.set(vma, ops);
  }
  return ops;
}

/** hmm_pte_need_fault(): what this page's request needs, given the CPU flags (high half). */
function pteNeedFault(walk: Walk, i: number, cpuHi: number): number {
  const req = (walk.env.w[2 * i + 1] & walk.maskHi) | walk.defHi;
  if (!(req & V6.REQ_FAULT)) return 0;
  if (req & V6.REQ_WRITE && !(cpuHi & V6.WRITE)) return NEED_FAULT | NEED_WRITE_FAULT;
  if (!(cpuHi & V6.VALID)) return NEED_FAULT;
  return 0;
}

/** hmm_range_need_fault(): the need of a span, OR-ed over its pages. */
function rangeNeedFault(walk: Walk, from: number, to: number, cpuHi: number): number {
  // Neither default_flags nor the mask can ask for a fault: a pure snapshot.
  if (!((walk.defHi | walk.maskHi) & V6.REQ_FAULT)) return 0;
  let need = 0;
  for (let i = from; i < to; i++) {
    need |= pteNeedFault(walk, i, cpuHi);
    if (need === NEED_ALL) break;
  }
  return need;
}

/**
 * Entries [from, to) (range indices) set to one word: hmm_pfns_fill(), or, with `step`, the
 * consecutive pfns of a huge mapping (one set of flags and the map order).
 */
function fillEntries(
  walk: Walk,
  from: number,
  to: number,
  lo: number,
  hi: number,
  fn: string,
  stmt: Statement,
  step = false,
): void {
  const { w, written, rec } = walk.env;
  const sticky = walk.stickyHi;
  // 7.x keeps the input's sticky DMA bits (HMM_PFN_INOUT_FLAGS); a page that has some gets its
  // own effect, so a replay shows exactly the word each page holds.
  const kept: { kind: 'pfn'; page: number; value: string; input: false }[] = [];
  for (let i = from, p = lo; i < to; i++, p += step ? 1 : 0) {
    const keep = w[2 * i + 1] & sticky;
    w[2 * i] = p;
    w[2 * i + 1] = keep | hi;
    if (keep && rec.full) kept.push({ kind: 'pfn', page: i, value: hex64(p, keep | hi), input: false });
  }
  written.add(from, to);
  if (!rec.full) return;
  const value = hex64(lo, hi);
  const say: Say | undefined = step
    ? { order: (hi >>> walk.orderShiftHi) & 0x1f }
    : kept.length
      ? KEPT
      : undefined;
  const ev = { type: 'fill', stmt, fn, from, to, value, pfnStep: step } as const;
  rec.emit(say ? { ...ev, say } : ev, [{ kind: 'pfnFill', from, to, value, step }, ...kept]);
}

/** hmm_vma_walk_test(): vmas HMM cannot mirror are an error only where a fault was asked. */
function walkTest(walk: Walk, start: number, end: number, vma: MmVma): number {
  const { rec, startVpn } = walk.env;
  const from = start - startVpn;
  const to = end - startVpn;
  // 6.1 accepts VM_MIXEDMAP (since 5.17); VM_IO / VM_PFNMAP have no struct pages to report.
  const bad = vma.special === 'io' || vma.special === 'pfnmap';
  if (!bad && vma.read) return 0;
  const why = bad ? `a VM_${vma.special === 'io' ? 'IO' : 'PFNMAP'} vma` : 'a vma without VM_READ';
  const need = rangeNeedFault(walk, from, to, 0);
  rec.emit({
    type: 'vma',
    stmt: need ? 'test.efault' : 'test',
    fn: 'hmm_vma_walk_test',
    from,
    to,
    ok: false,
    why,
  });
  if (need) return ERR.EFAULT;
  fillEntries(walk, from, to, 0, V6.ERROR, 'hmm_vma_walk_test', 'test.fill');
  return 1;
}

/** hmm_vma_walk_hole(): no page table below this level (or no vma at all). */
function walkHole(walk: Walk, start: number, end: number, vma: MmVma | null, level: HoleLevel): number {
  const { rec, startVpn } = walk.env;
  const from = start - startVpn;
  const to = end - startVpn;
  const need = rangeNeedFault(walk, from, to, 0);
  if (rec.full) {
    rec.emit({
      type: 'hole',
      stmt: !vma
        ? need
          ? 'hole.novma.efault'
          : 'hole.novma'
        : level === 'pmd'
          ? need
            ? 'hole.pmd.fault'
            : 'hole.pmd'
          : need
            ? 'hole.fault'
            : 'hole',
      fn: 'hmm_vma_walk_hole',
      from,
      to,
      level,
      need,
    });
  }
  if (!vma) {
    if (need) return ERR.EFAULT;
    fillEntries(walk, from, to, 0, V6.ERROR, 'hmm_vma_walk_hole', 'hole.novma.fill');
    return 0;
  }
  if (need) {
    rec.push('hmm_vma_walk_hole');
    try {
      return faultSpan(walk, start, end, need, vma);
    } finally {
      rec.pop();
    }
  }
  fillEntries(walk, from, to, 0, 0, 'hmm_vma_walk_hole', 'hole.fill');
  return 0;
}

/**
 * A callback found pages [start, end) that need a fault: 6.x faults them now (hmm_vma_fault),
 * 7.x records them and unwinds the walk first (hmm_record_fault).
 */
function faultSpan(walk: Walk, start: number, end: number, need: number, vma: MmVma): number {
  return walk.model.recordThenFault
    ? hmmRecordFault(walk, start, end, need, vma)
    : hmmVmaFault(walk, start, end, need, vma);
}

/** 7.x hmm_record_fault(): last = start, end, required_fault; HMM_FAULT_PENDING unwinds the walk. */
function hmmRecordFault(walk: Walk, start: number, end: number, need: number, vma: MmVma): number {
  const { rec, startVpn } = walk.env;
  walk.last = start;
  walk.pendingEnd = end;
  walk.pendingNeed = need;
  walk.pendingVma = vma;
  if (rec.full) {
    rec.push('hmm_record_fault');
    rec.emit({
      type: 'record',
      stmt: 'record',
      fn: 'hmm_record_fault',
      from: start - startVpn,
      to: end - startVpn,
      need,
    });
    rec.pop();
  }
  return HMM_FAULT_PENDING;
}

/**
 * 7.x: walk_page_range() returned HMM_FAULT_PENDING with every page-table lock and mapping
 * released; hmm_do_fault() faults the recorded span (hmm-semantics.md 10.2).
 */
function hmmDoFault(walk: Walk): number {
  const { rec, startVpn, npages } = walk.env;
  const start = walk.last;
  const end = walk.pendingEnd;
  const vma = walk.pendingVma!;
  walk.pendingVma = null;
  if (rec.full) {
    rec.emit({
      type: 'unwind',
      stmt: 'unwind',
      fn: 'walk_page_range',
      from: start - startVpn,
      to: npages,
    });
    rec.emit({
      type: 'dofault',
      stmt: 'do_fault',
      fn: 'hmm_do_fault',
      from: start - startVpn,
      to: end - startVpn,
      write: (walk.pendingNeed & NEED_WRITE_FAULT) !== 0,
    });
  }
  rec.push('hmm_do_fault');
  try {
    return faultPages(walk, start, end, walk.pendingNeed, vma, 'hmm_do_fault');
  } finally {
    rec.pop();
  }
}

/** hmm_vma_fault(): fault every page of [start, end), then restart the walk at `last`. */
function hmmVmaFault(walk: Walk, start: number, end: number, need: number, vma: MmVma): number {
  walk.last = start;
  return faultPages(walk, start, end, need, vma, 'hmm_vma_fault');
}

/**
 * The loop hmm_vma_fault (6.x) and hmm_do_fault (7.x) share: -EPERM for a write fault in a vma
 * without VM_WRITE, else handle_mm_fault on every page in order, stopping at the first error
 * (whose errno is the generation's: always -EFAULT in 6.x, vm_fault_to_errno in 7.x); -EBUSY
 * makes the walk restart at `last`.
 */
function faultPages(
  walk: Walk,
  start: number,
  end: number,
  need: number,
  vma: MmVma,
  fn: 'hmm_vma_fault' | 'hmm_do_fault',
): number {
  const { rec, startVpn } = walk.env;
  const write = (need & NEED_WRITE_FAULT) !== 0;
  if (write && !vma.write) {
    rec.emit({
      type: 'vma',
      stmt: 'vfault.eperm',
      fn,
      from: start - startVpn,
      to: end - startVpn,
      ok: false,
      why: 'write fault on a vma without VM_WRITE',
    });
    return ERR.EPERM;
  }
  const nested = fn === 'hmm_vma_fault';
  // 7.3 hmm_do_fault(): the unlocked call lets the fault drop mmap_lock (and be killed).
  const flags =
    FAULT_FLAG.REMOTE |
    (walk.locked ? FAULT_FLAG.ALLOW_RETRY | FAULT_FLAG.KILLABLE : 0) |
    (write ? FAULT_FLAG.WRITE : 0);
  const { env } = walk;
  return faultLoop(env, fn, start, write, (progress) => {
    if (nested) rec.push(fn);
    try {
      for (let a = start; a < end; a++) {
        if (env.faultRun !== undefined) {
          // The pages that need only a quick fault, in bulk; the first that needs more below.
          env.faultRun(vma, end, flags, progress);
          a = progress.end;
          if (a === end) break;
        }
        const code = env.fault(vma, a, flags).code;
        progress.end = a + 1;
        progress.code = code;
        if (code & VM_FAULT.RETRY) {
          // The rest of the span is not faulted: the handler released the lock.
          if (walk.locked) walk.locked.value = false;
          return HMM_FAULT_UNLOCKED;
        }
        if (code & VM_FAULT_ERROR) return walk.model.faultErrno(code);
      }
    } finally {
      if (nested) rec.pop();
    }
    return ERR.EBUSY;
  });
}

/** hmm_vma_walk_pmd(): a pmd entry that is present: a huge mapping or a pte table. */
function walkPmd(walk: Walk, start: number, end: number, vma: MmVma): number {
  const { mm, startVpn } = walk.env;
  const slot = mm.slot(start)!;
  const from = start - startVpn;
  const to = end - startVpn;
  if (slot.huge) {
    if (walk.model.devicePrivatePmd && isDevicePrivatePmd(slot.hugeState))
      return handleAbsentPmd(walk, start, end, vma, slot.hugeState, slot.hugePfn + (start % PMD_PAGES));
    if (isMigrationPmd(slot.hugeState)) {
      if (rangeNeedFault(walk, from, to, 0)) {
        walk.last = start;
        // pmd_migration_entry_wait(): the migration finishes, the walk restarts here and sees
        // the pmd remove_migration_pmd() installed (writable from a writable entry).
        finishMigration(mm, vma.write, start, slot.hugeState);
        return ERR.EBUSY;
      }
      fillEntries(walk, from, to, 0, 0, 'hmm_vma_walk_pmd', 'pmd.migration');
      return 0;
    }
    return handlePmd(walk, start, end, vma, slot.hugeState, slot.hugePfn + (start % PMD_PAGES));
  }
  const { w, written, rec } = walk.env;
  const states = slot.state!;
  const frames = slot.pfn!;
  const inline = !rec.full;
  const { maskHi, defHi } = walk;
  const sticky = walk.stickyHi;
  rec.push('hmm_vma_walk_pmd');
  // Every page before `i` has been written when the loop is at `i` (inline, or by handlePte,
  // which writes its page or returns non-zero): however the loop ends (done, a return, a throw),
  // [from, i) is marked written once, as one span.
  let i = from;
  try {
    for (let a = start, k = start % PMD_PAGES; a < end; a++, k++, i++) {
      // The common case inline: a present normal pte (or the zero page) that needs no fault is
      // reported as pfn | VALID (| WRITE): a writable one whatever was asked, a read-only one
      // unless the request asks for write. Everything else takes hmm_vma_handle_pte() in full.
      const flags = inline ? INLINE_PTE_FLAGS[states[k]] : 0;
      if (flags !== 0) {
        const inHi = w[2 * i + 1];
        if (flags === VALID_WRITE || (((inHi & maskHi) | defHi) & REQ_BOTH) !== REQ_BOTH) {
          w[2 * i] = frames[k];
          w[2 * i + 1] = (inHi & sticky) | flags;
          continue;
        }
      }
      const r = handlePte(walk, a, end, vma);
      if (r) return r;
    }
  } finally {
    written.add(from, i);
    rec.pop();
  }
  return 0;
}

/** hmm_vma_handle_pmd(): a huge pmd; the need is taken over the range's whole part of it. */
function handlePmd(walk: Walk, start: number, end: number, vma: MmVma, state: number, pfn: number): number {
  const { rec, startVpn } = walk.env;
  const from = start - startVpn;
  const to = end - startVpn;
  const cpuHi = state === S.thpProtnone ? 0 : V6.VALID | (isWritable(state) ? V6.WRITE : 0) | walk.pmdOrderHi;
  const need = rangeNeedFault(walk, from, to, cpuHi);
  rec.emit({
    type: 'pmd',
    stmt: need ? 'handle_pmd.fault' : 'handle_pmd',
    fn: 'hmm_vma_handle_pmd',
    from,
    to,
    need,
    say: { state: stateName(state) },
  });
  if (need) return faultSpan(walk, start, end, need, vma);
  fillEntries(walk, from, to, pfn, cpuHi, 'hmm_vma_handle_pmd', 'handle_pmd.fill', true);
  return 0;
}

/**
 * 7.x hmm_vma_handle_absent_pmd(): a device-private pmd. This device's own is reported page by
 * page (pfn + i, VALID, WRITE if writable, order 9) and never faulted; another owner's is faulted
 * over the range's part of the block when asked (migrate to RAM), else HMM_PFN_ERROR
 * (hmm-semantics.md 10.2; at pte level an unasked page of another owner gives 0).
 */
function handleAbsentPmd(
  walk: Walk,
  start: number,
  end: number,
  vma: MmVma,
  state: number,
  pfn: number,
): number {
  const { rec, startVpn } = walk.env;
  const from = start - startVpn;
  const to = end - startVpn;
  const own = devicePrivateIsOwn(state) && walk.ownerThis;
  const need = own ? 0 : rangeNeedFault(walk, from, to, 0);
  rec.emit({
    type: 'pmd',
    stmt: own ? 'absent.own' : need ? 'absent.fault' : 'absent.error',
    fn: 'hmm_vma_handle_absent_pmd',
    from,
    to,
    need,
  });
  if (own) {
    const cpuHi = V6.VALID | (devicePrivateWritable(state) ? V6.WRITE : 0) | walk.pmdOrderHi;
    fillEntries(walk, from, to, pfn, cpuHi, 'hmm_vma_handle_absent_pmd', 'absent.own', true);
    return 0;
  }
  if (need) return faultSpan(walk, start, end, need, vma);
  fillEntries(walk, from, to, 0, V6.ERROR, 'hmm_vma_handle_absent_pmd', 'absent.error');
  return 0;
}

/** hmm_vma_handle_pte(): one pte; a needed fault takes this page through the end of the chunk. */
function handlePte(walk: Walk, addr: number, end: number, vma: MmVma): number {
  const { mm, w, written, rec, startVpn } = walk.env;
  const i = addr - startVpn;
  const st = mm.stateOf(addr);
  let cpuHi = 0;
  let outLo = 0;
  let outHi = 0;
  let need = 0;
  let error = 0;

  if (st === S.none || st === S.uffdWp) {
    // 6.x pte_none_mostly() and 7.x pte_none() || uffd-wp marker: as none.
    need = pteNeedFault(walk, i, 0);
  } else if (st === S.guard && walk.model.markers) {
    // 7.x: a guard (or poison) marker asked for is -EFAULT, without handle_mm_fault.
    if (pteNeedFault(walk, i, 0)) error = ERR.EFAULT;
  } else if (isDevicePrivate(st) && devicePrivateIsOwn(st) && walk.ownerThis) {
    // The caller's own device memory is reported, never faulted.
    cpuHi = V6.VALID | (devicePrivateWritable(st) ? V6.WRITE : 0);
    outLo = mm.pfnOf(addr);
    outHi = cpuHi;
  } else if (st === S.swap || isMigration(st) || st === S.hwpoison || isDevicePrivate(st)) {
    need = pteNeedFault(walk, i, 0);
    if (need && isMigration(st)) {
      // migration_entry_wait(), then restart the walk at this page. The re-walk sees the pte
      // remove_migration_pte() installed: writable from a writable entry in a VM_WRITE vma.
      walk.last = addr;
      const after = migrationOutcome(mm, vma.write, addr, st);
      traceDecision(
        walk,
        i,
        st,
        0,
        need,
        null,
        after === S.rw ? AFTER_RW : after === S.cow ? AFTER_COW : AFTER_OTHER,
        'pte.migration',
      );
      finishMigration(mm, vma.write, addr, st);
      return ERR.EBUSY;
    }
    if (need && st === S.hwpoison) error = ERR.EFAULT;
  } else {
    cpuHi = st === S.protnone ? 0 : V6.VALID | (isWritable(st) ? V6.WRITE : 0);
    need = pteNeedFault(walk, i, cpuHi);
    if (!need) {
      if (st === S.special) {
        // Not a normal page (and not the zero page): an error if this page asks for validity.
        if (pteNeedFault(walk, i, 0)) error = ERR.EFAULT;
        else outHi = V6.ERROR;
      } else {
        outLo = mm.pfnOf(addr);
        outHi = cpuHi;
      }
    }
  }

  if (error) {
    traceDecision(
      walk,
      i,
      st,
      cpuHi,
      need,
      null,
      undefined,
      st === S.guard ? 'pte.marker' : st === S.special ? 'pte.special.efault' : 'pte.error',
    );
    return error;
  }
  if (need) {
    traceDecision(walk, i, st, cpuHi, need, null, undefined, pteFaultStatement(st));
    rec.push('hmm_vma_handle_pte');
    try {
      return faultSpan(walk, addr, end, need, vma);
    } finally {
      rec.pop();
    }
  }
  // 7.x keeps the input's sticky DMA bits (the out: label).
  outHi |= w[2 * i + 1] & walk.stickyHi;
  // Trace before the store: the event shows the input word the decision read.
  if (rec.full)
    traceDecision(walk, i, st, cpuHi, 0, hex64(outLo, outHi), undefined, pteOutStatement(walk, st));
  w[2 * i] = outLo;
  w[2 * i + 1] = outHi;
  written.add(i, i + 1);
  return 0;
}

/** The statement a pte that needs a fault takes to `goto fault`. */
function pteFaultStatement(st: number): Statement {
  if (st === S.none || st === S.uffdWp) return 'pte.none.fault';
  return isPresent(st) ? 'pte.present.fault' : 'pte.swap.fault';
}

/** The statement that writes a pte's output when no fault is needed. */
function pteOutStatement(walk: Walk, st: number): Statement {
  if (st === S.none || st === S.uffdWp) return 'pte.none';
  if (isDevicePrivate(st) && devicePrivateIsOwn(st) && walk.ownerThis) return 'pte.devpriv';
  if (st === S.special) return 'pte.special';
  if (st === S.swap || isMigration(st) || st === S.hwpoison || st === S.guard || isDevicePrivate(st))
    return 'pte.swap';
  return 'pte.out';
}

/** The branch hmm_pte_need_fault() took for a request and the CPU flags it was given. */
function needStatement(reqHi: number, cpuHi: number): Statement {
  if (!(reqHi & V6.REQ_FAULT)) return 'need.none';
  if (reqHi & V6.REQ_WRITE && !(cpuHi & V6.WRITE)) return 'need.write';
  return cpuHi & V6.VALID ? 'need.ok' : 'need.fault';
}

function traceDecision(
  walk: Walk,
  i: number,
  st: number,
  cpuHi: number,
  need: number,
  out: string | null,
  /** What the sentence needs besides the event's fields (a migration entry's outcome). */
  say: Say | undefined,
  stmt: Statement,
): void {
  const { rec, w } = walk.env;
  if (!rec.full) return;
  const inLo = w[2 * i];
  const inHi = w[2 * i + 1];
  const reqHi = ((inHi & walk.maskHi) | walk.defHi) >>> 0;
  const reqLo = 0; // no request bit lives in the low half in this layout
  const name = stateName(st);
  const ev = {
    type: 'pte',
    stmt,
    // This device's own device-private page is reported without asking hmm_pte_need_fault.
    needStmt: stmt === 'pte.devpriv' ? undefined : needStatement(reqHi | 0, cpuHi),
    fn: 'hmm_vma_handle_pte',
    page: i,
    input: hex64(inLo, inHi),
    req: hex64(reqLo, reqHi),
    cpuFlags: hex64(0, cpuHi),
    cpuState: name,
    need,
    out,
  } as const;
  rec.emit(
    say ? { ...ev, say } : ev,
    out === null ? [] : [{ kind: 'pfn', page: i, value: out, input: false }],
  );
}

/**
 * hmm_vma_walk_hugetlb_entry(): only the first range page of the huge page is asked (fixtures
 * 239, 240, 249); a none huge pte reports pfn 0 + offset with the order and no flags (240).
 */
function hugetlbEntry(walk: Walk, start: number, end: number, vma: MmVma): number {
  const { mm, rec, startVpn } = walk.env;
  const slot = mm.slot(start);
  const st = slot?.huge ? slot.hugeState : S.none;
  const from = start - startVpn;
  const to = end - startVpn;
  const cpuHi = (st === S.none ? 0 : V6.VALID | (isWritable(st) ? V6.WRITE : 0)) | walk.pmdOrderHi;
  const need = pteNeedFault(walk, from, cpuHi);
  rec.emit({
    type: 'pmd',
    stmt: need ? 'hugetlb.fault' : 'hugetlb',
    fn: 'hmm_vma_walk_hugetlb_entry',
    from,
    to,
    need,
    say: { state: stateName(st) },
  });
  if (need) return faultSpan(walk, start, end, need, vma);
  const base = (st === S.none ? 0 : slot!.hugePfn) + (start % PMD_PAGES);
  fillEntries(walk, from, to, base, cpuHi, 'hmm_vma_walk_hugetlb_entry', 'hugetlb.fill', true);
  return 0;
}
