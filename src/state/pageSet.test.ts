import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countPages, formatRuns, inRuns, normalize, parsePageSet } from './pageSet.ts';
import type { Runs } from './pageSet.ts';

const pages = (text: string, n = 512): number[] => {
  const r = parsePageSet(text, n);
  if (!r.ok) throw new Error(r.error);
  const out: number[] = [];
  for (const [a, b] of r.runs) for (let p = a; p <= b; p++) out.push(p);
  return out;
};
const error = (text: string, n = 512): string => {
  const r = parsePageSet(text, n);
  if (r.ok) throw new Error(`expected an error for ${text}`);
  return r.error;
};

describe('parsePageSet', () => {
  it('reads ranges, lists and the "pages" prefix', () => {
    expect(parsePageSet('100-199', 512)).toEqual({ ok: true, runs: [[100, 199]], count: 100 });
    expect(pages('pages 3, 7, 11-20')).toEqual([3, 7, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(pages('page 5')).toEqual([5]);
    expect(pages('1 and 2, 4')).toEqual([1, 2, 4]);
    expect(pages('all', 4)).toEqual([0, 1, 2, 3]);
  });

  it('reads "every Nth" patterns with a start and a span', () => {
    expect(pages('every 4th page', 16)).toEqual([0, 4, 8, 12]);
    expect(pages('every 4th page from 1', 16)).toEqual([1, 5, 9, 13]);
    expect(pages('every 2nd in 8-13', 64)).toEqual([8, 10, 12]);
    expect(pages('every 3rd starting at 2 in 0-10', 64)).toEqual([2, 5, 8]);
    expect(pages('Every 1st', 3)).toEqual([0, 1, 2]);
    expect(pages('0-15/5')).toEqual([0, 5, 10, 15]);
    expect(parsePageSet('every 4th page', 512)).toMatchObject({ ok: true, count: 128 });
  });

  it('says what is wrong, naming the bad part', () => {
    expect(error('')).toMatch(/type pages/);
    expect(error('20-10')).toBe('"20-10" runs backwards: write the lower page first (10-20)');
    expect(error('600')).toBe('page 600 is past the last page (511)');
    expect(error('500-600')).toBe('"500-600" goes past the last page (511)');
    expect(error('3, x')).toMatch(/^"x" is not a page number/);
    expect(error('every 0th')).toMatch(/at least 1/);
    expect(error('every fourth')).toMatch(/the step is a number/);
    expect(error('every 4th from 900')).toBe('page 900 is past the last page (511)');
    expect(error('every 4th page sideways')).toMatch(/"sideways" is not understood/);
    expect(error('every 2nd from 1 in 4-9')).toMatch(/page 1 is outside 4-9/);
    expect(error('-3')).toMatch(/not a page number/);
  });

  const runsArb = (n: number) =>
    fc.array(
      fc
        .tuple(fc.nat(n - 1), fc.nat(n - 1))
        .map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]),
      { minLength: 1, maxLength: 12 },
    );

  it('reads back what formatRuns writes (any selection)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4096 }).chain((n) => fc.tuple(fc.constant(n), runsArb(n))),
        ([n, spans]) => {
          const runs = normalize(spans);
          const r = parsePageSet(formatRuns(runs), n);
          expect(r).toEqual({ ok: true, runs, count: countPages(runs) });
        },
      ),
    );
  });

  it('selects exactly the pages of its items, sorted and merged, within the range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }).chain((n) => fc.tuple(fc.constant(n), runsArb(n))),
        ([n, spans]) => {
          const text = spans.map(([a, b]) => `${a}-${b}`).join(', ');
          const r = parsePageSet(text, n);
          if (!r.ok) throw new Error(r.error);
          for (let i = 1; i < r.runs.length; i++) expect(r.runs[i][0]).toBeGreaterThan(r.runs[i - 1][1] + 1);
          for (let p = 0; p < n; p++) {
            const want = spans.some(([a, b]) => p >= a && p <= b);
            expect(inRuns(r.runs, p)).toBe(want);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('"every Kth from F in A-B" is the pages p of A-B with p >= F and (p - F) % K = 0', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 20 }),
        fc.nat(299),
        fc.nat(299),
        fc.nat(299),
        (n, k, x, y, f0) => {
          const [a, b] = [Math.min(x, y) % n, Math.max(x, y) % n].sort((u, v) => u - v);
          const f = a + (f0 % (b - a + 1));
          const got = pages(`every ${k}th page from ${f} in ${a}-${b}`, n);
          const want: number[] = [];
          for (let p = a; p <= b; p++) if (p >= f && (p - f) % k === 0) want.push(p);
          expect(got).toEqual(want);
        },
      ),
    );
  });

  it('never throws: any text is a selection or one message', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 100 }), (text, n) => {
        const r = parsePageSet(text, n);
        if (r.ok) for (const [a, b] of r.runs as Runs) expect(0 <= a && a <= b && b < n).toBe(true);
        else expect(r.error.length).toBeGreaterThan(0);
      }),
    );
  });
});
