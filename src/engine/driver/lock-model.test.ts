/**
 * The lock model, pinned: every CPU op at every moment, for each generation with a locked call
 * (5.2, 6.1, 6.12, 7.3's hmm_range_fault). Each row is derived here from the rules of
 * hmm-semantics.md 10.5, not copied from the engine:
 *
 * - munmap, mprotect and fork need mmap_lock for write. Issued while the driver side holds it for
 *   read (inside the call; in 5.2 also until the device is programmed), the op waits and runs at
 *   the driver side's next release: 6.1+ after hmm_range_fault returns, 5.2 after the final
 *   up_read, once the device is programmed.
 * - reclaim (swap-out), MADV_PAGEOUT (read lock), a migration to a device (read lock) and a bare
 *   invalidation run at the moment they are issued.
 * - 6.1+: an invalidation after read_begin makes the attempt fail (-EBUSY inside the call, or
 *   read_retry after it) and the driver starts again; 5.2's range->valid is true again once the
 *   invalidation ended, so nothing retries and the device gets what the walk saw.
 *
 * The scenario: pages 0-1 rw and 2-3 none in one private anonymous vma, every page asked for read
 * (default_flags VALID, mask 0); the op acts on pages 0-1. An undisturbed call faults pages 2-3 in
 * one span (the two faults after-fault n = 1 and 2 name) and re-walks once. For 5.2 the vma is a
 * private file mapping whose pages 0-1 were written (anonymous copies): 5.2's hmm_range_fault
 * fails on the zero page a read fault of an anonymous vma maps (values[SPECIAL] → -EFAULT), a
 * page-cache page it reports; the ops then act the same, except that migrate-to-device, which
 * only moves anonymous memory, changes nothing there (it still invalidates).
 */
import { describe, expect, test } from 'vitest';
import type { ConcurrentOp } from '../types.ts';
import { ALIGNED, sim } from '../testing/harness.ts';

const KERNELS = ['v5.2', 'v6', 'v6.12', 'v7.3'] as const;
type K = (typeof KERNELS)[number];
const OPS: ConcurrentOp[] = [
  'munmap',
  'mprotect-ro',
  'mprotect-none',
  'fork',
  'swap-out',
  'madv-pageout',
  'migrate-to-device',
  'invalidate',
];
const MOMENTS = [
  { at: 'before-call' },
  { at: 'after-fault', n: 1 },
  { at: 'after-fault', n: 2 },
  { at: 'before-program' },
  { at: 'after-program' },
] as const;
type Moment = (typeof MOMENTS)[number];

const WRITE_LOCKED = new Set<ConcurrentOp>(['munmap', 'mprotect-ro', 'mprotect-none', 'fork']);

/** The op's own invalidation of pages 0-1 (reason from the kernel path; see invalidations.test). */
const OWN_INVALIDATION: Record<ConcurrentOp, string> = {
  munmap: 'UNMAP 0-1',
  'mprotect-ro': 'PROTECTION_VMA 0-1',
  'mprotect-none': 'PROTECTION_VMA 0-1',
  fork: 'PROTECTION_PAGE 0-1',
  'swap-out': 'CLEAR 0-1',
  'madv-pageout': 'CLEAR 0-1',
  'migrate-to-device': 'MIGRATE 0-1',
  invalidate: 'CLEAR 0-1',
  sigkill: '',
};

/**
 * What a walk finds on pages 0-1 after the op (6.1+ and 5.2 alike, except where noted):
 * gone: munmap (no vma) or PROT_NONE (no VM_READ): the read request fails the call;
 * clean: still readable, nothing to fault; swapin: swap entries, so a fault span from page 0 to
 * the end (4 faults, none invalidates); migrate-back: another device's pages, faulted back from
 * page 0 to the end, each migration invalidating its page (5.2 reports them as device memory).
 */
type After = 'gone' | 'clean' | 'swapin' | 'migrate-back';
const AFTER: Record<ConcurrentOp, After> = {
  munmap: 'gone',
  'mprotect-ro': 'clean',
  'mprotect-none': 'gone',
  fork: 'clean',
  'swap-out': 'swapin',
  'madv-pageout': 'swapin',
  'migrate-to-device': 'migrate-back',
  invalidate: 'clean',
  sigkill: 'clean',
};

