import { describe, expect, test } from 'vitest';
import { ALIGNED, sim } from '../testing/harness.ts';
import { stateAt } from './replay.ts';

const file = (pages: number) => ({
  kernel: 'v6',
  range: { start: ALIGNED, pages },
  vmas: [{ from: 0, pages, prot: 'rw', backing: 'anon' }],
  cpu: { '0': 'rw', [`${pages - 2}`]: 'zero' },
  defaultFlags: ['VALID'],
  pfnFlagsMask: ['WRITE'],
  requests: { '3': ['WRITE'] },
});

describe('trace levels', () => {
  test('full: one event per pte decision and per handle_mm_fault, each with its kernel call stack', () => {
    const o = sim(file(16), { trace: 'full' });
    const events = o.run.trace;
    expect(events.filter((e) => e.type === 'fault')).toHaveLength(o.faults.length);
    expect(events.filter((e) => e.type === 'pte').length).toBeGreaterThanOrEqual(16);
    const fault = events.find((e) => e.type === 'fault')!;
    expect(fault.stack).toBe(
      'hmm_range_fault > walk_page_range > hmm_vma_walk_pmd > hmm_vma_handle_pte > hmm_vma_fault > handle_mm_fault',
    );
  });
  test('coarse: per-page steps left out, each fault span summarised, the end state exact', () => {
    const o = sim(file(16), { trace: 'coarse' });
    const types = new Set(o.run.trace.map((e) => e.type));
    for (const t of ['pte', 'fault', 'fill', 'hole']) expect(types.has(t as never)).toBe(false);
    const spans = o.run.trace.flatMap((e) => (e.type === 'faults' ? [e] : []));
    expect(spans.reduce((n, e) => n + e.count, 0)).toBe(o.faults.length);
    const end = stateAt(o.scenario, o.run, o.run.trace.length);
    expect(Array.from(end.device)).toEqual(Array.from(o.run.result.device));
  });
  test('ranges above 4096 pages get a coarse trace by default', () => {
    expect(sim(file(4096)).run.trace.some((e) => e.type === 'pte')).toBe(true);
    expect(sim(file(4097)).run.trace.some((e) => e.type === 'pte')).toBe(false);
  });
  test('none: no trace at all, the same result', () => {
    const full = sim(file(16), { trace: 'full' });
    const none = sim(file(16), { trace: 'none' });
    expect(none.run.trace).toEqual([]);
    expect(none.pfns).toEqual(full.pfns);
  });
});

describe('pte events', () => {
  test("record the word the decision read (the caller's input), and the word written", () => {
    for (const kernel of ['v5.2', 'v6']) {
      const o = sim(
        { ...file(4), kernel, requests: { '0': ['WRITE'] }, cpu: { '0-3': 'rw' } },
        { trace: 'full' },
      );
      const first = o.run.trace.find((e) => e.type === 'pte' && e.page === 0);
      expect(first && first.type === 'pte' && first.input).toBe('0x4000000000000000');
      expect(first && first.type === 'pte' && first.out).toBe(o.pfns[0].raw.replace(/^0x0*/, '0x'));
    }
  });
});
