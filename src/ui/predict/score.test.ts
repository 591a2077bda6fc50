import { describe, expect, it } from 'vitest';
import { run } from '../../engine/run.ts';
import { QUESTIONS, questionScenario } from './questions.ts';
import { scorePrediction } from './score.ts';
import { pageOutcomes } from '../model/outcome.ts';
import { DEVICE_GUESSES } from '../../state/predict.ts';

describe('scoring a prediction', () => {
  const q = questionScenario(QUESTIONS.find((x) => x.id === 'one-write')!);
  const r = run(q);

  it('gives full marks to the run itself, and no reasons', () => {
    const o = pageOutcomes(q, r);
    const faults = Uint8Array.from(o.map((x) => x.fault));
    const device = Uint8Array.from(o.map((x) => DEVICE_GUESSES.indexOf(x.device)));
    const sc = scorePrediction(q, r, faults, device);
    expect(sc).toMatchObject({ faultsRight: 8, deviceRight: 8, total: 8 });
    expect(sc.pages.every((p) => p.fault.why === null && p.device.why === null)).toBe(true);
  });

  it('marks each miss and says why, from the trace', () => {
    // The natural first guess: only page 5 is write-faulted; everything else stays read-only.
    const faults = new Uint8Array(8);
    faults[5] = 2;
    const device = new Uint8Array(8).fill(1);
    device[5] = 2;
    const sc = scorePrediction(q, r, faults, device);
    expect(sc.faultsRight).toBe(6);
    expect(sc.deviceRight).toBe(6);
    expect(sc.pages[6].fault.why).toBe(
      "you said no fault; it was a write fault: page 6 was write-faulted because page 5's write fault spans the rest of its pmd chunk.",
    );
    expect(sc.pages[7].device.why).toMatch(/^you said ro; the device ends rw: page 7 was write-faulted/);
  });

  it('every ready question runs, and none is answered by leaving the guesses as they start', () => {
    for (const question of QUESTIONS) {
      const s = questionScenario(question);
      const rr = run(s);
      expect(rr.result.status, question.id).toBe('returned');
      const sc = scorePrediction(s, rr, new Uint8Array(s.range.pages), new Uint8Array(s.range.pages));
      expect(sc.faultsRight + sc.deviceRight, question.id).toBeLessThan(2 * sc.total);
    }
  });
});
