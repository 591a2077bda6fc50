/**
 * buildMm builds the address space in bulk (the range's states copied in whole into range-ordered
 * pte tables, frames written a run of one state at a time) and the run reads the CPU table back
 * as views of those tables (Mm.takeRange). Both must give exactly what the page-by-page build and
 * the copying read-back give: every page's level, state and frame, every frame counter, and the
 * upper levels. The reference below is the page-by-page build the bulk one replaced, on an Mm
 * whose tables all come from the chunked pool.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { FaultModel } from '../kernels/generation.ts';
import { generation } from '../kernels/registry.ts';
import { CPU_STATES, type Scenario } from '../types.ts';
import { buildMm, startVpnOf, vmaFromScenario } from './build.ts';
import { HUGE_ZERO_PFN, Mm, PMD_PAGES, ZERO_PFN } from './mm.ts';
import { isDevicePrivate, isDevicePrivatePmd, isPteMarker, isThp, S } from './states.ts';

const faults: FaultModel = generation('v6').faults;

/**
 * The copying read-back takeRange replaced: the state and frame of every page of
 * [from, from + n), a block at a time, through the mm's public lookups.
 */
function readRange(mm: Mm, from: number, n: number, states: Uint8Array, pfns: Int32Array): void {
  for (let i = 0; i < n;) {
    const vpn = from + i;
    const k = vpn % PMD_PAGES;
    const len = Math.min(PMD_PAGES - k, n - i);
    const slot = mm.slot(vpn);
    if (!slot) {
      states.fill(S.none, i, i + len);
      pfns.fill(-1, i, i + len);
    } else if (slot.huge) {
      states.fill(slot.hugeState, i, i + len);
      for (let j = 0; j < len; j++) pfns[i + j] = slot.hugeState === S.none ? -1 : slot.hugePfn + k + j;
    } else {
      states.set(slot.state!.subarray(k, k + len), i);
      pfns.set(slot.pfn!.subarray(k, k + len), i);
    }
    i += len;
  }
}

/** The page-by-page build: one state and one frame per page, in page order. */
function buildPageByPage(s: Scenario): Mm {
  const startVpn = startVpnOf(s);
  const mm = new Mm(faults);
  mm.softDirtyTracking = [...s.cpu].some((c) =>
    ['ro', 'thp-ro', 'devpriv', 'devpriv-rw', 'devpriv-other', 'devpriv-other-rw'].includes(CPU_STATES[c]),
  );
  mm.vmas = s.vmas.map((v) => vmaFromScenario(startVpn, v));
  const inHugetlb = (vpn: number) =>
    mm.vmas.some((v) => v.special === 'hugetlb' && v.start <= vpn && vpn < v.end);
  for (let i = 0; i < s.range.pages; i++) {
    const st = s.cpu[i];
    const vpn = startVpn + i;
    if (st === S.none) continue;
    if (isThp(st) || inHugetlb(vpn)) {
      if (!mm.slot(vpn)?.huge)
        mm.setHuge(
          vpn,
          st,
          st === S.thpZero
            ? HUGE_ZERO_PFN
            : isDevicePrivatePmd(st)
              ? mm.allocHugeDevicePfn()
              : mm.allocHugePfn(),
        );
      continue;
    }
    const slot = mm.ensureTable(vpn);
    const k = vpn % PMD_PAGES;
    slot.state![k] = st;
    slot.pfn![k] =
      st === S.zero
        ? ZERO_PFN
        : isDevicePrivate(st)
          ? mm.allocDevicePfn()
          : st === S.special
            ? mm.allocSpecialPfn()
            : st === S.swap || isPteMarker(st)
              ? -1
              : mm.allocPfn();
  }
  return mm;
}

const SMALL_STATES = CPU_STATES.map((_, c) => c).filter((c) => !isThp(c));
const THP_STATES = CPU_STATES.map((_, c) => c).filter((c) => isThp(c));
const HUGETLB_STATES = [S.none, S.ro, S.rw];

/** One 2 MiB block of the range: no entries, small ptes in runs, one huge pmd, or a hugetlb page. */
const blockArb = fc.oneof(
  fc.constant({ kind: 'hole' as const, runs: [] as [number, number][], huge: 0 }),
  fc.record({
    kind: fc.constant('small' as const),
    runs: fc.array(fc.tuple(fc.constantFrom(...SMALL_STATES), fc.integer({ min: 1, max: 300 })), {
      minLength: 1,
      maxLength: 12,
    }),
    huge: fc.constant(0),
  }),
  fc.record({
    kind: fc.constant('thp' as const),
    runs: fc.constant([]),
    huge: fc.constantFrom(...THP_STATES),
  }),
  fc.record({
    kind: fc.constant('hugetlb' as const),
    runs: fc.constant([]),
    huge: fc.constantFrom(...HUGETLB_STATES),
  }),
);

