import { describe, expect, it } from 'vitest';
import { run } from '../../engine/run.ts';
import { parseScenario } from '../../engine/scenario/parse.ts';
import { stateAtCursor } from '../../state/derived.ts';
import { pageViews } from './pageView.ts';
import { CPU_STATES } from '../../engine/types.ts';
import { presentCodes } from '../stage/Legend.tsx';
import { CPU_STATE_ORDER, cpuLook } from './states.ts';

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

describe('the writable migration entry', () => {
  it('is said as a writable migration entry, with a short text of its own', () => {
    const look = cpuLook('migration-rw', true);
    expect(look.long).toMatch(/^migration entry, writable/);
    expect(look.short.length).toBeLessThanOrEqual(6);
    expect(look.short).not.toBe(cpuLook('migration', true).short);
  });
  it('is offered and listed next to the read-only one, every state once', () => {
    const at = CPU_STATE_ORDER.indexOf('migration');
    expect(CPU_STATE_ORDER[at + 1]).toBe('migration-rw');
    expect([...CPU_STATE_ORDER].sort()).toEqual([...CPU_STATES].sort());
    const codes = presentCodes(
      Uint8Array.of(CPU_STATES.indexOf('migration-rw'), CPU_STATES.indexOf('migration'), 0),
    );
    expect(codes.map((c) => CPU_STATES[c])).toEqual(['none', 'migration', 'migration-rw']);
  });
});

describe('the writable THP migration entry', () => {
  it('has a short text of its own and is listed next to the read-only one', () => {
    const look = cpuLook('thp-migration-rw', true);
    expect(look.long).toMatch(/writable entry/);
    expect(look.short.length).toBeLessThanOrEqual(6);
    expect(look.short).not.toBe(cpuLook('thp-migration', true).short);
    const at = CPU_STATE_ORDER.indexOf('thp-migration');
    expect(CPU_STATE_ORDER[at + 1]).toBe('thp-migration-rw');
  });
});
