/**
 * An invalidation that starts inside the driver's work and ends later (`"lasts": true`), so v5.2's
 * range->valid is really seen false. Each expectation is read off mm/hmm.c at 0092908d16c6 and
 * hmm.rst's driver (hmm-semantics.md 2.2, 3.A, 10.5, 10.6), not copied from the engine:
 *
 * - invalidate_range_start sets valid false and erases device entries; _end sets it true again
 *   once hmm->notifiers is back to 0. A lasting event's _end comes when the driver waits for it
 *   (hmm_range_wait_until_valid; 5.5+: mmu_interval_read_begin) or at the end of the run.
 * - Inside a walk, after a fault: `while (ret == -EBUSY && range->valid)` stops, `if (ret)`
 *   clears pfns from last to the end (hmm_pfns_clear) and returns -EBUSY with mmap_sem held.
 * - At the top of a vma iteration: `if (!range->valid) { up_read(&hmm->mm->mmap_sem); return
 *   -EAGAIN; }`: the call released the lock, the driver must not up_read again.
 * - After the call: hmm_range_valid() false → unlock, retry.
 *
 * The scenario: pages 0-1 rw and 2-3 none, every page asked for read (default_flags VALID); the
 * op (swap-out or a bare invalidation) acts on pages 0-1. v5.2 uses a private file vma (a read
 * fault maps a page-cache page, which v5.2 reports; an anonymous one maps the zero page, which
 * v5.2 fails on), 6.1 an anonymous one, as lock-model.test.ts does.
 */
import { describe, expect, test } from 'vitest';
import type { TraceEvent } from '../types.ts';
import { ALIGNED, sim } from '../testing/harness.ts';
import { eventText } from '../trace/text.ts';

type At = 'before-call' | 'after-fault' | 'before-program' | 'after-program';

function lasting(
  kernel: 'v5.2' | 'v6' | 'v7.3',
  at: At,
  extra: Record<string, unknown> = {},
  op = 'swap-out',
) {
  return sim({
    kernel,
    range: { start: ALIGNED, pages: 4 },
    vmas: [{ from: 0, pages: 4, prot: 'rw', backing: kernel === 'v5.2' ? 'file' : 'anon' }],
    cpu: { '0-1': 'rw' },
    defaultFlags: ['VALID'],
    concurrent: [{ at, n: 1, op, pages: '0-1', lasts: true }],
    ...extra,
  });
}

/** The trace as "stmt|fn" steps, attempt by attempt, for the steps this file is about. */
const steps = (trace: TraceEvent[]): string[] =>
  trace
    .filter(
      (e) =>
        e.type === 'return' ||
        e.type === 'lock' ||
        e.type === 'invalidate' ||
        (e.type === 'fill' && e.stmt === 'clear') ||
        (e.type === 'driver' && e.fn !== 'driver_lock' && e.fn !== 'hmm_range_register'),
    )
    .map((e) => `${e.attempt}:${e.stmt ?? ''}|${e.type === 'return' ? `${e.fn}=${e.ret}` : e.fn}`);

