import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { count } from './format.ts';

describe('count', () => {
  it('groups digits in threes, as people read counts', () => {
    expect(count(0)).toBe('0');
    expect(count(999)).toBe('999');
    expect(count(1000)).toBe('1,000');
    expect(count(9330)).toBe('9,330');
    expect(count(1048576)).toBe('1,048,576');
  });

  it('writes every whole or fractional count as English Intl.NumberFormat does (no decimals)', () => {
    // Node's Intl is the oracle here; the page avoids it only for its first-use cost.
    const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -1e15, max: 1e15 }),
          fc.double({ min: -1e12, max: 1e12, noNaN: true }),
          fc.integer({ min: -1e6, max: 1e6 }).map((n) => n + 0.5),
        ),
        (n) => {
          // Intl writes "-0" for values that round to zero from below; a count never is one.
          const want = intl.format(n).replace(/^-0$/, '0');
          expect(count(n)).toBe(want);
        },
      ),
    );
  });

  it('names what is not a number instead of grouping it', () => {
    expect(count(Number.NaN)).toBe('NaN');
    expect(count(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});
