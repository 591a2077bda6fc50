/**
 * WrittenSpans stands for the per-page array the walk used to clear (holdsInput: 1 until the
 * page's entry is first written). Whatever the order of the marks, it must answer exactly as that
 * array does, and keep its spans sorted, disjoint and merged (so a walk in address order stays
 * one span).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { WrittenSpans } from './written.ts';

/** A mark [from, to) inside a range of n pages (possibly empty, from === to). */
const marks = (n: number) =>
  fc.array(
    fc.tuple(fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n })).map(([a, b]) => [a, b] as const),
    { maxLength: 40 },
  );

describe('the written pages as spans', () => {
  test('equal the per-page array, for marks in any order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 80 }).chain((n) => fc.tuple(fc.constant(n), marks(n))),
        ([n, ms]) => {
          const plain = new Uint8Array(n).fill(1);
          const spans = new WrittenSpans();
          for (const [from, to] of ms) {
            for (let i = from; i < to; i++) plain[i] = 0;
            spans.add(from, to);
          }
          expect([...spans.holdsInput(n)]).toEqual([...plain]);
          for (let i = 0; i < n; i++) expect(spans.has(i)).toBe(plain[i] === 0);
          // Sorted, non-empty, disjoint and not touching: each run of written pages is one span.
          for (let k = 0; k < spans.count; k++) {
            expect(spans.from(k)).toBeLessThan(spans.to(k));
            if (k > 0) expect(spans.to(k - 1)).toBeLessThan(spans.from(k));
          }
          let runs = 0;
          for (let i = 0; i < n; i++) if (plain[i] === 0 && (i === 0 || plain[i - 1] === 1)) runs++;
          expect(spans.count).toBe(runs);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('a walk in address order, page by page or in runs, is one span', () => {
    const spans = new WrittenSpans();
    for (let i = 0; i < 100; i++) spans.add(i, i + 1);
    spans.add(100, 300);
    spans.add(250, 260);
    expect(spans.count).toBe(1);
    expect([spans.from(0), spans.to(0)]).toEqual([0, 300]);
    // A later attempt walks the range again from its start: still one span.
    spans.add(0, 10);
    expect(spans.count).toBe(1);
    expect([...spans.holdsInput(302)].slice(298)).toEqual([0, 0, 1, 1]);
  });

  test('nothing written: every page holds its input', () => {
    expect([...new WrittenSpans().holdsInput(3)]).toEqual([1, 1, 1]);
  });
});