describe('v5.2: range->valid really seen false', () => {
  test('after fault 1: the inner loop stops on !valid with -EBUSY, pfns from last cleared, the driver waits until valid and attempt 2 succeeds', () => {
    const o = lasting('v5.2', 'after-fault');
    expect(steps(o.run.trace)).toEqual([
      '1:drv.down_read|down_read',
      '1:inval|mmu_notifier_invalidate_range_start',
      // the walk of pages 2-3 faulted from page 2 (last = 2); valid false ends the loop
      '1:clear|hmm_range_fault: hmm_pfns_clear',
      '1:return.err|hmm_range_fault=-16',
      // -EBUSY keeps mmap_sem: the driver's own up_read
      '1:drv.up_read_err|up_read',
      '1:drv.retry|retry',
      '1:drv.retry|hmm_range_wait_until_valid',
      '2:drv.down_read|down_read',
      '2:return|hmm_range_fault=4',
      '2:drv.hmm_range_valid|hmm_range_valid',
      '2:drv.up_read|up_read',
    ]);
    const clear = o.run.trace.find((e) => e.type === 'fill' && e.stmt === 'clear');
    expect(clear && clear.type === 'fill' ? [clear.from, clear.to] : null).toEqual([2, 4]);
    // No re-walk in attempt 1: the loop did not go round again.
    expect(o.run.trace.filter((e) => e.type === 'walk' && e.attempt === 1).map((e) => e.stmt)).toEqual([
      'walk',
    ]);
    expect(o.run.result.attempts).toBe(2);
    expect(o.run.result.ret).toBe(4);
  });

  test('before the call: -EAGAIN at the top of the vma loop, mmap_sem released inside hmm_range_fault, no second up_read', () => {
    const o = lasting('v5.2', 'before-call', {}, 'invalidate');
    expect(steps(o.run.trace).filter((s) => s.startsWith('1:'))).toEqual([
      '1:inval|mmu_notifier_invalidate_range_start',
      '1:drv.down_read|down_read',
      '1:valid.false|hmm_range_valid',
      '1:return.eagain|up_read',
      '1:return.eagain|hmm_range_fault=-11',
      '1:drv.retry|retry',
      '1:drv.retry|hmm_range_wait_until_valid',
    ]);
    // One down_read, one up_read per attempt: the rwsem stays balanced.
    const locks = o.run.trace.filter((e) => e.type === 'lock').map((e) => `${e.attempt}:${e.fn}`);
    expect(locks).toEqual(['1:down_read', '1:up_read', '2:down_read', '2:up_read']);
    expect(o.run.result.attempts).toBe(2);
  });

  test('hmm_range_snapshot before the call: -EAGAIN with mmap_sem still held (no up_read in the snapshot), so the driver releases it', () => {
    const o = lasting('v5.2', 'before-call', { call: 'hmm_range_snapshot' }, 'invalidate');
    expect(steps(o.run.trace).filter((s) => s.startsWith('1:'))).toEqual([
      '1:inval|mmu_notifier_invalidate_range_start',
      '1:drv.down_read|down_read',
      '1:valid.false|hmm_range_valid',
      '1:return.eagain|hmm_range_snapshot=-11',
      '1:drv.up_read_err|up_read',
      '1:drv.retry|retry',
      '1:drv.retry|hmm_range_wait_until_valid',
    ]);
    expect(o.run.result.attempts).toBe(2);
  });

  test('before programming: hmm_range_valid() is false, the driver unlocks and goes back to again: (no wait there), so the next call returns -EAGAIN and the retry path waits', () => {
    const o = lasting('v5.2', 'before-program');
    expect(steps(o.run.trace)).toEqual([
      '1:drv.down_read|down_read',
      '1:return|hmm_range_fault=4',
      '1:inval|mmu_notifier_invalidate_range_start',
      '1:drv.stale|hmm_range_valid',
      '1:drv.stale|up_read',
      // `goto again` is past the registration's wait: the next call finds valid still false
      '2:drv.down_read|down_read',
      '2:valid.false|hmm_range_valid',
      '2:return.eagain|up_read',
      '2:return.eagain|hmm_range_fault=-11',
      '2:drv.retry|retry',
      '2:drv.retry|hmm_range_wait_until_valid',
      '3:drv.down_read|down_read',
      '3:return|hmm_range_fault=4',
      '3:drv.hmm_range_valid|hmm_range_valid',
      '3:drv.up_read|up_read',
    ]);
    expect(o.run.result.attempts).toBe(3);
  });

  test('the same event run to completion (no "lasts") is invisible to the check: one attempt', () => {
    const o = sim({
      kernel: 'v5.2',
      range: { start: ALIGNED, pages: 4 },
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'file' }],
      cpu: { '0-1': 'rw' },
      defaultFlags: ['VALID'],
      concurrent: [{ at: 'before-program', op: 'swap-out', pages: '0-1' }],
    });
    expect(o.run.result.attempts).toBe(1);
    expect(o.run.trace.some((e) => e.stmt === 'drv.stale')).toBe(false);
  });

  test('the old API: the wrapper waits until valid before it calls, so an event in progress before the call ends there', () => {
    const o = lasting('v5.2', 'before-call', {
      call: 'hmm_vma_fault',
      defaultFlags: undefined,
      requests: { '0-3': ['VALID'] },
    });
    const s = steps(o.run.trace);
    expect(s.indexOf('1:wrapper|hmm_range_wait_until_valid')).toBeGreaterThan(
      s.indexOf('1:inval|mmu_notifier_invalidate_range_start'),
    );
    expect(s).not.toContain('1:valid.false|hmm_range_valid');
    expect(o.run.result.attempts).toBe(1);
  });

  test('the old API after fault 1: hmm_range_fault returns -EBUSY, the wrapper returns -EBUSY, the next call waits', () => {
    const o = lasting('v5.2', 'after-fault', {
      call: 'hmm_vma_fault',
      defaultFlags: undefined,
      requests: { '0-3': ['VALID'] },
    });
    const s = steps(o.run.trace);
    expect(s).toContain('1:wrapper.busy|hmm_vma_fault=-16');
    expect(s).toContain('1:drv.retry|hmm_range_wait_until_valid');
    expect(o.run.result.attempts).toBe(2);
  });

  test('an invalidation nobody waits for ends with the run', () => {
    const o = lasting('v5.2', 'after-program');
    const last = o.run.trace.at(-1)!;
    expect(last.type === 'driver' && last.fn).toBe('mmu_notifier_invalidate_range_end');
    expect(o.run.result.attempts).toBe(1);
  });
});

