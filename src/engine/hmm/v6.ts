/**
 * hmm_range_fault() as Linux 6.1 implements it (mm/hmm.c and mm/pagewalk.c): the walk over the
 * range, one callback per page-table level, hmm_pte_need_fault() deciding per page, and
 * hmm_vma_fault() faulting a whole span before the walk restarts at `last`. Spec: hmm-semantics.md
 * 2.1 and 2.4-2.6, corrected by the 6.1 recordings (kernel-fixtures README).
 *
 * The output layout is fixed by the kernel: bit 63 VALID / REQ_FAULT, 62 WRITE / REQ_WRITE, 61
 * ERROR, bits 56-60 the map order, the pfn below. Only the high half of a word holds flags.
 */
import { VM_FAULT_ERROR } from '../mm/fault.ts';
import { PMD_PAGES, type MmVma } from '../mm/mm.ts';
import { type HoleLevel, type PagewalkOps, walkHugetlbRange, walkPgdRange } from '../mm/pagewalk.ts';
import {
  devicePrivateIsOwn,
  devicePrivateWritable,
  isDevicePrivate,
  isPresentNormal,
  isWritable,
  S,
  stateName,
} from '../mm/states.ts';
import { type WalkEnv, emitFaultSpan, Livelock, ProgressGuard, walkBudget } from './env.ts';
import { ERR, hex64 } from './words.ts';

/**
 * High-half bits of the 6.1 layout, as the int32 values the bitwise operators give (the pfns
 * array is read through an Int32Array view, see words.ts).
 */
export const V6 = {
  VALID: 0x80000000 | 0,
  WRITE: 0x40000000,
  ERROR: 0x20000000,
  ORDER_SHIFT: 24, // bit 56 - 32
  ORDER_MASK: 0x1f000000,
  REQ_FAULT: 0x80000000 | 0,
  REQ_WRITE: 0x40000000,
} as const;
/** HMM_NEED_FAULT / HMM_NEED_WRITE_FAULT. */
export const NEED_FAULT = 1;
export const NEED_WRITE_FAULT = 2;
const NEED_ALL = 3;
const PMD_ORDER_HI = 9 << V6.ORDER_SHIFT;
const { rw: RW } = S;
/** REQ_FAULT | REQ_WRITE and VALID | WRITE as the int32 values the bitwise operators give. */
const REQ_BOTH = V6.REQ_FAULT | V6.REQ_WRITE | 0;
const VALID_WRITE = V6.VALID | V6.WRITE;

interface Walk {
  env: WalkEnv;
  /** hmm_vma_walk.last, a vpn. */
  last: number;
  defHi: number;
  maskHi: number;
  ownerThis: boolean;
}

