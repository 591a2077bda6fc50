/**
 * A coarse trace (the UI's above 4096 pages) summarises each fault loop (hmm_vma_fault,
 * hmm_do_fault, v5.2's hmm_vma_walk_hole_) in one `faults` event when the loop returns. A run
 * that ends inside a fault (a task asleep for ever, an oops) ends its coarse trace where the task
 * stops, as the full trace does: no summary comes after it, and none counts a fault that never
 * returned (env.faultLoop).
 */
import { describe, expect, test } from 'vitest';
import { PRESETS, presetById } from '../scenario/presets.ts';
import { sim, V52_UFFD_ASLEEP } from '../testing/harness.ts';
import type { Run } from '../types.ts';

/** handle_mm_fault calls the coarse trace's summaries count. */
const summarised = (r: Run) => r.trace.reduce((n, e) => n + (e.type === 'faults' ? e.count : 0), 0);

describe('v5.2 coarse trace of a run that ends inside a hole fault', () => {
  test('a uffd fault that sleeps for ever: the trace ends at the sleep, no summary after it', () => {
    const o = sim(V52_UFFD_ASLEEP, { trace: 'coarse' });
    expect(o.status).toBe('blocked');
    expect(o.run.trace.at(-1)).toMatchObject({ type: 'driver', fn: 'userfault_sleeps' });
    // Page 0's fault returned and is summarised; page 1's never returned.
    expect(o.run.result.faults.length).toBe(1);
    expect(summarised(o.run)).toBe(1);
  });

  test('an oops (a fault with no vma): no summary of the fault that was never made', () => {
    const o = sim(presetById('v5.2-oops-range-outside-vma')!.file as Record<string, unknown>, {
      trace: 'coarse',
    });
    expect(o.status).toBe('oops');
    expect(o.run.trace.at(-1)?.type).not.toBe('faults');
    expect(summarised(o.run)).toBe(o.run.result.faults.length);
  });
});

describe('every preset: the coarse summaries count each handle_mm_fault that returned, once', () => {
  test.each(PRESETS.map((p) => p.id))('%s', (id) => {
    const o = sim(presetById(id)!.file as Record<string, unknown>, { trace: 'coarse' });
    expect(summarised(o.run)).toBe(o.run.result.faults.length);
  });
});
