/**
 * engine.run(scenario): the whole run as one pure, deterministic function. It builds the address
 * space, runs the chosen kernel's driver loop around its HMM call, and returns the result, the
 * trace and each trace event's effects. Spec: DESIGN.md "the flow of data".
 */
import type { DriverContext, DriverOutcome } from './driver/context.ts';
import { applyConcurrent } from './driver/concurrent.ts';
import { needsWriteLock } from './driver/mmap-lock.ts';
import { DevicePageTable } from './driver/device.ts';
import { Blocked, Livelock, Oops, type WalkEnv } from './hmm/env.ts';
import { errnoName, halves } from './hmm/words.ts';
import { buildMm, startVpnOf } from './mm/build.ts';
import { generation, hasDriverLayout } from './kernels/registry.ts';
import { driverOf } from './kernels/drivers.ts';
import { faultCodeHex } from './faults.ts';
import { FAULT_FLAG, faultResultIndex, faultResultName, handleMmFault, quickFaultRun } from './mm/fault.ts';
import { userfault } from './driver/userfault.ts';
import { stateName } from './mm/states.ts';
import { Recorder } from './trace/recorder.ts';
import { FaultLogBuilder } from './faults.ts';
import { WrittenSpans } from './hmm/written.ts';
import type {
  CallName,
  CallRecord,
  ConcurrentEvent,
  ConcurrentRecord,
  InvalidationRecord,
  LockEvent,
  Run,
  RunOptions,
  RunResult,
  Scenario,
} from './types.ts';

/** Above this many pages the default trace is coarse, so the cost stays linear. */
export const FULL_TRACE_MAX_PAGES = 4096;

/** Everything a run works on, before its driver loop starts. */
export interface Prepared {
  ctx: DriverContext;
  faults: FaultLogBuilder;
  calls: CallRecord[];
  invalidations: InvalidationRecord[];
  concurrent: ConcurrentRecord[];
}

/**
 * Build the address space, the pfns array (a copy of the caller's input, or that input itself
 * with `takeInputs`, as are the device table and, for a range of whole 2 MiB blocks, the CPU
 * states), the device table and the hooks the walk calls. Separate from run() so the
 * benchmark can time the HMM call alone.
 */