const scenarioArb = fc
  .record({
    offset: fc.constantFrom(0, 1, 300, 511),
    blocks: fc.array(blockArb, { minLength: 1, maxLength: 6 }),
    cut: fc.nat(),
  })
  .map(({ offset, blocks, cut }) => {
    // The range starts `offset` pages into its first block and ends somewhere in its last one.
    const span = blocks.length * PMD_PAGES - offset;
    const pages = Math.max(1, span - (cut % PMD_PAGES));
    const cpu = new Uint8Array(pages);
    const vmas = blocks.map((b, i) => ({
      from: i * PMD_PAGES - offset,
      pages: PMD_PAGES,
      prot: 'rw',
      backing: 'anon',
      shared: false,
      special: b.kind === 'hugetlb' ? 'hugetlb' : null,
      thp: b.kind === 'thp',
      allocFails: false,
      uffd: null,
    }));
    blocks.forEach((b, i) => {
      const from = Math.max(0, i * PMD_PAGES - offset);
      const to = Math.min(pages, (i + 1) * PMD_PAGES - offset);
      if (b.kind === 'thp' || b.kind === 'hugetlb') cpu.fill(b.huge, from, to);
      let p = from;
      for (let r = 0; b.kind === 'small' && p < to; r = (r + 1) % b.runs.length) {
        const [st, len] = b.runs[r];
        cpu.fill(st, p, Math.min(to, p + len));
        p += len;
      }
    });
    return {
      range: { start: 0x7f0000000000n + BigInt(offset) * 4096n, pages },
      vmas,
      cpu,
    } as unknown as Scenario;
  });

describe('the bulk build and read-back equal the page-by-page ones', () => {
  test('every page, frame counter and upper level, on random ranges of huge, small and absent blocks', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const bulk = buildMm(s, faults);
        const ref = buildPageByPage(s);
        const start = startVpnOf(s);
        const n = s.range.pages;
        // The blocks the range touches, whole, and one page either side.
        const from = start - (start % PMD_PAGES) - 1;
        const to = start + n + PMD_PAGES - ((start + n) % PMD_PAGES) + 1;
        const pages = (mm: Mm) => {
          const out: string[] = [];
          for (let vpn = from; vpn < to; vpn++)
            out.push(`${mm.level(vpn)} ${mm.stateOf(vpn)} ${mm.pfnOf(vpn)}`);
          return out.join('\n');
        };
        expect(pages(bulk)).toBe(pages(ref));
        expect(bulk.softDirtyTracking).toBe(ref.softDirtyTracking);
        expect(bulk.generation).toBe(ref.generation);
        expect([...bulk.pmdTables]).toEqual([...ref.pmdTables]);
        expect([...bulk.pudTables]).toEqual([...ref.pudTables]);
        expect([bulk.allocPfn(), bulk.allocDevicePfn(), bulk.allocSpecialPfn()]).toEqual([
          ref.allocPfn(),
          ref.allocDevicePfn(),
          ref.allocSpecialPfn(),
        ]);
        const states = new Uint8Array(n);
        const pfns = new Int32Array(n);
        readRange(ref, start, n, states, pfns);
        const taken = bulk.takeRange(start, n);
        expect(taken.states).toEqual(states);
        expect(taken.pfns).toEqual(pfns);
      }),
      { numRuns: 150 },
    );
  }, 180_000);

  test('a table made after the build (a fault, a split) in the range is read back too', () => {
    const s = {
      range: { start: 0x7f0000000000n + 10n * 4096n, pages: 1000 },
      vmas: [
        { from: -10, pages: 1536, prot: 'rw', backing: 'anon', shared: false, special: null, thp: true },
      ],
      cpu: new Uint8Array(1000).fill(S.thpRw, 502, 1000),
    } as unknown as Scenario;
    const mm = buildMm(s, faults);
    const start = startVpnOf(s);
    mm.setPte(start + 3, S.rw, 77); // a fault in the first block, which had no table
    mm.splitHuge(start + 600, S.rw, false); // the second block, mapped huge, split
    const { states, pfns } = mm.takeRange(start, 1000);
    expect([states[3], pfns[3], states[4], pfns[4]]).toEqual([S.rw, 77, S.none, -1]);
    expect([states[600], pfns[600] - pfns[599]]).toEqual([S.rw, 1]);
    expect([states[999], states[0], states[501]]).toEqual([S.rw, S.none, S.none]);
  });
});
