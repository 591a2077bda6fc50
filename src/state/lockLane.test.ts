import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../engine/scenario/parse.ts';
import { run } from '../engine/run.ts';
import type { TraceEvent } from '../engine/types.ts';
import { PRESETS, presetScenario } from './scenarioIO.ts';
import { initialLane, lockLaneAt, stepLane } from './lockLane.ts';
import { eventText } from '../engine/trace/text.ts';

function trace(file: object): readonly TraceEvent[] {
  const r = parseScenario({
    format: 1,
    call: 'hmm_range_fault',
    range: { start: '0x7f0000000000', pages: 8 },
    ...file,
  });
  if (!r.ok) throw new Error(r.problems.join('; '));
  return run(r.scenario).trace;
}

/** The cursor just after the first event that matches (the stage then shows that event). */
function after(t: readonly TraceEvent[], match: (e: TraceEvent) => boolean, nth = 1): number {
  let seen = 0;
  for (let i = 0; i < t.length; i++) if (match(t[i]) && ++seen === nth) return i + 1;
  throw new Error('no such event');
}

const isDriver = (fn: string) => (e: TraceEvent) => e.type === 'driver' && e.fn === fn;
const isLock = (fn: string) => (e: TraceEvent) => e.type === 'lock' && e.fn === fn;
const isOp = (phase: 'waits' | 'runs') => (e: TraceEvent) => e.type === 'concurrent' && e.phase === phase;

/** munmap of pages 6-7 issued after the first fault, which read-faults pages 4-7 (hmm-semantics 10.5). */
const munmapAfterFault = (kernel: string, backing = 'anon') => ({
  kernel,
  vmas: [{ from: 0, pages: 8, prot: 'rw', backing }],
  cpu: { '0-3': 'rw' },
  ...(kernel === 'v5.2' ? { driver: 'seed', defaultFlags: ['VALID'] } : { defaultFlags: ['REQ_FAULT'] }),
  pfnFlagsMask: [],
  concurrent: [{ at: 'after-fault', n: 1, op: 'munmap', pages: '6-7' }],
});

describe('the lock lane on Linux 6.1: a munmap after the first fault', () => {
  const t = trace(munmapAfterFault('v6'));

  it('is empty before the run: nobody holds mmap_lock, no sequence read yet', () => {
    expect(lockLaneAt(t, 0)).toEqual({
      lockName: 'mmap_lock',
      holder: null,
      lastLockFn: null,
      waiting: [],
      driverLock: false,
      check: { kind: 'sequence', notifierSeq: null, interval: 0, since: 0 },
      why: null,
    });
  });

  it('shows the driver holding mmap_lock for read across the call', () => {
    const s = lockLaneAt(t, after(t, isLock('mmap_read_lock')));
    expect(s.holder).toBe('driver');
    expect(s.lastLockFn).toBe('mmap_read_lock');
    expect(s.check).toEqual({ kind: 'sequence', notifierSeq: 0, interval: 0, since: 0 });
  });

  it('shows the munmap waiting, and says why', () => {
    const s = lockLaneAt(t, after(t, isOp('waits')));
    expect(s.holder).toBe('driver');
    expect(s.waiting).toEqual([{ op: 'munmap', from: 6, to: 8 }]);
    expect(s.why).toBe(
      'munmap of pages 6-7 waits: it needs mmap_lock for write, and the driver holds it for read.',
    );
    // It keeps waiting through the rest of the call (three more faults, a restart).
    const ret = lockLaneAt(
      t,
      after(t, (e) => e.type === 'return'),
    );
    expect(ret.waiting).toHaveLength(1);
    expect(ret.holder).toBe('driver');
  });

  it('lets it run at the release, and the interval moves on past notifier_seq', () => {
    const released = lockLaneAt(t, after(t, isLock('mmap_read_unlock')));
    expect(released.holder).toBe(null);
    expect(released.why).toMatch(/^The driver released mmap_lock: the waiting munmap runs/);
    const ran = lockLaneAt(t, after(t, isOp('runs')));
    expect(ran.waiting).toEqual([]);
    expect(ran.why).toBe('munmap of pages 6-7 runs now: nobody holds mmap_lock any more.');
    const inv = lockLaneAt(
      t,
      after(t, (e) => e.type === 'invalidate'),
    );
    expect(inv.check).toEqual({ kind: 'sequence', notifierSeq: 0, interval: 2, since: 1 });
  });

  it('shows the driver lock taken, then dropped to retry, and the next attempt in step again', () => {
    expect(lockLaneAt(t, after(t, isDriver('driver_lock'))).driverLock).toBe(true);
    const retry = lockLaneAt(t, after(t, isDriver('mmu_interval_read_retry')));
    expect(retry.driverLock).toBe(false);
    expect(retry.why).toBe(
      'notifier_seq is 0, the interval is at 2: an invalidation ran since read_begin, so the driver retries.',
    );
    const again = lockLaneAt(t, after(t, isDriver('mmu_interval_read_begin'), 2));
    // The fold's interval agrees with what the engine's read_begin returns on attempt 2.
    expect(again.check).toEqual({ kind: 'sequence', notifierSeq: 2, interval: 2, since: 0 });
    expect(lockLaneAt(t, after(t, isLock('mmap_read_lock'), 2)).holder).toBe('driver');
  });
});

