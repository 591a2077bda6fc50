/**
 * quickFaultRun() is handleMmFault() for the common faults of a large walk, without an outcome:
 * on every CPU state, vma kind, fault type and kernel generation it either does exactly what
 * handleMmFault() does page by page (same VM_FAULT_* word, same pte, same frames handed out, same
 * page-table generation, no invalidation, no userfault) or declines (0 pages) and changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { GENERATIONS } from '../kernels/registry.ts';
import { CPU_STATES, type VmaSpecial } from '../types.ts';
import { FAULT_FLAG, handleMmFault, quickFaultRun } from './fault.ts';
import { Mm, type MmVma, PMD_PAGES } from './mm.ts';
import { S, stateName } from './states.ts';

const BASE = 0x7f0000000; // a 2 MiB-aligned vpn
const VPN = BASE + 5;

interface Case {
  kernel: string;
  state: number;
  /** The block has no pte table (only for none). */
  noTable: boolean;
  vma: MmVma;
  write: boolean;
  softDirty: boolean;
  forked: boolean;
}

function mmFor(c: Case): { mm: Mm; invalidations: number[] } {
  const g = GENERATIONS.find((x) => x.id === c.kernel)!;
  const mm = new Mm(g.faults);
  mm.vmas = [c.vma];
  mm.softDirtyTracking = c.softDirty;
  if (stateName(c.state).startsWith('thp-')) mm.setHuge(BASE, c.state, mm.allocHugePfn());
  else if (!c.noTable) {
    mm.setPte(BASE, S.rw, mm.allocPfn()); // the block has a table
    mm.setPte(VPN, c.state, c.state === S.none || c.state === S.swap ? -1 : mm.allocPfn());
  }
  if (c.forked) mm.sharedAfterFork.add(VPN);
  const invalidations: number[] = [];
  mm.notifier.subscribe({ invalidate: (inv) => void invalidations.push(inv.from) });
  return { mm, invalidations };
}

/** What a fault may change, read back (as one string: 400,000 cases are compared). */
/** A two-pmd vma whose kind is the low six bits of `bits` (write, shared, anon, thp, allocFails, uffd). */
const vmaOf = (bits: number, special: VmaSpecial | null): MmVma => ({
  start: BASE,
  end: BASE + 2 * PMD_PAGES,
  read: true,
  write: (bits & 1) !== 0,
  shared: (bits & 2) !== 0,
  anon: (bits & 4) !== 0,
  thp: (bits & 8) !== 0,
  allocFails: (bits & 16) !== 0,
  uffd: bits & 32 ? 'missing' : null,
  special,
});

const snapshot = (mm: Mm): string =>
  `${stateName(mm.stateOf(VPN))} pfn=${mm.pfnOf(VPN)} ${mm.level(VPN)} next=${mm.nextPfn} gen=${mm.generation} forked=${mm.sharedAfterFork.has(VPN)}`;

function* cases(): Generator<Case> {
  // io stands for the driver vmas (pfnmap and mixedmap take the same first check).
  const specials: (VmaSpecial | null)[] = [null, 'io', 'hugetlb'];
  for (const g of GENERATIONS)
    for (let state = 0; state < CPU_STATES.length; state++)
      for (const noTable of state === S.none ? [false, true] : [false])
        for (const special of specials)
          for (let bits = 0; bits < 64; bits++)
            for (const write of [false, true])
              // Soft-dirty tracking and fork's sharing matter to a swapped-out page only.
              for (const softDirty of state === S.swap ? [false, true] : [false])
                for (const forked of state === S.swap ? [false, true] : [false])
                  yield {
                    kernel: g.id,
                    state,
                    noTable,
                    write,
                    softDirty,
                    forked,
                    vma: vmaOf(bits, special),
                  };
}