export function prepareRun(scenario: Scenario, rec: Recorder, takeInputs = false): Prepared {
  const mm = buildMm(scenario, generation(scenario.kernel).faults, takeInputs);
  const startVpn = startVpnOf(scenario);
  const npages = scenario.range.pages;
  const endVpn = startVpn + npages;
  if (rec.full) {
    // Per-page CPU changes are traced only in full; a coarse trace ends at the result.
    mm.onChange = (from, to, state) => {
      const a = Math.max(from, startVpn);
      const b = Math.min(to, endVpn);
      for (let v = a; v < b; v++) rec.effect({ kind: 'cpu', page: v - startVpn, state: stateName(state) });
    };
  }

  // The walk writes its outputs over the inputs, as hmm_range_fault does over range->hmm_pfns.
  const pfns = takeInputs ? scenario.requests : scenario.requests.slice();
  // One fault per 8 pages before the log grows: the bench's mix makes one per 10.
  const faults = new FaultLogBuilder(Math.max(64, npages >> 3));
  const device = new DevicePageTable(takeInputs ? scenario.device : scenario.device.slice(), rec);
  const pending = scenario.concurrent.map((ev, event) => ({ ev, event, done: false, lastRound: '' }));
  // Write-locked ops issued while the driver side held mmap_lock, in issue order (10.5), each
  // with the record of its issue.
  const waiting: { ev: ConcurrentEvent; record: ConcurrentRecord }[] = [];
  const concurrent: ConcurrentRecord[] = [];
  const calls: CallRecord[] = [];
  let walksBefore = 0;
  // Every invalidation start that hits the range, as the recordings' kprobe saw it: also those
  // the driver's callback ignores (its own device's migrations).
  const invalidations: InvalidationRecord[] = [];
  mm.notifier.subscribe({
    invalidate(inv) {
      if (inv.to <= startVpn || inv.from >= endVpn) return;
      invalidations.push({ from: inv.from - startVpn, to: inv.to - 1 - startVpn, event: inv.event });
    },
  });

  const runConcurrent = (ev: ConcurrentEvent, record: ConcurrentRecord, after: LockEvent['fn'] | null) => {
    const waited = after !== null;
    record.ran = { attempt: ctx.attempt, faults: faults.length, waited, after };
    rec.emit({
      type: 'concurrent',
      fn: ev.op,
      from: ev.from,
      to: ev.to + 1,
      phase: 'runs',
      waited,
      say: ctx.say,
    });
    rec.push(ev.op);
    // A fatal signal changes no page table: the HMM call sees it where the kernel checks.
    if (ev.op === 'sigkill') ctx.env.fatalSignal = true;
    // "lasts": the op's invalidations start now and end when the driver next waits for them.
    mm.notifier.holding = ev.lasts;
    applyConcurrent(mm, startVpn, ev, scenario.kernel);
    mm.notifier.holding = false;
    rec.pop();
    rec.settle();
  };

  // The 2019 API's driver takes mmap_sem; since 5.8 it is mmap_lock.
  const lockName = hasDriverLayout(scenario.kernel) ? 'mmap_sem' : 'mmap_lock';
  const ctx: DriverContext = {
    scenario,
    mm,
    rec,
    device,
    startVpn,
    attempt: 1,
    pass: 0,
    env: undefined as unknown as WalkEnv,
    lockName,
    say: { lock: lockName },
    mmapLock: null,
    fire(at) {
      if (pending.length === 0) return;
      for (const p of pending) {
        if (p.ev.at !== at) continue;
        if (p.ev.repeat) {
          // A CPU thread in a loop: issued once at this moment of every attempt (and of every
          // pass of 7.3's unlocked call); "after-fault" counts the faults of the attempt.
          const round = `${ctx.attempt}.${ctx.pass}`;
          if (p.lastRound === round) continue;
          if (at === 'after-fault' && faults.countInAttempt(ctx.attempt) < p.ev.n) continue;
          p.lastRound = round;
        } else {
          if (p.done) continue;
          if (at === 'after-fault' && faults.length < p.ev.n) continue;
          p.done = true;
        }
        const record: ConcurrentRecord = {
          event: p.event,
          op: p.ev.op,
          issued: { at, attempt: ctx.attempt, faults: faults.length },
          ran: null,
        };
        concurrent.push(record);
        if (ctx.mmapLock === 'driver' && needsWriteLock(p.ev.op)) {
          waiting.push({ ev: p.ev, record });
          rec.emit({
            type: 'concurrent',
            fn: p.ev.op,
            from: p.ev.from,
            to: p.ev.to + 1,
            phase: 'waits',
            waited: false,
            say: ctx.say,
          });
          continue;
        }
        runConcurrent(p.ev, record, null);
      }
    },
    takeMmapLock(fn, stmt) {
      ctx.mmapLock = 'driver';
      rec.emit({ type: 'lock', fn, holder: 'driver', waiting: waiting.map((w) => w.ev.op), stmt });
    },
    releaseMmapLock(fn, stmt, say) {
      ctx.mmapLock = null;
      const waits = waiting.map((w) => w.ev.op);
      rec.emit(
        say
          ? { type: 'lock', fn, holder: null, waiting: waits, stmt, say }
          : { type: 'lock', fn, holder: null, waiting: waits, stmt },
      );
      // The waiting writers go first, in order, before the driver side can read-lock again.
      for (const w of waiting.splice(0)) runConcurrent(w.ev, w.record, fn);
    },
    endInvalidations(fn, stmt) {
      if (mm.notifier.inProgress === 0) return false;
      const ended = mm.notifier.endHeld();
      const pages = ended.map((inv) => `${inv.from - startVpn}-${inv.to - 1 - startVpn}`).join(', ');
      rec.emit({ type: 'driver', fn, stmt, value: null, say: { pages } });
      return true;
    },
    emitReturn(fn: CallName, ret: number) {
      calls.push({ ret, walks: ctx.env.walks - walksBefore });
      walksBefore = ctx.env.walks;
      const errno = errnoName(ret);
      rec.emit({
        type: 'return',
        fn,
        ret,
        errno,
      });
    },
    emitProgram(how) {
      rec.emit(
        how === 'loop'
          ? { type: 'program', fn: 'program_device', from: 0, to: npages }
          : { type: 'program', fn: 'program_device', from: 0, to: npages, say: { k: how } },
      );
    },
  };

  ctx.env = {
    scenario,
    mm,
    rec,
    startVpn,
    npages,
    pfns,
    w: halves(pfns),
    written: new WrittenSpans(),
    restarts: 0,
    walks: 0,
    invalidated: () => false,
    fatalSignal: false,
    fault(vma, vpn, flags) {
      const write = (flags & FAULT_FLAG.WRITE) !== 0;
      // Each fault is its own event only in a full trace; a coarse one summarises each span.
      const before = rec.full ? mm.stateOf(vpn) : 0;
      rec.push('handle_mm_fault');
      const outcome = handleMmFault(mm, vma, vpn, flags);
      // handle_userfault() released mmap_lock: waiting writers, then the handler, run now.
      if (outcome.userfault) userfault(ctx, vpn);
      rec.pop();
      const page = vpn - startVpn;
      faults.push(page, write, faultResultIndex(outcome.code), ctx.attempt, outcome.code);
      if (rec.full)
        rec.emit({
          type: 'fault',
          fn: 'handle_mm_fault',
          page,
          write,
          result: faultResultName(outcome.code),
          before: stateName(before),
          after: stateName(mm.stateOf(vpn)),
          path: outcome.path,
          code: faultCodeHex(outcome.code),
        });
      ctx.fire('after-fault');
      return outcome;
    },
  };
  // Only when nothing may run between two faults and no fault is traced on its own (see faultRun).
  if (!rec.full && pending.length === 0) {
    const quick = { code: 0 };
    ctx.env.faultRun = (vma, to, flags, progress) => {
      const write = (flags & FAULT_FLAG.WRITE) !== 0;
      const { attempt } = ctx;
      let vpn = progress.end;
      // A run of pages of one state in one pte table at a time (see quickFaultRun).
      while (vpn < to) {
        const n = quickFaultRun(mm, vma, vpn, to, write, quick);
        if (n === 0) break;
        faults.pushRun(vpn - startVpn, n, write, faultResultIndex(quick.code), attempt, quick.code);
        progress.code = quick.code;
        vpn += n;
      }
      progress.end = vpn;
    };
  }
  return { ctx, faults, calls, invalidations, concurrent };
}