describe('the lock lane on Linux 5.2: mmap_sem is held until the device is programmed', () => {
  const t = trace(munmapAfterFault('v5.2', 'file'));

  it('names the lock mmap_sem and reads range->valid instead of a sequence', () => {
    expect(lockLaneAt(t, 0).lockName).toBe('mmap_sem');
    expect(lockLaneAt(t, 1).check).toEqual({ kind: 'valid', valid: true, since: 0 });
  });

  it('keeps the munmap waiting through the driver lock and the programming', () => {
    const waits = lockLaneAt(t, after(t, isOp('waits')));
    expect(waits.why).toMatch(/^munmap of pages 6-7 waits: it needs mmap_sem for write/);
    // The narration, from the engine's own sentences, names the lock as 5.2 does too.
    expect(t.filter((e) => e.type === 'concurrent').map((e) => eventText(e))).toEqual([
      expect.stringMatching(/is issued, and waits: it needs mmap_sem for write/),
      expect.stringMatching(/^The driver side released mmap_sem: the waiting munmap/),
    ]);
    const programmed = lockLaneAt(
      t,
      after(t, (e) => e.type === 'program'),
    );
    expect(programmed.holder).toBe('driver');
    expect(programmed.waiting).toHaveLength(1);
    expect(programmed.driverLock).toBe(false);
    const up = lockLaneAt(t, after(t, isLock('up_read')));
    expect(up.holder).toBe(null);
    expect(up.why).toMatch(/^The driver released mmap_sem/);
    const end = lockLaneAt(t, t.length);
    expect(end.waiting).toEqual([]);
    expect(end.check).toEqual({ kind: 'valid', valid: true, since: 1 });
  });

  it('says when range->valid missed an invalidation that came and went (the race 5.5 closed)', () => {
    const swap = trace({
      ...munmapAfterFault('v5.2', 'file'),
      concurrent: [{ at: 'before-program', op: 'swap-out', pages: '0-1' }],
    });
    const s = lockLaneAt(swap, after(swap, isDriver('hmm_range_valid')));
    expect(s.check).toEqual({ kind: 'valid', valid: true, since: 1 });
    expect(s.why).toMatch(
      /^range->valid is true again: the invalidation since hmm_range_register came and went/,
    );
  });
});

