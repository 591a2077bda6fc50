import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importScenarioText } from './importFile.ts';
import { fileSlug } from './files.ts';

describe('importing a scenario file', () => {
  it('accepts a scenario file as written in public/scenarios', () => {
    const r = importScenarioText('example-2.json', readFileSync('public/scenarios/example-2.json', 'utf8'));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.scenario.range.pages).toBe(16);
  });

  it('says what is wrong, field by field, and where the JSON breaks', () => {
    const bad = importScenarioText(
      'bad.json',
      JSON.stringify({ format: 1, kernel: 'v7', range: { pages: 0 } }),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.some((p) => p.startsWith('kernel'))).toBe(true);
      expect(bad.problems.some((p) => p.startsWith('range'))).toBe(true);
    }
    const broken = importScenarioText('broken.json', '{"format": 1,\n "kernel": }');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.problems[0]).toMatch(/^line 2, column \d+: invalid JSON/);
  });
});

describe('file names', () => {
  it('come from the title', () => {
    expect(fileSlug('Seed example 2: read-fault the range, write-fault page 5')).toBe(
      'seed-example-2-read-fault-the-range-write-fault-page-5',
    );
    expect(fileSlug('  ')).toBe('hmm-scenario');
  });
});