interface Row {
  status: 'returned' | 'oops';
  ret: number | null;
  attempts: number;
  faults: number;
  restarts: number;
  /** lock / concurrent / program events in trace order. */
  order: string[];
  invalidations: string[];
  /** The device entries of pages 0-1 after the run, where the rule fixes them. */
  device?: string;
}

/** When the op runs relative to the driver side's lock, in 10.5's terms. */
function when(k: K, op: ConcurrentOp, m: Moment): 'before' | 'inside' | 'after-call' | 'after-program' {
  if (m.at === 'before-call') return 'before';
  if (m.at === 'after-program') return 'after-program';
  if (k === 'v5.2') return WRITE_LOCKED.has(op) ? 'after-program' : 'inside';
  if (m.at === 'before-program') return 'after-call';
  return WRITE_LOCKED.has(op) ? 'after-call' : 'inside';
}

function deriveModern(k: Exclude<K, 'v5.2'>, op: ConcurrentOp, m: Moment): Row {
  const w = when(k, op, m);
  const after = AFTER[op];
  const runs = `${op}:runs`;
  const pair = ['mmap_read_lock', 'mmap_read_unlock'];
  const own = OWN_INVALIDATION[op];
  const back = after === 'migrate-back' ? ['MIGRATE 0-0', 'MIGRATE 1-1'] : [];
  if (w === 'after-program')
    return {
      status: 'returned',
      ret: 0,
      attempts: 1,
      faults: 2,
      restarts: 1,
      order: [...pair, 'program_device', runs],
      invalidations: [own],
      device: 'none', // erased by the op's invalidation
    };
  // The attempt the op disturbed, and those after it: how many faults and re-walks each brings.
  let attempts: number, faults: number, restarts: number;
  let first: string[];
  if (w === 'before') {
    // read_begin, then the op: the call's first check fails before any walk.
    first = [runs, ...pair];
    attempts = 2;
    faults = 0;
    restarts = 0;
  } else if (w === 'inside') {
    // After the n-th fault of the span 2-3; the span ends, the check fails: no re-walk.
    first = ['mmap_read_lock', runs, 'mmap_read_unlock'];
    attempts = 2;
    faults = 2;
    restarts = 0;
  } else {
    // The call ran to its end (2 faults, 1 re-walk); the op then fails read_retry.
    first =
      WRITE_LOCKED.has(op) && m.at !== 'before-program'
        ? ['mmap_read_lock', `${op}:waits`, 'mmap_read_unlock', runs]
        : [...pair, runs];
    attempts = 2;
    faults = 2;
    restarts = 1;
  }
  // Pages 2-3 still to fault only when the first walk never ran.
  const pending23 = w === 'before';
  let ok = true;
  if (after === 'gone')
    ok = false; // page 0 first: -EFAULT before any fault
  else if (after === 'clean') {
    if (pending23) {
      faults += 2;
      restarts += 1;
    }
  } else {
    faults += 4; // span 0-3
    if (after === 'swapin') restarts += 1;
    else attempts += 1; // the migrations back invalidate: -EBUSY, one more clean attempt
  }
  const order = [...first];
  for (let a = 2; a <= attempts; a++) order.push(...pair);
  if (ok) order.push('program_device');
  const swappedIn = k === 'v6' ? 'ro' : 'rw'; // 6.11+ maps an exclusive swap-in writable
  const device = !ok
    ? 'none'
    : after === 'swapin'
      ? swappedIn
      : op === 'mprotect-ro' || op === 'fork'
        ? 'ro'
        : 'rw';
  return {
    status: 'returned',
    ret: ok ? 0 : -14,
    attempts,
    faults,
    restarts,
    order,
    invalidations: [own, ...back],
    device,
  };
}

