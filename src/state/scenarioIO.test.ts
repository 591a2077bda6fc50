import { describe, expect, it } from 'vitest';
import {
  compactHash,
  defaultPreset,
  presetScenario,
  readHash,
  readableHash,
  validateScenario,
} from './scenarioIO.ts';
import { scenarioToFile } from '../engine/scenario/parse.ts';
import { paintCpu, setMask, setPages } from './edits.ts';

const base = () => presetScenario(defaultPreset());

describe('share links', () => {
  it('reads back what Copy link writes (#s=) and the hand-written form (#scenario=)', () => {
    const s = setMask(setPages(base(), 20), 0n);
    for (const hash of [compactHash(s), readableHash(s)]) {
      const r = readHash(hash);
      expect(r.kind).toBe('ok');
      if (r.kind === 'ok') expect(scenarioToFile(r.scenario)).toEqual(scenarioToFile(s));
    }
  });

  it('says what is wrong with a link instead of throwing', () => {
    const bad = readHash('#scenario=' + encodeURIComponent('{"format":1,"kernel":"v7"}'));
    expect(bad.kind).toBe('error');
    if (bad.kind === 'error') expect(bad.problems.some((p) => p.startsWith('kernel'))).toBe(true);
    expect(readHash('#s=%%%').kind).toBe('error');
    expect(readHash('#scenario=%E0%A4%A').kind).toBe('error');
    expect(readHash('#preset=nope').kind).toBe('error');
    expect(readHash('#preset=example-1').kind).toBe('ok');
    // In-page anchors are not scenario links.
    expect(readHash('#player').kind).toBe('none');
    expect(readHash('').kind).toBe('none');
  });
});

describe('edits', () => {
  it('are validated by the scenario schema', () => {
    expect(validateScenario(base())).toEqual([]);
    const s = base();
    const overlapping = { ...s, vmas: [...s.vmas, { ...s.vmas[0], from: 2 }] };
    expect(validateScenario(overlapping).length).toBeGreaterThan(0);
  });

  it('never change the scenario they start from', () => {
    const s = base();
    const cpu = s.cpu.slice();
    const t = paintCpu(s, 0, 3, 0);
    expect(s.cpu).toEqual(cpu);
    expect(t.cpu[0]).toBe(0);
  });
});
