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

  it("points 7.3's unlocked call at its own block: its driver, its passes, the lock drop", async () => {
    const p = PRESETS.find((x) => x.id === 'v7.3-uffd-read-unlocked')!;
    const r = parseScenario(p.file);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    const listing = await loadListing('v7.3');
    const text = (pick: (e: ReturnType<typeof run>['trace'][number]) => boolean) => {
      const e = run(r.scenario).trace.find(pick)!;
      return listing.lines[lineFor(listing, e)].text;
    };
    expect(text((e) => e.type === 'call')).toMatch(
      /ret = hmm_range_fault_unlocked_timeout\(&range, timeout\)/,
    );
    expect(text((e) => e.type === 'driver' && e.fn === 'mmu_interval_read_begin')).toMatch(
      /range->notifier_seq = mmu_interval_read_begin/,
    );
    expect(text((e) => e.type === 'lock' && e.fn === 'mmap_read_lock_killable')).toMatch(
      /mmap_read_lock_killable/,
    );
    expect(text((e) => e.type === 'fault')).toMatch(/VM_FAULT_RETRY/);
    expect(text((e) => e.type === 'lock' && e.fn === 'fault_dropped_lock')).toMatch(/release_fault_lock/);
    expect(text((e) => e.type === 'driver' && e.fn === 'mmu_interval_read_retry')).toMatch(
      /mmu_interval_read_retry\(&interval_sub/,
    );
    // The locked call's steps keep the locked driver's lines.
    const locked = parseScenario(PRESETS.find((x) => x.id === 'example-2-v7.3')!.file);
    if (!locked.ok) throw new Error(locked.problems.join('\n'));
    const call = run(locked.scenario).trace.find((e) => e.type === 'call')!;
    expect(listing.lines[lineFor(listing, call)].text).toMatch(/ret = hmm_range_fault\(&range\)/);
  });

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
