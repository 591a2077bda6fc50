import { describe, expect, it } from 'vitest';
import { run } from '../../engine/run.ts';
import { validateScenario } from '../../state/scenarioIO.ts';
import { pageOutcomes, totals } from '../model/outcome.ts';
import { TOUR } from './steps.ts';
import { TOUR_TODAY } from './todaySteps.ts';
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