describe('the lock lane, over every preset', () => {
  const traces = PRESETS.map((p) => ({ id: p.id, t: run(presetScenario(p)).trace }));

  it('ends with no op still waiting, and the holder of the last lock event', () => {
    for (const { id, t } of traces) {
      const end = lockLaneAt(t, t.length);
      expect(end.waiting, id).toEqual([]);
      const last = [...t].reverse().find((e) => e.type === 'lock');
      expect(end.holder, id).toBe(last && last.type === 'lock' ? last.holder : null);
    }
  });

  it('gives the same state whatever order the cursor moves in (the memo never leaks)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...traces),
        fc.array(fc.nat(400), { minLength: 1, maxLength: 8 }),
        ({ t }, cursors) => {
          for (const c of cursors) {
            const fresh = t.slice(0, Math.min(c, t.length)).reduce(stepLane, initialLane(t));
            expect(lockLaneAt(t, c)).toEqual(fresh);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the lock lane when a fault drops mmap_lock (7.3 unlocked call, hmm-semantics 10.3-10.4)', () => {
  // The events the unlocked call records, built by hand so that the lane is tested on its own.
  const base = { stack: '', attempt: 1 };
  const t: TraceEvent[] = [
    { ...base, type: 'driver', fn: 'mmu_interval_read_begin', value: 0 },
    { ...base, type: 'lock', fn: 'mmap_read_lock_killable', holder: 'driver', waiting: [] },
    { ...base, type: 'concurrent', fn: 'munmap', from: 2, to: 4, phase: 'waits', waited: false },
    { ...base, type: 'lock', fn: 'fault_dropped_lock', holder: null, waiting: ['munmap'] },
    { ...base, type: 'concurrent', fn: 'munmap', from: 2, to: 4, phase: 'runs', waited: true },
    {
      ...base,
      type: 'invalidate',
      fn: 'mmu_notifier_invalidate_range_start',
      from: 2,
      to: 4,
      event: 'UNMAP',
      ignored: false,
      erased: 0,
      seq: 2,
    },
    { ...base, type: 'driver', fn: 'mmu_interval_read_begin', value: 2 },
  ];

  it('says the fault dropped the lock and lets the waiting op in; the next pass reads the new sequence', () => {
    const dropped = lockLaneAt(t, 4);
    expect(dropped).toMatchObject({ holder: null, lastLockFn: 'fault_dropped_lock' });
    expect(dropped.why).toBe('The fault dropped mmap_lock: the waiting munmap can run now.');
    expect(lockLaneAt(t, 5).waiting).toEqual([]);
    expect(lockLaneAt(t, 6).check).toEqual({ kind: 'sequence', notifierSeq: 0, interval: 2, since: 1 });
    expect(lockLaneAt(t, 7).check).toEqual({ kind: 'sequence', notifierSeq: 2, interval: 2, since: 0 });
  });
});

describe('the lock lane takes the interval sequence from each 5.8+ invalidation event', () => {
  // The lane must not derive the sequence itself (the engine's "+2 per invalidation taken"):
  // these hand-made events carry sequences no such rule gives, and the lane shows them.
  const base = { stack: '', attempt: 1 };
  const inval = (seq: number, ignored = false): TraceEvent => ({
    ...base,
    type: 'invalidate',
    fn: 'mmu_notifier_invalidate_range_start',
    from: 0,
    to: 2,
    event: 'CLEAR',
    ignored,
    erased: 0,
    seq,
  });
  const t: TraceEvent[] = [
    { ...base, type: 'driver', fn: 'mmu_interval_read_begin', value: 4 },
    inval(10),
    inval(10, true),
    inval(7),
  ];

  it('shows the sequence the event carries, and counts only the invalidations the driver took', () => {
    expect(lockLaneAt(t, 1).check).toEqual({ kind: 'sequence', notifierSeq: 4, interval: 4, since: 0 });
    expect(lockLaneAt(t, 2).check).toEqual({ kind: 'sequence', notifierSeq: 4, interval: 10, since: 1 });
    expect(lockLaneAt(t, 3).check).toEqual({ kind: 'sequence', notifierSeq: 4, interval: 10, since: 1 });
    expect(lockLaneAt(t, 4).check).toEqual({ kind: 'sequence', notifierSeq: 4, interval: 7, since: 2 });
  });

  it('agrees with the engine: every 5.8+ invalidation event carries a sequence, no v5.2 one does', () => {
    const modern = trace(munmapAfterFault('v6')).filter((e) => e.type === 'invalidate');
    const v5_2 = trace(munmapAfterFault('v5.2', 'file')).filter((e) => e.type === 'invalidate');
    expect(modern.length).toBeGreaterThan(0);
    expect(v5_2.length).toBeGreaterThan(0);
    for (const e of modern) expect(typeof e.seq).toBe('number');
    for (const e of v5_2) expect('seq' in e).toBe(false);
  });
});