/** hmm_range_fault(range): 0 or -errno. */
export function hmmRangeFault(env: WalkEnv): number {
  const s = env.scenario;
  const walk: Walk = {
    env,
    last: env.startVpn,
    defHi: Number((s.defaultFlags >> 32n) & 0xffffffffn) | 0,
    maskHi: Number((s.pfnFlagsMask >> 32n) & 0xffffffffn) | 0,
    ownerThis: s.devicePrivateOwner === 'this',
  };
  const end = env.startVpn + env.npages;
  const budget = walkBudget(env.npages);
  const { rec } = env;
  rec.push('hmm_range_fault');
  let ret: number;
  let walks = 0;
  const guard = new ProgressGuard();
  try {
    do {
      // If the range is no longer valid, force the driver to retry.
      if (env.invalidated()) {
        ret = ERR.EBUSY;
        rec.emit({
          type: 'driver',
          fn: 'mmu_interval_read_retry',
          value: true,
          text: 'mmu_interval_check_retry(): an invalidation ran since read_begin, so hmm_range_fault returns -EBUSY.',
        });
        break;
      }
      if (walks > 0) env.restarts++;
      if (++walks > budget) throw new Livelock(`the walk restarted ${budget} times without finishing`);
      const from = walk.last - env.startVpn;
      rec.emit({
        type: 'walk',
        fn: 'walk_page_range',
        from,
        to: env.npages,
        restart: walks - 1,
        text:
          walks === 1
            ? `walk_page_range() over pages ${from}-${env.npages - 1}.`
            : `The walk restarts at last = page ${from}: pages before it already hold their output.`,
      });
      rec.push('walk_page_range');
      const generation = env.mm.generation;
      ret = walkPageRange(walk, walk.last, end);
      rec.pop();
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

/** HMM's callbacks for the page walker (hmm_walk_ops), bound to this walk and vma. */
function opsFor(walk: Walk, vma: MmVma): PagewalkOps {
  return {
    hole: (start, end, level) => walkHole(walk, start, end, vma, level),
    pmdEntry: (start, end) => walkPmd(walk, start, end, vma),
    hugetlbEntry: (start, end) => hugetlbEntry(walk, start, end, vma),
  };
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
  step = false,
): void {
  const { w, holdsInput, rec } = walk.env;
  for (let i = from, p = lo; i < to; i++, p += step ? 1 : 0) {
    w[2 * i] = p;
    w[2 * i + 1] = hi;
    holdsInput[i] = 0;
  }
  if (!rec.full) return;
  const value = hex64(lo, hi);
  const text = step
    ? `Pages ${from}-${to - 1} reported from one huge mapping, order ${(hi & V6.ORDER_MASK) >>> V6.ORDER_SHIFT}.`
    : `hmm_pfns_fill(): pages ${from}-${to - 1} set to ${value === '0x0' ? '0 (nothing mapped)' : 'HMM_PFN_ERROR'}.`;
  rec.emit({ type: 'fill', fn, from, to, value, pfnStep: step, text }, [
    { kind: 'pfnFill', from, to, value, step },
  ]);
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
    fn: 'hmm_vma_walk_test',
    from,
    to,
    ok: false,
    why,
    text: need
      ? `Pages ${from}-${to - 1} lie in ${why} and one of them asks for a fault: -EFAULT.`
      : `Pages ${from}-${to - 1} lie in ${why}; none asks for a fault, so they are reported as HMM_PFN_ERROR.`,
  });
  if (need) return ERR.EFAULT;
  fillEntries(walk, from, to, 0, V6.ERROR, 'hmm_vma_walk_test');
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
      fn: 'hmm_vma_walk_hole',
      from,
      to,
      level,
      need,
      text:
        level === 'novma'
          ? `Pages ${from}-${to - 1} are in no vma${need ? ' and one asks for a fault: -EFAULT' : ': HMM_PFN_ERROR'}.`
          : `Pages ${from}-${to - 1} are a hole (no ${level === 'hugetlb' ? 'huge pte table' : level + ' entry'})${
              need
                ? `: the need is taken over the whole hole, ${need & NEED_WRITE_FAULT ? 'write' : 'read'}-fault it`
                : ': nothing asked, report 0'
            }.`,
    });
  }
  if (!vma) {
    if (need) return ERR.EFAULT;
    fillEntries(walk, from, to, 0, V6.ERROR, 'hmm_vma_walk_hole');
    return 0;
  }
  if (need) {
    rec.push('hmm_vma_walk_hole');
    try {
      return hmmVmaFault(walk, start, end, need, vma);
    } finally {
      rec.pop();
    }
  }
  fillEntries(walk, from, to, 0, 0, 'hmm_vma_walk_hole');
  return 0;
}

/** hmm_vma_fault(): fault every page of [start, end), then restart the walk at `last`. */
function hmmVmaFault(walk: Walk, start: number, end: number, need: number, vma: MmVma): number {
  const { rec, startVpn } = walk.env;
  walk.last = start;
  const write = (need & NEED_WRITE_FAULT) !== 0;
  if (write && !vma.write) {
    rec.emit({
      type: 'vma',
      fn: 'hmm_vma_walk_test',
      from: start - startVpn,
      to: end - startVpn,
      ok: false,
      why: 'write fault on a vma without VM_WRITE',
      text: `A write fault is needed at page ${start - startVpn} but its vma has no VM_WRITE: -EPERM.`,
    });
    return ERR.EPERM;
  }
  rec.push('hmm_vma_fault');
  let a = start;
  let code = 0;
  try {
    for (; a < end; a++) {
      code = walk.env.fault(vma, a, write).code;
      if (code & VM_FAULT_ERROR) return ERR.EFAULT;
    }
  } finally {
    rec.pop();
    if (rec.on && !rec.full)
      emitFaultSpan(walk.env, 'hmm_vma_fault', start, Math.min(a + 1, end), write, code);
  }
  return ERR.EBUSY;
}