export function run(scenario: Scenario, options: RunOptions = {}): Run {
  const level = options.trace ?? (scenario.range.pages <= FULL_TRACE_MAX_PAGES ? 'full' : 'coarse');
  const rec = new Recorder(level);
  const { ctx, faults, calls, invalidations, concurrent } = prepareRun(scenario, rec, options.takeInputs);
  const { mm, startVpn, device } = ctx;
  const npages = scenario.range.pages;

  let status: RunResult['status'] = 'returned';
  let reason: string | null = null;
  let outcome: DriverOutcome | null = null;
  try {
    outcome = driverOf(scenario.kernel)(ctx);
    // A "lasts" invalidation nobody waited for ends with the run.
    ctx.endInvalidations('mmu_notifier_invalidate_range_end');
  } catch (e) {
    if (e instanceof Livelock) status = 'livelock';
    else if (e instanceof Oops) status = 'oops';
    else if (e instanceof Blocked) status = 'blocked';
    else throw e;
    reason = e.message;
  }

  // The CPU table read back as views of the mm's range-ordered tables: the mm is done with.
  const { states: cpu, pfns: cpuPfn } = mm.takeRange(startVpn, npages);
  const result: RunResult = {
    status,
    reason,
    ret: outcome ? outcome.ret : null,
    errno: outcome ? errnoName(outcome.ret) : null,
    faults: faults.finish(),
    restarts: ctx.env.restarts,
    attempts: outcome ? outcome.attempts : ctx.attempt,
    calls,
    invalidations,
    concurrent,
    pfns: ctx.env.pfns,
    holdsInput: ctx.env.written.holdsInput(npages),
    cpu,
    device: device.entries,
    cpuPfn,
  };
  return { result, trace: rec.events, effects: rec.effects };
}
