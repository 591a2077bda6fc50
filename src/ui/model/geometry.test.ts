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
  test.each([
    {
      what: 'small pages under a pte table, a hole where a block is all none',
      vma: {},
      cpu: { '3': 'rw' },
      pmds: ['table 0-512', 'none 512-1024'],
    },
    {
      what: 'a THP is a huge pmd',
      vma: { thp: true },
      cpu: { '512-1023': 'thp-rw' },
      pmds: ['none 0-512', 'huge 512-1024'],
    },
    {
      what: 'a mapped hugetlb page is a huge pmd too, not a pte table',
      vma: { special: 'hugetlb' },
      cpu: { '0-511': 'rw' },
      pmds: ['huge 0-512', 'none 512-1024'],
    },
  ])('$what', ({ vma, cpu, pmds }) => {
    expect(
      pmdKinds({
        range: TWO_BLOCKS,
        vmas: [{ from: 0, pages: 1024, prot: 'rw', backing: 'anon', ...vma }],
        cpu,
        defaultFlags: [],
      }),
    ).toEqual(pmds);
  });
});