/** hmm_vma_walk_pmd(): a pmd entry that is present: a huge mapping or a pte table. */
function walkPmd(walk: Walk, start: number, end: number, vma: MmVma): number {
  const { mm, startVpn } = walk.env;
  const slot = mm.slot(start)!;
  const from = start - startVpn;
  const to = end - startVpn;
  if (slot.huge) {
    if (slot.hugeState === S.thpMigration) {
      if (rangeNeedFault(walk, from, to, 0)) {
        walk.last = start;
        // pmd_migration_entry_wait(): the migration finishes, the walk restarts here.
        mm.setHuge(start, S.thpRo, mm.allocHugePfn());
        return ERR.EBUSY;
      }
      fillEntries(walk, from, to, 0, 0, 'hmm_vma_walk_pmd');
      return 0;
    }
    return handlePmd(walk, start, end, vma, slot.hugeState, slot.hugePfn + (start % PMD_PAGES));
  }
  const { w, holdsInput, rec } = walk.env;
  const states = slot.state!;
  const frames = slot.pfn!;
  const inline = !rec.full;
  const { maskHi, defHi } = walk;
  rec.push('hmm_vma_walk_pmd');
  try {
    for (let a = start, k = start % PMD_PAGES, i = start - startVpn; a < end; a++, k++, i++) {
      // The common case inline: a present normal pte (or the zero page) that needs no fault is
      // reported as pfn | VALID (| WRITE). Everything else takes hmm_vma_handle_pte() in full.
      const st = states[k];
      if (inline && isPresentNormal(st)) {
        const asksWrite = (((w[2 * i + 1] & maskHi) | defHi) & REQ_BOTH) === REQ_BOTH;
        if (st === RW || !asksWrite) {
          w[2 * i] = frames[k];
          w[2 * i + 1] = st === RW ? VALID_WRITE : V6.VALID;
          holdsInput[i] = 0;
          continue;
        }
      }
      const r = handlePte(walk, a, end, vma);
      if (r) return r;
    }
  } finally {
    rec.pop();
  }
  return 0;
}

/** hmm_vma_handle_pmd(): a huge pmd; the need is taken over the range's whole part of it. */
function handlePmd(walk: Walk, start: number, end: number, vma: MmVma, state: number, pfn: number): number {
  const { rec, startVpn } = walk.env;
  const from = start - startVpn;
  const to = end - startVpn;
  const cpuHi = state === S.thpProtnone ? 0 : V6.VALID | (isWritable(state) ? V6.WRITE : 0) | PMD_ORDER_HI;
  const need = rangeNeedFault(walk, from, to, cpuHi);
  rec.emit({
    type: 'pmd',
    fn: 'hmm_vma_handle_pmd',
    from,
    to,
    need,
    text: `Pages ${from}-${to - 1} are mapped by one huge pmd (${stateName(state)})${
      need
        ? `: the need is taken over all of them, ${need & NEED_WRITE_FAULT ? 'write' : 'read'}-fault them`
        : ''
    }.`,
  });
  if (need) return hmmVmaFault(walk, start, end, need, vma);
  fillEntries(walk, from, to, pfn, cpuHi, 'hmm_vma_handle_pmd', true);
  return 0;
}

