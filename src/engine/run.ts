/**
 * engine.run(scenario): the whole run as one pure, deterministic function. It builds the address
 * space, runs the chosen kernel's driver loop around its HMM call, and returns the result, the
 * trace and each trace event's effects. Spec: DESIGN.md "the flow of data".
 */
import type { DriverContext, DriverOutcome } from './driver/context.ts';
import { applyConcurrent } from './driver/concurrent.ts';
import { needsWriteLock } from './driver/mmap-lock.ts';
import { DevicePageTable } from './driver/device.ts';
import { Livelock, Oops, type WalkEnv } from './hmm/env.ts';
import { errnoName, halves } from './hmm/words.ts';
import { buildMm, startVpnOf } from './mm/build.ts';
import { generation } from './kernels/registry.ts';
import { faultCodeHex } from './faults.ts';
import {
  faultResultIndex,
  faultResultName,
  handleMmFault,
  vmFaultNames,
  VM_FAULT_ERROR,
} from './mm/fault.ts';
import { stateName } from './mm/states.ts';
import { Recorder } from './trace/recorder.ts';
import { FaultLogBuilder } from './faults.ts';
import type {
  CallName,
  CallRecord,
  ConcurrentEvent,
  InvalidationRecord,
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
}

/**
 * Build the address space, the pfns array (a copy of the caller's input), the device table and
 * the hooks the walk calls. Separate from run() so the benchmark can time the HMM call alone.
 */
export function prepareRun(scenario: Scenario, rec: Recorder): Prepared {
  const mm = buildMm(scenario, generation(scenario.kernel).faults);
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

  const pfns = scenario.requests.slice();
  const holdsInput = new Uint8Array(npages).fill(1);
  const faults = new FaultLogBuilder();
  const device = new DevicePageTable(scenario.device, rec);
  const pending = scenario.concurrent.map((ev) => ({ ev, done: false, lastAttempt: 0 }));
  // Write-locked ops issued while the driver side held mmap_lock, in issue order (10.5).
  const waiting: ConcurrentEvent[] = [];
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

  // The kernel's name for the lock in the trace's sentences: v5.2's down_read takes mmap_sem.
  let lockName = 'mmap_lock';
  const runConcurrent = (ev: ConcurrentEvent, waited: boolean) => {
    rec.emit({
      type: 'concurrent',
      fn: ev.op,
      from: ev.from,
      to: ev.to + 1,
      phase: 'runs',
      waited,
      text: waited
        ? `The driver side released ${lockName}: the waiting ${ev.op} of pages ${ev.from}-${ev.to} runs now.`
        : `Meanwhile on the CPU: ${ev.op} of pages ${ev.from}-${ev.to}.`,
    });
    rec.push(ev.op);
    applyConcurrent(mm, startVpn, ev);
    rec.pop();
    rec.settle();
  };

  const ctx: DriverContext = {
    scenario,
    mm,
    rec,
    device,
    startVpn,
    attempt: 1,
    env: undefined as unknown as WalkEnv,
    mmapLock: null,
    fire(at) {
      if (pending.length === 0) return;
      for (const p of pending) {
        if (p.ev.at !== at) continue;
        if (p.ev.repeat) {
          // A CPU thread in a loop: issued once at this moment of every attempt; "after-fault"
          // counts the faults of the attempt.
          if (p.lastAttempt === ctx.attempt) continue;
          if (at === 'after-fault' && faults.countInAttempt(ctx.attempt) < p.ev.n) continue;
          p.lastAttempt = ctx.attempt;
        } else {
          if (p.done) continue;
          if (at === 'after-fault' && faults.length < p.ev.n) continue;
          p.done = true;
        }
        if (ctx.mmapLock === 'driver' && needsWriteLock(p.ev.op)) {
          waiting.push(p.ev);
          rec.emit({
            type: 'concurrent',
            fn: p.ev.op,
            from: p.ev.from,
            to: p.ev.to + 1,
            phase: 'waits',
            waited: false,
            text: `Meanwhile on the CPU: ${p.ev.op} of pages ${p.ev.from}-${p.ev.to} is issued, and waits: it needs ${lockName} for write and the driver holds it for read.`,
          });
          continue;
        }
        runConcurrent(p.ev, false);
      }
    },
    takeMmapLock(fn, text) {
      if (fn === 'down_read') lockName = 'mmap_sem';
      ctx.mmapLock = 'driver';
      rec.emit({ type: 'lock', fn, holder: 'driver', waiting: waiting.map((ev) => ev.op), text });
    },
    releaseMmapLock(fn, text) {
      ctx.mmapLock = null;
      rec.emit({ type: 'lock', fn, holder: null, waiting: waiting.map((ev) => ev.op), text });
      // The waiting writers go first, in order, before the driver side can read-lock again.
      for (const ev of waiting.splice(0)) runConcurrent(ev, true);
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
        text: `${fn} returns ${errno ? `-${errno}` : ret}.`,
      });
    },
    emitProgram(text: string) {
      rec.emit({ type: 'program', fn: 'program_device', from: 0, to: npages, text });
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
    holdsInput,
    restarts: 0,
    walks: 0,
    invalidated: () => false,
    fault(vma, vpn, write) {
      // Each fault is its own event only in a full trace; a coarse one summarises each span.
      const before = rec.full ? mm.stateOf(vpn) : 0;
      rec.push('handle_mm_fault');
      const outcome = handleMmFault(mm, vma, vpn, write);
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
          text: `handle_mm_fault(page ${page}, ${write ? 'FAULT_FLAG_WRITE' : 'read'}): ${outcome.path}; it returns ${vmFaultNames(
            outcome.code,
          )}${outcome.code === 0 ? '' : ` (${faultCodeHex(outcome.code)})`}${
            outcome.code & VM_FAULT_ERROR ? ', an error' : ''
          }.`,
        });
      ctx.fire('after-fault');
      return outcome;
    },
  };
  return { ctx, faults, calls, invalidations };
}

export function run(scenario: Scenario, options: RunOptions = {}): Run {
  const level = options.trace ?? (scenario.range.pages <= FULL_TRACE_MAX_PAGES ? 'full' : 'coarse');
  const rec = new Recorder(level);
  const { ctx, faults, calls, invalidations } = prepareRun(scenario, rec);
  const { mm, startVpn, device } = ctx;
  const npages = scenario.range.pages;

  let status: RunResult['status'] = 'returned';
  let reason: string | null = null;
  let outcome: DriverOutcome | null = null;
  try {
    outcome = generation(scenario.kernel).runDriver(ctx);
  } catch (e) {
    if (e instanceof Livelock) status = 'livelock';
    else if (e instanceof Oops) status = 'oops';
    else throw e;
    reason = e.message;
  }

  const cpu = new Uint8Array(npages);
  const cpuPfn = new Int32Array(npages);
  mm.readRange(startVpn, npages, cpu, cpuPfn);
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
    pfns: ctx.env.pfns,
    holdsInput: ctx.env.holdsInput,
    cpu,
    device: device.entries,
    cpuPfn,
  };
  return { result, trace: rec.events, effects: rec.effects };
}
