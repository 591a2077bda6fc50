import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { paintCpuRuns, paintRequestRuns, setNotes, setPages, setVmaRuns } from './edits.ts';
import { presetScenario, defaultPreset, validateScenario } from './scenarioIO.ts';
import { parseScenario, scenarioToFile } from '../engine/scenario/parse.ts';
import { CPU_STATES, type Scenario, type Vma } from '../engine/types.ts';

const base = (): Scenario => setPages(presetScenario(defaultPreset()), 512);

/** The vma (its prot, or null) of each page, for comparing layouts page by page. */
function protOf(s: Scenario): (string | null)[] {
  const out: (string | null)[] = new Array(s.range.pages).fill(null);
  for (const v of s.vmas)
    for (let p = Math.max(0, v.from); p < Math.min(s.range.pages, v.from + v.pages); p++) out[p] = v.prot;
  return out;
}

describe('range edits', () => {
  it('paints the CPU state and the request of every page of the runs, no other', () => {
    const s = base();
    const t = paintRequestRuns(
      paintCpuRuns(
        s,
        [
          [2, 4],
          [10, 10],
        ],
        3,
      ),
      [
        [0, 0],
        [511, 511],
      ],
      5n,
    );
    expect([...t.cpu.slice(0, 12)]).toEqual([
      s.cpu[0],
      s.cpu[1],
      3,
      3,
      3,
      ...s.cpu.slice(5, 10),
      3,
      s.cpu[11],
    ]);
    expect(t.requests[0]).toBe(5n);
    expect(t.requests[511]).toBe(5n);
    expect(t.requests[1]).toBe(s.requests[1]);
    expect(s.cpu[2]).not.toBe(3); // the input is untouched
  });

  it('splits a vma as mprotect does, and setting it back joins it again', () => {
    const s = base();
    expect(s.vmas).toHaveLength(1);
    const ro = setVmaRuns(s, [[100, 199]], { prot: 'r' });
    expect(ro.vmas.map((v) => [v.from, v.pages, v.prot])).toEqual([
      [0, 100, 'rw'],
      [100, 100, 'r'],
      [200, 312, 'rw'],
    ]);
    expect(validateScenario(ro)).toEqual([]);
    expect(setVmaRuns(ro, [[100, 199]], { prot: 'rw' }).vmas).toEqual(s.vmas);
  });

  it('mprotect in the editor leaves a writable migration entry read-only, as change_pte_range does', () => {
    const rwEntry = CPU_STATES.indexOf('migration-rw');
    const s = paintCpuRuns(base(), [[100, 101]], rwEntry);
    expect(validateScenario(s)).toEqual([]);
    for (const prot of ['r', ''] as const) {
      const t = setVmaRuns(s, [[100, 101]], { prot });
      expect(CPU_STATES[t.cpu[100]]).toBe('migration');
      expect(validateScenario(t)).toEqual([]);
    }
  });

  it('unmaps pages (a hole) and maps a hole again as a private anonymous vma', () => {
    const s = base();
    const holed = setVmaRuns(s, [[10, 19]], null);
    expect(protOf(holed).slice(9, 21)).toEqual(['rw', ...new Array(10).fill(null), 'rw']);
    const mapped = setVmaRuns(holed, [[5, 25]], { prot: 'r' });
    expect(protOf(mapped).slice(4, 27)).toEqual(['rw', ...new Array(21).fill('r'), 'rw']);
    expect(validateScenario(mapped)).toEqual([]);
  });

  it('any run of vma edits gives the page-by-page layout asked for, and a valid scenario', () => {
    const prots: Vma['prot'][] = ['rw', 'r', 'w', ''];
    const step = fc.record({
      a: fc.nat(63),
      len: fc.integer({ min: 1, max: 20 }),
      prot: fc.option(fc.constantFrom(...prots), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        let s = setPages(presetScenario(defaultPreset()), 64);
        const want = protOf(s);
        for (const { a, len, prot } of steps) {
          const b = Math.min(63, a + len - 1);
          s = setVmaRuns(s, [[a, b]], prot === null ? null : { prot });
          for (let p = a; p <= b; p++) want[p] = prot;
        }
        expect(protOf(s)).toEqual(want);
        expect(validateScenario(s)).toEqual([]);
      }),
    );
  });

  it('notes travel in the file form and back; empty notes are no field', () => {
    const s = setNotes(base(), 'For the GPU team: pages 100-163 swapped.');
    const back = parseScenario(scenarioToFile(s));
    expect(back.ok && back.scenario.notes).toBe('For the GPU team: pages 100-163 swapped.');
    expect('notes' in setNotes(s, '')).toBe(false);
  });
});
