import { describe, expect, it } from 'vitest';
import { run } from '../../engine/run.ts';
import { CPU_STATES } from '../../engine/types.ts';
import { validateScenario } from '../../state/scenarioIO.ts';
import { pageOutcomes, totals } from '../model/outcome.ts';
import { TOUR } from './steps.ts';
import { TOUR_TODAY } from './todaySteps.ts';
import { TOUR_LOCKS } from './lockSteps.ts';
import { stepCursor, stepScenario } from './tourMode.ts';

const step = (id: string) => TOUR.find((t) => t.id === id)!;
const outcome = (id: string, edit = false) => {
  const st = step(id);
  const s0 = stepScenario(st);
  const s = edit && st.tryIt ? st.tryIt.edit(s0) : s0;
  const r = run(s);
  return { s, r, pages: pageOutcomes(s, r), totals: totals(r) };
};

describe('the guided tour', () => {
  it('has at least eight steps, each a valid scenario that opens at an event it names', () => {
    expect(TOUR.length).toBeGreaterThanOrEqual(8);
    for (const st of TOUR) {
      const s = stepScenario(st);
      expect(validateScenario(s), st.id).toEqual([]);
      const r = run(s);
      expect(r.result.status, st.id).toBe('returned');
      if (st.at !== 'start') expect(stepCursor(st, r), st.id).toBeGreaterThan(0);
      expect(st.body.length, st.id).toBeGreaterThanOrEqual(2);
    }
  });

  it('says true things about its scenarios', () => {
    // 1: only page 7, read-only and asking for write, is faulted.
    expect(
      outcome('per-entry')
        .pages.filter((p) => p.fault)
        .map((p) => [p.page, p.fault]),
    ).toEqual([[7, 2]]);
    // 2: page 4 onwards read-faulted; with VALID|WRITE, the same pages write-faulted.
    expect(outcome('default-flags').pages.map((p) => p.fault)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(outcome('default-flags', true).pages.map((p) => p.fault)).toEqual([0, 0, 0, 0, 2, 2, 2, 2]);
    // 3: page 5's write spans 5-7; without WRITE in the mask nothing is faulted.
    expect(outcome('mask').pages.map((p) => p.fault)).toEqual([0, 0, 0, 0, 0, 2, 2, 2]);
    expect(outcome('mask', true).totals.faults).toBe(0);
    // 4: nothing faulted, pages 0-3 reported writable.
    const w = outcome('writable');
    expect(w.totals.faults).toBe(0);
    expect(w.pages.map((p) => p.device)).toEqual(['rw', 'rw', 'rw', 'rw', 'ro', 'ro', 'ro', 'ro']);
    // 7: a retry, and the swapped-out pages faulted on the second attempt.
    expect(outcome('race').totals.attempts).toBe(2);
    // 8: v5.2 loses page 6's write request; on v6 page 6 is write-faulted and writable.
    expect(outcome('after-5.2').pages[6]).toMatchObject({ fault: 1, device: 'ro' });
    expect(outcome('after-5.2', true).pages[6]).toMatchObject({ fault: 2, device: 'rw' });
  });
});

describe("the tour of today's wording (Linux 7.3)", () => {
  const today = (id: string, edit = false) => {
    const st = TOUR_TODAY.find((t) => t.id === id)!;
    const s0 = stepScenario(st);
    const s = edit && st.tryIt ? st.tryIt.edit(s0) : s0;
    const r = run(s);
    return { s, r, pages: pageOutcomes(s, r), totals: totals(r) };
  };
  it('has its steps, each a valid v7.3 scenario that opens at an event it names', () => {
    expect(TOUR_TODAY.length).toBeGreaterThanOrEqual(5);
    for (const st of TOUR_TODAY) {
      const s = stepScenario(st);
      expect(s.kernel, st.id).toBe('v7.3');
      expect(validateScenario(s), st.id).toEqual([]);
      const r = run(s);
      expect(r.result.status, st.id).toBe('returned');
      if (typeof st.at === 'function') expect(stepCursor(st, r), st.id).toBeGreaterThan(0);
    }
  });
  it("quotes today's hmm.rst, with HMM_PFN_REQ_FAULT and HMM_PFN_REQ_WRITE", () => {
    const quotes = TOUR_TODAY.map((t) => t.quote ?? '').join('\n');
    expect(quotes).toContain('range->default_flags = HMM_PFN_REQ_FAULT;');
    expect(quotes).toContain('range->pfns[index_of_write] = HMM_PFN_REQ_WRITE;');
  });
  it('says true things about its scenarios', () => {
    expect(today('policy').totals.faults).toBe(0);
    expect(today('read-all').pages.map((p) => p.fault)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(today('one-write').pages.map((p) => p.fault)).toEqual([0, 0, 0, 0, 0, 2, 2, 2]);
    expect(today('one-write', true).totals.faults).toBe(0);
    expect(today('after').pages.map((p) => p.device)).toEqual([
      'rw',
      'rw',
      'ro',
      'ro',
      'rw',
      'rw',
      'rw',
      'rw',
    ]);
  });
});

describe('the chapter "Holding the mmap lock across HMM faults"', () => {
  const locks = (id: string) => {
    const st = TOUR_LOCKS.find((t) => t.id === id)!;
    const s = stepScenario(st);
    const r = run(s);
    return { s, r, at: stepCursor(st, r), pages: pageOutcomes(s, r), totals: totals(r) };
  };
  const phases = (r: ReturnType<typeof run>) =>
    r.trace.flatMap((e) => (e.type === 'concurrent' ? [`${e.fn}:${e.phase}`] : []));

  it('has its steps, each a valid scenario with CPU-side events that opens at an event it names', () => {
    expect(TOUR_LOCKS.length).toBeGreaterThanOrEqual(5);
    for (const st of TOUR_LOCKS) {
      const s = stepScenario(st);
      expect(validateScenario(s), st.id).toEqual([]);
      expect(s.concurrent.length, st.id).toBeGreaterThan(0);
      const r = run(s);
      expect(r.result.status, st.id).toBe('returned');
      expect(stepCursor(st, r), st.id).toBeGreaterThan(0);
    }
  });

  it("quotes today's hmm.rst on the locked call", () => {
    expect(TOUR_LOCKS[0].quote).toContain(
      'The mmap lock must be held by the caller and will remain held on return.',
    );
  });

  it('says true things about its scenarios (hmm-semantics.md 10.5)', () => {
    // 1: opens with the driver holding mmap_lock for read.
    const p = locks('protects');
    expect(p.r.trace[p.at - 1]).toMatchObject({ type: 'lock', holder: 'driver' });
    // 2: munmap waits, swap-out runs at once (before the munmap does).
    const w = locks('who-waits');
    expect(phases(w.r)).toEqual(['munmap:waits', 'swap-out:runs', 'munmap:runs']);
    expect(w.r.trace[w.at - 1]).toMatchObject({ type: 'invalidate', event: 'CLEAR', from: 0, to: 2 });
    // 3: on 6.1 the call returns 0 with pages 6-7 faulted, the driver retries, then -EFAULT.
    const m = locks('munmap-6.1');
    expect(m.r.result.calls.map((c) => c.ret)).toEqual([0, -14]);
    expect(m.r.result.attempts).toBe(2);
    expect(m.r.trace[m.at - 1]).toMatchObject({ type: 'driver', fn: 'mmu_interval_read_retry', value: true });
    expect(m.pages.slice(6).map((p) => p.device)).toEqual(['none', 'none']);
    // 4: on 5.2 the call succeeds and programs pages 6-7; the munmap then erases them.
    const o = locks('munmap-5.2');
    expect(o.r.result.ret).toBe(8);
    expect(o.r.result.attempts).toBe(1);
    expect(phases(o.r)).toEqual(['munmap:waits', 'munmap:runs']);
    const kinds = o.r.trace.map((e) => e.type);
    expect(kinds.lastIndexOf('program')).toBeLessThan(kinds.lastIndexOf('invalidate'));
    expect(o.r.trace[o.at - 1]).toMatchObject({ type: 'invalidate', from: 6, to: 8, erased: 2 });
    expect(o.pages.slice(6).map((p) => p.device)).toEqual(['none', 'none']);
    // 5: on 5.2 a swap-out between the walk and the lock goes unseen: stale entries programmed.
    const st = locks('stale-5.2');
    expect(st.r.trace[st.at - 1]).toMatchObject({ type: 'driver', fn: 'hmm_range_valid', value: true });
    // (A written page of a private file mapping is anonymous: reclaim puts it in swap.)
    expect([0, 1].map((p) => [CPU_STATES[st.r.result.cpu[p]], st.pages[p].device])).toEqual([
      ['swap', 'rw'],
      ['swap', 'rw'],
    ]);
    // 6: 7.3's unlocked call: the uffd fault drops the lock, the munmap runs without waiting, the
    // next pass walks from range->start, and the one after finds no vma at page 2.
    const u = locks('unlocked-7.3');
    expect(u.r.trace[u.at - 1]).toMatchObject({ type: 'lock', fn: 'fault_dropped_lock', holder: null });
    expect(phases(u.r)).toEqual(['munmap:runs']);
    const walks = u.r.trace.flatMap((e) => (e.type === 'walk' ? [e.from] : []));
    expect(walks.length).toBeGreaterThan(1);
    expect(walks.every((from) => from === 0)).toBe(true);
    expect(u.r.result.errno).toBe('EFAULT');
    expect(u.r.trace.some((e) => e.type === 'program')).toBe(false);
  });
});
