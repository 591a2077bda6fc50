import { describe, expect, test } from 'vitest';
import { scenario } from '../../engine/testing/harness.ts';
import { brackets } from './geometry.ts';

/** The pmd-level entries over the whole range, as "kind from-to". */
function pmdKinds(file: Record<string, unknown>): string[] {
  const s = scenario({ kernel: 'v6', ...file });
  return brackets(s, s.cpu, 0, s.range.pages)
    .filter((b) => b.level === 'pmd')
    .map((b) => `${b.kind} ${b.from}-${b.to}`);
}

const TWO_BLOCKS = { start: '0x7f0000000000', pages: 1024 };

describe('the pmd entries over the range', () => {
  test('small pages under a pte table, a hole where a block is all none', () => {
    expect(
      pmdKinds({
        range: TWO_BLOCKS,
        vmas: [{ from: 0, pages: 1024, prot: 'rw', backing: 'anon' }],
        cpu: { '3': 'rw' },
        defaultFlags: [],
      }),
    ).toEqual(['table 0-512', 'none 512-1024']);
  });

  test('a THP is a huge pmd', () => {
    expect(
      pmdKinds({
        range: TWO_BLOCKS,
        vmas: [{ from: 0, pages: 1024, prot: 'rw', backing: 'anon', thp: true }],
        cpu: { '512-1023': 'thp-rw' },
        defaultFlags: [],
      }),
    ).toEqual(['none 0-512', 'huge 512-1024']);
  });

  test('a mapped hugetlb page is a huge pmd too, not a pte table', () => {
    expect(
      pmdKinds({
        range: TWO_BLOCKS,
        vmas: [{ from: 0, pages: 1024, prot: 'rw', backing: 'anon', special: 'hugetlb' }],
        cpu: { '0-511': 'rw' },
        defaultFlags: [],
      }),
    ).toEqual(['huge 0-512', 'none 512-1024']);
  });
});
