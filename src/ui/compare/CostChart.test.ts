import { describe, expect, it } from 'vitest';
import { chartSummary, firstDivergence } from './CostChart.tsx';

describe("the cost chart's text alternative", () => {
  it('says where the two policies part and what each has paid by the end', () => {
    const a = [0, 0, 1, 2, 3];
    const b = [0, 0, 0, 1, 1];
    expect(firstDivergence(a, b)).toBe(2);
    expect(chartSummary(a, b)).toBe(
      'By page 4, A has made 3 handle_mm_fault calls and B 1. They part at page 2: A 1, B 0 calls so far.',
    );
  });

  it('says so when the policies fault the same pages', () => {
    expect(firstDivergence([1, 2], [1, 2])).toBeNull();
    expect(chartSummary([1, 2], [1, 2])).toBe(
      'By page 1, A has made 2 handle_mm_fault calls and B 2. The two policies fault the same pages along the whole range.',
    );
  });
});
