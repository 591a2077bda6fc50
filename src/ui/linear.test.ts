import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { scaleLinear } from 'd3-scale';
import { linear } from './linear.ts';

// Pages, steps and pixel widths: whole numbers at the ends, any value between.
const end = fc.integer({ min: -1e6, max: 1e6 });
const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

describe('linear, the first screen’s straight-line map', () => {
  test('answers as d3-scale’s scaleLinear does, both ways', () => {
    fc.assert(
      fc.property(fc.tuple(end, end), fc.tuple(end, end), finite, (domain, range, v) => {
        const ours = linear(domain, range);
        const d3 = scaleLinear().domain(domain).range(range);
        expect(close(ours(v), d3(v))).toBe(true);
        expect(close(ours.invert(v), d3.invert(v))).toBe(true);
      }),
    );
  });

  test('a one-page strip maps its page to the middle, as d3 does', () => {
    expect(linear([3, 3], [0, 100])(3)).toBe(50);
    expect(scaleLinear().domain([3, 3]).range([0, 100])(3)).toBe(50);
  });
});
