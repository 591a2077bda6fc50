import { describe, expect, it } from 'vitest';
import { run } from '../../engine/run.ts';
import { parseScenario } from '../../engine/scenario/parse.ts';
import { PRESETS } from '../../engine/scenario/presets.ts';
import { GENERATIONS } from '../../engine/kernels/registry.ts';
import { lineFor, loadListing, loadListings } from './pseudocode.ts';

describe('the pseudocode panel', () => {
  it.each(PRESETS.map((p) => [p.id, p] as const))(
    'has a line for every step of preset %s',
    async (_id, p) => {
      const r = parseScenario(p.file);
      if (!r.ok) throw new Error(r.problems.join('\n'));
      const listing = await loadListing(r.scenario.kernel);
      const missing = run(r.scenario)
        .trace.filter((e) => lineFor(listing, e) < 0)
        .map((e) => `${e.type} ${e.fn}`);
      expect(missing).toEqual([]);
    },
  );

  it('highlights the seed line for a need-fault decision and handle_mm_fault for a fault', async () => {
    const listings = await loadListings();
    expect(listings).toHaveLength(GENERATIONS.length);
    for (const listing of listings) {
      const formula = listing.lines.findIndex((l) => l.id === 'formula');
      expect(listing.lines[formula].text).toMatch(/pfn_flags_mask/);
      const fault = listing.lines.findIndex((l) => l.id === 'fault');
      expect(listing.lines[fault].text).toMatch(/handle_mm_fault/);
    }
  });
});