describe('5.5+: the interval notifier during an invalidation in progress', () => {
  test('6.1 after fault 1: mmu_interval_check_retry fails inside the call; the next read_begin waits for the end', () => {
    const o = lasting('v6', 'after-fault');
    const s = steps(o.run.trace);
    expect(s).toContain('1:check_retry|mmu_interval_check_retry');
    expect(s).toContain('1:return.busy|hmm_range_fault=-16');
    const wait = s.indexOf('2:drv.mmu_interval_read_begin|mmu_interval_read_begin');
    expect(wait).toBeGreaterThan(s.indexOf('1:drv.retry|retry'));
    const waitEvent = o.run.trace.find(
      (e) => e.type === 'driver' && /waits for the invalidation/.test(eventText(e)),
    );
    expect(waitEvent?.attempt).toBe(2);
    expect(o.run.result.attempts).toBe(2);
  });

  test('6.1 before programming: mmu_interval_read_retry says stale, read_begin waits, attempt 2 succeeds', () => {
    const o = lasting('v6', 'before-program');
    const s = steps(o.run.trace);
    expect(s).toContain('1:drv.stale|mmu_interval_read_retry');
    expect(
      o.run.trace.some((e) => e.attempt === 2 && /waits for the invalidation in progress/.test(eventText(e))),
    ).toBe(true);
    expect(o.run.result.attempts).toBe(2);
  });

  test("7.3 unlocked call, before the call: the pass fails its check, the next pass's read_begin waits", () => {
    const o = lasting('v7.3', 'before-call', { call: 'hmm_range_fault_unlocked_timeout' }, 'invalidate');
    const waits = o.run.trace.filter((e) => /waits for the invalidation in progress/.test(eventText(e)));
    expect(waits).toHaveLength(1);
    expect(o.run.result.ret).toBe(0);
  });
});

describe('the format', () => {
  test('"lasts" on an op that needs mmap_lock for write is refused with a message naming the field and the op', () => {
    expect(() =>
      sim({
        kernel: 'v5.2',
        range: { start: ALIGNED, pages: 4 },
        vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'file' }],
        concurrent: [{ at: 'after-fault', op: 'munmap', pages: '0', lasts: true }],
      }),
    ).toThrow(/concurrent\.0\.lasts.*"munmap"/s);
  });
});
