/**
 * whenItRuns(): the sentence the editor and `npm run sim` give for when an op really runs, and a
 * check that it tells what the engine then does (hmm-semantics.md 10.5).
 */
import { describe, expect, test } from 'vitest';
import type { ConcurrentAt, ConcurrentOp } from '../types.ts';
import { ALIGNED, sim } from '../testing/harness.ts';
import { whenItRuns } from './mmap-lock.ts';

const ev = (op: ConcurrentOp, at: ConcurrentAt, n = 1, repeat = false) => ({ op, at, n, repeat });

describe('whenItRuns', () => {
  test('a write-locked op inside the locked call waits for hmm_range_fault to return', () => {
    expect(whenItRuns({ kernel: 'v6', call: 'hmm_range_fault' }, ev('munmap', 'after-fault'))).toBe(
      'munmap needs mmap_lock for write: issued after fault 1 of the run, it waits and runs after hmm_range_fault returns (mmap_read_unlock), before the driver checks its sequence.',
    );
  });
  test('5.2: it waits for the up_read after programming, and says mmap_sem', () => {
    expect(whenItRuns({ kernel: 'v5.2', call: 'hmm_range_fault' }, ev('fork', 'before-program'))).toBe(
      'fork needs mmap_sem for write: issued after the call returns, before the driver programs the device, it waits and runs after the driver’s up_read: once the device is programmed, whose entries its invalidation then erases (or before a retry, if the driver starts again).',
    );
  });
  test('6.1+: before-program, the driver has already released the lock', () => {
    expect(
      whenItRuns({ kernel: 'v6.12', call: 'hmm_range_fault' }, ev('mprotect-ro', 'before-program')),
    ).toMatch(/it runs at once: the driver has released mmap_lock\.$/);
  });
  test('ops that need no write lock run at once, whatever the moment', () => {
    for (const op of ['swap-out', 'madv-pageout', 'migrate-to-device', 'invalidate', 'sigkill'] as const)
      for (const kernel of ['v5.2', 'v6', 'v7.3'] as const)
        expect(whenItRuns({ kernel, call: 'hmm_range_fault' }, ev(op, 'after-fault', 2))).toMatch(
          /issued after fault 2 of the run, it runs at once\.$/,
        );
    expect(whenItRuns({ kernel: 'v6', call: 'hmm_range_fault' }, ev('madv-pageout', 'before-call'))).toBe(
      'madv-pageout (MADV_PAGEOUT) needs mmap_lock for read only: issued before the call, it runs at once.',
    );
  });
  test('7.3 unlocked: at the next release inside the call; repeat says every pass', () => {
    expect(
      whenItRuns(
        { kernel: 'v7.3', call: 'hmm_range_fault_unlocked_timeout' },
        ev('munmap', 'after-fault', 1, true),
      ),
    ).toBe(
      'munmap needs mmap_lock for write: issued after fault 1 of every pass, it waits and runs at the next release of mmap_lock: right after a fault that dropped it (userfaultfd), else between two passes, else after the call returns.',
    );
  });
  test('repeat on the locked call says every attempt', () => {
    expect(
      whenItRuns({ kernel: 'v6', call: 'hmm_range_fault' }, ev('invalidate', 'before-call', 1, true)),
    ).toBe('a bare invalidation takes no lock: issued before the call of every attempt, it runs at once.');
  });
});

describe('whenItRuns with "lasts"', () => {
  test('v5.2 says the invalidation ends at hmm_range_wait_until_valid', () => {
    expect(
      whenItRuns(
        { kernel: 'v5.2', call: 'hmm_range_fault' },
        { ...ev('swap-out', 'after-fault'), lasts: true },
      ),
    ).toBe(
      'swap-out (reclaim) takes no mmap_sem: issued after fault 1 of the run, it runs at once; its invalidation stays in progress (range->valid false) until the driver waits in hmm_range_wait_until_valid() before it starts again, or the run ends.',
    );
  });
  test('5.5+ says the next mmu_interval_read_begin waits for it', () => {
    expect(
      whenItRuns(
        { kernel: 'v6', call: 'hmm_range_fault' },
        { ...ev('invalidate', 'before-program'), lasts: true },
      ),
    ).toMatch(/until the next mmu_interval_read_begin\(\) waits for it to end, or the run ends\.$/);
  });
});

describe('the sentence tells what the run does', () => {
  const ops: ConcurrentOp[] = ['munmap', 'mprotect-ro', 'fork', 'swap-out', 'madv-pageout', 'invalidate'];
  const moments: ConcurrentAt[] = ['before-call', 'after-fault', 'before-program', 'after-program'];
  for (const kernel of ['v5.2', 'v6', 'v6.12', 'v7.3'] as const)
    test(kernel, () => {
      for (const op of ops)
        for (const at of moments) {
          const o = sim({
            kernel,
            range: { start: ALIGNED, pages: 4 },
            vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'file' }],
            cpu: { '0-1': 'rw' },
            driver: kernel === 'v5.2' ? 'seed' : { devicePrivateOwner: 'this' },
            defaultFlags: ['VALID'],
            pfnFlagsMask: [],
            concurrent: [{ at, op, pages: '0-1' }],
          });
          const [c] = o.concurrent!;
          expect(c.when).toBe(whenItRuns(o.scenario, o.scenario.concurrent[0]));
          const says = c.when.includes('it waits') ? 'waits' : 'at once';
          expect(`${op} ${at}: ${c.ran?.waited ? 'waits' : 'at once'}`).toBe(`${op} ${at}: ${says}`);
        }
    });
});