function derive52(op: ConcurrentOp, m: Moment): Row {
  const w = when('v5.2', op, m);
  const own = OWN_INVALIDATION[op];
  const runs = `${op}:runs`;
  if (w !== 'before') {
    // The walk runs undisturbed or goes on past a no-lock op (range->valid true again): ret 4.
    const order =
      w === 'inside'
        ? ['down_read', runs, 'program_device', 'up_read']
        : m.at === 'after-program'
          ? ['down_read', 'program_device', 'up_read', runs]
          : ['down_read', `${op}:waits`, 'program_device', 'up_read', runs];
    return {
      status: 'returned',
      ret: 4,
      attempts: 1,
      faults: 2,
      restarts: 1,
      order,
      invalidations: [own],
      // inside: programmed with what the walk saw (stale); after: erased by the late invalidation
      device: w === 'inside' ? 'rw' : 'none',
    };
  }
  // Before the call: the walk sees the op's result.
  if (op === 'munmap')
    // find_vma(page 0) finds the vma of pages 2-3; the walk faults page 0 with no vma: oops.
    return {
      status: 'oops',
      ret: null,
      attempts: 1,
      faults: 0,
      restarts: 0,
      order: [runs, 'down_read'],
      invalidations: [own],
    };
  if (op === 'mprotect-none')
    // The first vma has no VM_READ: -EPERM, the driver gives up.
    return {
      status: 'returned',
      ret: -1,
      attempts: 1,
      faults: 0,
      restarts: 0,
      order: [runs, 'down_read', 'up_read'],
      invalidations: [own],
      device: 'none',
    };
  const swapin = AFTER[op] === 'swapin';
  // migrate-to-device leaves a file mapping's pages where they are: a clean walk.
  // 5.2's hmm_vma_handle_pte computes a request's need only for a none pte: a swap entry is never
  // faulted and reads values[NONE] (mm/hmm.c at 0092908d16c6), so the device gets nothing there.
  return {
    status: 'returned',
    ret: 4,
    attempts: 1,
    faults: 2,
    restarts: 1,
    order: [runs, 'down_read', 'program_device', 'up_read'],
    invalidations: [own],
    // mprotect and fork leave pages 0-1 read-only
    device: swapin ? 'none' : op === 'mprotect-ro' || op === 'fork' ? 'ro' : 'rw',
  };
}

function run(k: K, op: ConcurrentOp, m: Moment) {
  return sim({
    kernel: k,
    range: { start: ALIGNED, pages: 4 },
    vmas: [{ from: 0, pages: 4, prot: 'rw', backing: k === 'v5.2' ? 'file' : 'anon' }],
    cpu: { '0-1': 'rw' },
    driver: k === 'v5.2' ? 'seed' : { devicePrivateOwner: 'this' },
    defaultFlags: ['VALID'],
    pfnFlagsMask: [],
    concurrent: [{ ...m, op, pages: '0-1' }],
  });
}

function orderOf(o: ReturnType<typeof sim>): string[] {
  return o.run.trace.flatMap((e) =>
    e.type === 'concurrent'
      ? [`${e.fn}:${e.phase}`]
      : e.type === 'lock' || e.type === 'program'
        ? [e.fn]
        : [],
  );
}

describe('the lock model: every op at every moment, per generation (hmm-semantics.md 10.5)', () => {
  for (const k of KERNELS) {
    describe(k, () => {
      for (const op of OPS) {
        for (const m of MOMENTS) {
          const label = 'n' in m ? `${m.at} ${m.n}` : m.at;
          test(`${op} issued ${label}`, () => {
            const want = k === 'v5.2' ? derive52(op, m) : deriveModern(k, op, m);
            const o = run(k, op, m);
            expect(orderOf(o)).toEqual(want.order);
            expect(o.status).toBe(want.status);
            expect(o.ret).toBe(want.ret);
            expect(o.attempts).toBe(want.attempts);
            expect(o.faults.length).toBe(want.faults);
            expect(o.restarts).toBe(want.restarts);
            expect(o.invalidations.map((i) => `${i.event} ${i.from}-${i.to}`)).toEqual(want.invalidations);
            if (want.device !== undefined)
              expect(o.deviceAfter.slice(0, 2)).toEqual([want.device, want.device]);
          });
        }
      }
    });
  }
});