describe('quickFaultRun on one page', () => {
  test('does what handleMmFault does, or declines and changes nothing', () => {
    let quick = 0;
    let declined = 0;
    const handled = new Set<string>();
    for (const c of cases()) {
      const a = mmFor(c);
      const before = snapshot(a.mm);
      const out = { code: 0 };
      const done = quickFaultRun(a.mm, c.vma, VPN, VPN + 1, c.write, out);
      const code = out.code;
      const label = () => `${c.kernel} ${stateName(c.state)} ${JSON.stringify(c.vma)} write=${c.write}`;
      if (done === 0) {
        declined++;
        const after = snapshot(a.mm);
        if (after !== before) expect(after, label()).toBe(before);
        continue;
      }
      quick++;
      handled.add(`${stateName(c.state)} ${c.write ? 'write' : 'read'}`);
      const b = mmFor(c);
      const flags = FAULT_FLAG.REMOTE | (c.write ? FAULT_FLAG.WRITE : 0);
      const o = handleMmFault(b.mm, c.vma, VPN, flags);
      const got = `${code} ${snapshot(a.mm)} ${a.invalidations.length}`;
      const want = `${o.code} ${snapshot(b.mm)} ${b.invalidations.length}`;
      if (got !== want || o.userfault)
        expect({ got, userfault: o.userfault }, label()).toEqual({ got: want, userfault: false });
      expect(b.invalidations.length).toBe(0);
    }
    // The cases a large walk meets by the thousand are taken, and the rest is left alone.
    expect([...handled].sort()).toEqual([
      'cow read',
      'none read',
      'none write',
      'ro read',
      'ro write',
      'rw read',
      'rw write',
      'swap read',
      'swap write',
      'zero read',
    ]);
    expect(quick).toBeGreaterThan(1000);
    expect(declined).toBeGreaterThan(quick);
  });
});

/** Everything a fault may change in the block at BASE (states, frames) and the mm's counters. */
const blockSnapshot = (mm: Mm): string => {
  const slot = mm.slot(BASE);
  const states = slot?.state ? [...slot.state].join(',') : 'none';
  const frames = slot?.pfn ? [...slot.pfn].join(',') : 'none';
  return `${states} ${frames} next=${mm.nextPfn} gen=${mm.generation}`;
};

describe('quickFaultRun on a run of pages', () => {
  test('is handleMmFault page by page, for the pages it does', () => {
    // The states a walk meets in bulk, and some it must decline.
    const states = [S.none, S.swap, S.ro, S.rw, S.cow, S.zero, S.special, S.guard, S.protnone];
    let ran = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...GENERATIONS.map((g) => g.id)),
        fc.array(fc.constantFrom(...states), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: PMD_PAGES - 1 }),
        fc.integer({ min: 0, max: 63 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 3 }),
        fc.integer({ min: 1, max: 80 }),
        (kernel, pages, at, bits, write, softDirty, forked, span) => {
          const g = GENERATIONS.find((x) => x.id === kernel)!;
          const vma = vmaOf(bits, null);
          const make = () => {
            const mm = new Mm(g.faults);
            mm.vmas = [vma];
            mm.softDirtyTracking = softDirty;
            // The pages from `at` on (clipped to the block), then rw up to the block's end.
            for (let k = 0; k < PMD_PAGES; k++) {
              const st = k >= at && k - at < pages.length ? pages[k - at] : S.rw;
              mm.setPte(BASE + k, st, st === S.none || st === S.swap ? -1 : mm.allocPfn());
            }
            for (const f of forked) mm.sharedAfterFork.add(BASE + at + f);
            return mm;
          };
          const from = BASE + at;
          const to = from + span; // may run past the block: the next one has no table
          // The run's fault loop with quickFaultRun, and handleMmFault on each page it did.
          const a = make();
          const logA: string[] = [];
          const out = { code: 0 };
          let vpn = from;
          while (vpn < to) {
            const n = quickFaultRun(a, vma, vpn, to, write, out);
            if (n === 0) break;
            for (let j = 0; j < n; j++) logA.push(`${vpn + j}:${out.code}`);
            vpn += n;
          }
          if (vpn > from) ran++;
          const b = make();
          let invalidations = 0;
          b.notifier.subscribe({ invalidate: () => void invalidations++ });
          const logB: string[] = [];
          const flags = FAULT_FLAG.REMOTE | (write ? FAULT_FLAG.WRITE : 0);
          for (let v = from; v < vpn; v++) {
            const o = handleMmFault(b, vma, v, flags);
            expect(o.userfault).toBe(false);
            logB.push(`${v}:${o.code}`);
          }
          expect(logA).toEqual(logB);
          expect(invalidations).toBe(0);
          expect(blockSnapshot(a)).toBe(blockSnapshot(b));
        },
      ),
      { numRuns: 400 },
    );
    // Not vacuous: most draws start on a page a quick fault takes.
    expect(ran).toBeGreaterThan(100);
  });
});
