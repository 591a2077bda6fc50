/**
 * What a walk needs from the run around it: the address space, the range's pfns array, the
 * recorder, and the hooks through which the driver layer sees each handle_mm_fault and answers
 * the notifier's sequence check.
 */
import { faultResultName, VM_FAULT, type FaultOutcome } from '../mm/fault.ts';
import type { Mm, MmVma } from '../mm/mm.ts';
import type { Statement } from '../statements.ts';
import type { Recorder } from '../trace/recorder.ts';
import type { Scenario } from '../types.ts';
import type { WrittenSpans } from './written.ts';

export interface WalkEnv {
  scenario: Scenario;
  mm: Mm;
  rec: Recorder;
  /** range.start as a vpn, and the number of pages. */
  startVpn: number;
  npages: number;
  /** range->pfns / hmm_pfns. */
  pfns: BigUint64Array;
  /** The same array as [lo, hi] halves (see words.ts): what the walk reads and writes. */
  w: Int32Array;
  /** The pages whose entry the walk has written; the others still hold the caller's input. */
  written: WrittenSpans;
  /**
   * handle_mm_fault as HMM calls it, with the caller's FAULT_FLAG_* word: records the fault and
   * runs any concurrent event. A userfaultfd fault that may drop mmap_lock releases it here, lets
   * the waiting writers and the handler run, and returns VM_FAULT_RETRY (or throws Blocked).
   */
  fault(vma: MmVma, vpn: number, flags: number): FaultOutcome;
  /**
   * The same handle_mm_fault for each page from `progress.end` up to `to`, as far as the pages
   * need only what quickFaultRun() does and nothing can happen between two faults (no concurrent
   * event waits for one, no per-fault trace): each fault is logged as fault() logs it, and
   * `progress` moves past the pages done (`code`: the last one's word). A run of a hundred
   * thousand faults then costs no outcome, stack or hook per page. Stops at the first page that
   * needs the full path, which the caller takes with fault().
   */
  faultRun?(vma: MmVma, to: number, flags: number, progress: FaultSpanProgress): void;
  /** A fatal signal (SIGKILL) is pending for the calling task. */
  fatalSignal: boolean;
  /** mmu_interval_check_retry(notifier, notifier_seq) (v6) / !range->valid (v5.2). */
  invalidated(): boolean;
  /**
   * v5.2: hmm_range_fault releases the caller's mmap_sem itself (`!range->valid` at the top of a
   * vma iteration, spec 2.2); absent in the other generations.
   */
  dropMmapLock?: () => void;
  /** walk_page_range() calls after the first one, summed over the run. */
  restarts: number;
  /** walk_page_range() calls, summed over the run (the driver splits them per call). */
  walks: number;
  /** The return statement the last call of the HMM function ended on (its return's `stmt`). */
  returnStmt?: Statement;
}

/** The walk was stopped because the modelled kernel would never finish. */
export class Livelock extends Error {}

/** The modelled kernel would crash (v5.2 faulting with no vma). */
export class Oops extends Error {}

/**
 * The modelled kernel would sleep for ever: a userfaultfd fault whose handler cannot resolve it
 * (its UFFDIO_COPY found the vma gone), and no fatal signal to wake the faulter.
 */
export class Blocked extends Error {}

/** How many walks of one call are allowed before the engine calls it a livelock. */
export const walkBudget = (npages: number): number => 4 * npages + 64;

/**
 * Spots a walk loop that can never end: the walk restarts at the same `last` after faults that
 * changed nothing in the page table, twice in a row. The model is deterministic, so the next walk
 * would do exactly the same (v5.2's write fault on a vma without VM_WRITE, spec section 4).
 */
export class ProgressGuard {
  private last = -1;
  private stuck = 0;

  /** Call after each walk that returned -EBUSY; throws Livelock when there is no progress. */
  afterBusyWalk(last: number, generationBefore: number, generationAfter: number, startPage: number): void {
    if (generationAfter === generationBefore && last === this.last) {
      if (++this.stuck >= 2) {
        throw new Livelock(
          `the walk keeps restarting at page ${last - startPage}: its faults change nothing in the page table, so the kernel would loop forever`,
        );
      }
    } else {
      this.stuck = 0;
    }
    this.last = last;
  }
}

/** How far a fault loop got: pages [start, end) had their handle_mm_fault, the last returning `code`. */
export interface FaultSpanProgress {
  end: number;
  code: number;
}

/**
 * Runs a fault loop (hmm_vma_fault, hmm_do_fault, v5.2's hmm_vma_walk_hole_) and, in a coarse
 * trace, summarises it in one event when the loop returns, by whatever path (done, an error, a
 * retry). `loop` moves `progress` on as each fault returns. A run that ends inside a fault (the
 * loop throws: a task asleep for ever, an oops) gets no summary: the trace ends at the step where
 * the task stopped, as the full trace does, and the faults it made are in the result's fault log.
 */
export function faultLoop(
  env: WalkEnv,
  fn: 'hmm_vma_fault' | 'hmm_vma_walk_hole_' | 'hmm_do_fault',
  start: number,
  write: boolean,
  loop: (progress: FaultSpanProgress) => number,
): number {
  const progress: FaultSpanProgress = { end: start, code: 0 };
  const ret = loop(progress);
  if (env.rec.on && !env.rec.full && progress.end > start)
    emitFaultSpan(env, fn, start, progress.end, write, progress.code);
  return ret;
}

/** A coarse trace's one event for a whole fault span (vpns [start, end)). */
function emitFaultSpan(
  env: WalkEnv,
  fn: 'hmm_vma_fault' | 'hmm_vma_walk_hole_' | 'hmm_do_fault',
  start: number,
  end: number,
  write: boolean,
  lastCode: number,
): void {
  const from = start - env.startVpn;
  const to = end - env.startVpn;
  const result = faultResultName(lastCode);
  env.rec.emit({
    type: 'faults',
    stmt: lastCode & VM_FAULT.RETRY ? 'fault.retry' : result === 'ok' ? 'fault' : 'fault.err',
    fn,
    from,
    to,
    write,
    count: to - from,
    result,
  });
}