/** hmm_vma_handle_pte(): one pte; a needed fault takes this page through the end of the chunk. */
function handlePte(walk: Walk, addr: number, end: number, vma: MmVma): number {
  const { mm, w, holdsInput, rec, startVpn } = walk.env;
  const i = addr - startVpn;
  const st = mm.stateOf(addr);
  let cpuHi = 0;
  let outLo = 0;
  let outHi = 0;
  let need = 0;
  let error = 0;

  if (st === S.none) {
    need = pteNeedFault(walk, i, 0);
  } else if (isDevicePrivate(st) && devicePrivateIsOwn(st) && walk.ownerThis) {
    // The caller's own device memory is reported, never faulted.
    cpuHi = V6.VALID | (devicePrivateWritable(st) ? V6.WRITE : 0);
    outLo = mm.pfnOf(addr);
    outHi = cpuHi;
  } else if (st === S.swap || st === S.migration || st === S.hwpoison || isDevicePrivate(st)) {
    need = pteNeedFault(walk, i, 0);
    if (need && st === S.migration) {
      // migration_entry_wait(), then restart the walk at this page.
      walk.last = addr;
      traceDecision(walk, i, st, 0, need, null, 'a migration entry: wait for it, then restart the walk here');
      mm.setPte(addr, S.ro, mm.allocPfn());
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
    traceDecision(walk, i, st, cpuHi, need, null, 'cannot be made valid: -EFAULT');
    return error;
  }
  if (need) {
    traceDecision(walk, i, st, cpuHi, need, null, '');
    rec.push('hmm_vma_handle_pte');
    try {
      return hmmVmaFault(walk, addr, end, need, vma);
    } finally {
      rec.pop();
    }
  }
  // Trace before the store: the event shows the input word the decision read.
  if (rec.full) traceDecision(walk, i, st, cpuHi, 0, hex64(outLo, outHi), '');
  w[2 * i] = outLo;
  w[2 * i + 1] = outHi;
  holdsInput[i] = 0;
  return 0;
}

function traceDecision(
  walk: Walk,
  i: number,
  st: number,
  cpuHi: number,
  need: number,
  out: string | null,
  why: string,
): void {
  const { rec, w } = walk.env;
  if (!rec.full) return;
  const inLo = w[2 * i];
  const inHi = w[2 * i + 1];
  const reqHi = ((inHi & walk.maskHi) | walk.defHi) >>> 0;
  const reqLo = 0; // no request bit lives in the low half in this layout
  const name = stateName(st);
  const asks =
    reqHi & V6.REQ_FAULT ? (reqHi & V6.REQ_WRITE ? 'asks for write' : 'asks for read') : 'asks for nothing';
  const text = why
    ? `Page ${i} (${name}) ${asks}: ${why}.`
    : need
      ? `Page ${i} (${name}) ${asks}: ${need & NEED_WRITE_FAULT ? 'write' : 'read'} fault from here to the end of the chunk.`
      : `Page ${i} (${name}) ${asks}: no fault, output ${out}.`;
  rec.emit(
    {
      type: 'pte',
      fn: 'hmm_vma_handle_pte',
      page: i,
      input: hex64(inLo, inHi),
      req: hex64(reqLo, reqHi),
      cpuFlags: hex64(0, cpuHi),
      cpuState: name,
      need,
      out,
      text,
    },
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
  const cpuHi = (st === S.none ? 0 : V6.VALID | (isWritable(st) ? V6.WRITE : 0)) | PMD_ORDER_HI;
  const need = pteNeedFault(walk, from, cpuHi);
  rec.emit({
    type: 'pmd',
    fn: 'hmm_vma_walk_hugetlb_entry',
    from,
    to,
    need,
    text: `Pages ${from}-${to - 1} are one hugetlb page (${stateName(st)}); only page ${from}'s request counts${
      need ? `: ${need & NEED_WRITE_FAULT ? 'write' : 'read'}-fault them` : ''
    }.`,
  });
  if (need) return hmmVmaFault(walk, start, end, need, vma);
  const base = (st === S.none ? 0 : slot!.hugePfn) + (start % PMD_PAGES);
  fillEntries(walk, from, to, base, cpuHi, 'hmm_vma_walk_hugetlb_entry', true);
  return 0;
}
