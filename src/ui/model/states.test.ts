import { describe, expect, it } from 'vitest';
import { run } from '../../engine/run.ts';
import { parseScenario } from '../../engine/scenario/parse.ts';
import { stateAtCursor } from '../../state/derived.ts';
import { pageViews } from './pageView.ts';
import { cpuLook } from './states.ts';

/** A protnone pte is a NUMA hint only where the vma grants VM_READ (NUMA balancing marks no other). */
describe('the protnone label', () => {
  const parsed = parseScenario({
    format: 1,
    title: 'a NUMA hint, then mprotect(PROT_NONE)',
    kernel: 'v6',
    call: 'hmm_range_fault',
    range: { start: '0x7f0000000000', pages: 4 },
    vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
    cpu: { '0': 'protnone', '1-3': 'rw' },
    defaultFlags: [],
    pfnFlagsMask: [],
    concurrent: [{ at: 'before-program', op: 'mprotect-none', pages: '2-3' }],
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const s = parsed.scenario;
  const r = run(s);
  const views = (cursor: number) => pageViews(s, r, cursor, stateAtCursor(s, r, cursor), 0, 4);

  it('says NUMA hinting for a protnone pte in a readable vma', () => {
    const v = views(0)[0];
    expect(v.cpu).toBe('protnone');
    expect(cpuLook(v.cpu, v.vmaReadable).brief).toBe('NUMA hinting');
  });

  it('says PROT_NONE vma, not NUMA hinting, after mprotect(PROT_NONE)', () => {
    const end = views(r.trace.length);
    expect(end[2].cpu).toBe('protnone');
    const look = cpuLook(end[2].cpu, end[2].vmaReadable);
    expect(look.brief).not.toMatch(/NUMA/);
    expect(look.long).toMatch(/mprotect\(PROT_NONE\)/);
    // The page that was a NUMA hint from the start still is one.
    expect(cpuLook(end[0].cpu, end[0].vmaReadable).brief).toBe('NUMA hinting');
  });
});
