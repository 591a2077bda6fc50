import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET_ID, DEFAULT_WATCH, defaultScenario } from './defaultPreset.ts';
import { presetById } from './presets.ts';
import { parseScenario } from './parse.ts';

describe('the default preset module', () => {
  it('equals what the parser makes of the preset file, watch sentence included', () => {
    const p = presetById(DEFAULT_PRESET_ID)!;
    const r = parseScenario(p.file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(defaultScenario()).toStrictEqual(r.scenario);
    expect(DEFAULT_WATCH).toBe(p.watch);
  });

  it('gives a fresh copy each call', () => {
    const a = defaultScenario();
    a.cpu[0] = 0;
    a.requests[5] = 0n;
    expect(defaultScenario().cpu[0]).not.toBe(0);
    expect(defaultScenario().requests[5]).not.toBe(0n);
  });
});
