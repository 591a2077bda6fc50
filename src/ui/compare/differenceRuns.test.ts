import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultKind, PageOutcome } from '../model/outcome.ts';
import { differenceRuns, pageDifference, runWords } from './differenceRuns.ts';

const page = (p: number, o: Partial<PageOutcome> = {}): PageOutcome => ({
  page: p,
  fault: 1,
  faults: 1,
  failed: 0,
  device: 'ro',
  out: 'V',
  ...o,
});

describe('differences in runs of pages', () => {
  it('joins consecutive pages that differ the same way, and says A before B', () => {
    const a = Array.from({ length: 8 }, (_, p) => page(p));
    const b = a.map((x) => (x.page >= 2 && x.page <= 5 ? { ...x, device: 'rw' as const, out: 'V W' } : x));
    b[7] = { ...b[7], fault: 0, faults: 0 };
    const runs = differenceRuns(a, b);
    expect(runs).toEqual([
      { from: 2, to: 5, text: 'device A read-only, B writable; output A V, B V W' },
      { from: 7, to: 7, text: 'A read fault, B no fault' },
    ]);
    expect(runs.map(runWords)).toEqual(['pages 2-5', 'page 7']);
  });

  it('covers exactly the pages that differ, each once, in order', () => {
    const outcome = fc.record({
      fault: fc.constantFrom<FaultKind>(0, 1, 2),
      faults: fc.nat(3),
      device: fc.constantFrom('none' as const, 'ro' as const, 'rw' as const),
      out: fc.constantFrom('V', 'V W', 'NONE'),
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(outcome, outcome), { maxLength: 40 }), (pairs) => {
        const a = pairs.map(([x], p) => page(p, x));
        const b = pairs.map(([, y], p) => page(p, y));
        const covered: number[] = [];
        for (const r of differenceRuns(a, b)) for (let p = r.from; p <= r.to; p++) covered.push(p);
        const differing = a.map((_, p) => p).filter((p) => pageDifference(a[p], b[p]) !== '');
        expect(covered).toEqual(differing);
      }),
    );
  });
});
