/**
 * The OUTPUT form's story fields (scenario-format.md, the additions' "calls" and
 * "invalidations"): one entry per call of the HMM function with its return and its
 * walk_page_range() walks, and every invalidation that hit the range, unclipped, in order.
 * The recordings check them on Linux 6.1 and 6.12 (test/kernel-fixtures.test.ts); these pin
 * what no recording has: v5.2's calls and a call that never returned.
 */
import { describe, expect, test } from 'vitest';
import { ALIGNED, sim } from '../testing/harness.ts';

describe('calls and invalidations', () => {
  test('v5.2: hmm_range_fault returns the pages done; a restart is a second walk of the same call', () => {
    const o = sim({
      kernel: 'v5.2',
      driver: 'seed',
      range: { start: ALIGNED, pages: 4 },
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'file' }],
      cpu: { '0-1': 'rw' },
      defaultFlags: [],
      pfnFlagsMask: 'all',
      requests: { '0-3': ['VALID'] },
    });
    expect(o.faultList).toBe('2r 3r');
    expect(o.calls).toEqual([{ ret: 4, walks: 2 }]);
    expect(o.restarts).toBe(1);
    expect(o.invalidations).toEqual([]);
  });

  test('a call stopped as a livelock has no entry (it never returned)', () => {
    const o = sim({
      kernel: 'v5.2',
      driver: 'seed',
      range: { start: ALIGNED, pages: 1 },
      vmas: [{ from: 0, pages: 1, prot: 'r', backing: 'anon' }],
      defaultFlags: ['VALID', 'WRITE'],
      pfnFlagsMask: [],
    });
    expect(o.status).toBe('livelock');
    expect(o.calls).toEqual([]);
  });
});
