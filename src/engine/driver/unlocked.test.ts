/**
 * Linux 7.3's hmm_range_fault_unlocked_timeout(), userfaultfd MISSING faults and v5.2's
 * VM_FAULT_RETRY / -EAGAIN (hmm-semantics.md 10.2-10.4, 10.6; scenario-format.md, the lock model's
 * additions). The scenario is the kernel selftest's `userfaultfd_read` (T5): 4 private anonymous
 * pages registered MISSING, a read request over all of them, a handler that answers at once.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { presetById } from '../scenario/presets.ts';
import { applyEffect, stateAt } from '../trace/replay.ts';
import { ALIGNED, flagsAt, sim, type ScenarioFile, V52_UFFD_ASLEEP } from '../testing/harness.ts';
import { eventText } from '../trace/text.ts';

type Call = 'hmm_range_fault' | 'hmm_range_fault_unlocked_timeout';

function selftest(call: Call, extra: ScenarioFile = {}) {
  return sim({
    kernel: 'v7.3',
    call,
    range: { start: ALIGNED, pages: 4 },
    vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon', uffd: 'missing' }],
    defaultFlags: ['REQ_FAULT'],
    ...extra,
  });
}

/** The walks of the run, as the page each starts at. */
const walkStarts = (o: ReturnType<typeof sim>) =>
  o.run.trace.flatMap((e) => (e.type === 'walk' ? [e.from] : []));
/** Lock and concurrent steps in order ("mmap_read_lock_killable", "munmap:runs", ...). */
const lockStory = (o: ReturnType<typeof sim>) =>
  o.run.trace.flatMap((e) =>
    e.type === 'lock' ? [e.fn] : e.type === 'concurrent' ? [`${e.fn}:${e.phase}`] : [],
  );

describe('the selftest userfaultfd_read on 7.3', () => {
  test('hmm_range_fault_unlocked_timeout: 4 RETRY faults, 5 walks from range->start, 1 attempt', () => {
    const o = selftest('hmm_range_fault_unlocked_timeout');
    expect(o.status).toBe('returned');
    expect(o.ret).toBe(0);
    expect(o.attempts).toBe(1);
    expect(o.faults.map((f) => `${f.page}${f.write ? 'w' : 'r'}:${f.result}:${f.code}`)).toEqual([
      '0r:RETRY:0x400',
      '1r:RETRY:0x400',
      '2r:RETRY:0x400',
      '3r:RETRY:0x400',
    ]);
    expect(o.calls).toEqual([{ ret: 0, walks: 5 }]);
    expect(walkStarts(o)).toEqual([0, 0, 0, 0, 0]);
    expect(o.restarts).toBe(4);
    for (let i = 0; i < 4; i++) expect(flagsAt(o, i)).toBe('VALID,WRITE');
    expect(o.cpuAfter).toEqual(['rw', 'rw', 'rw', 'rw']);
    expect(o.deviceAfter).toEqual(['rw', 'rw', 'rw', 'rw']);
    // Each fault dropped the lock; no pass that dropped it unlocks again.
    const story = lockStory(o);
    expect(story.filter((f) => f === 'fault_dropped_lock')).toHaveLength(4);
    expect(story.filter((f) => f === 'mmap_read_lock_killable')).toHaveLength(5);
    expect(story.filter((f) => f === 'mmap_read_unlock')).toHaveLength(1);
    expect(o.run.trace.some((e) => e.type === 'lock' && e.fn === 'mmap_read_lock')).toBe(false);
  });

  test('the locked hmm_range_fault on the same range: SIGBUS, -EFAULT, nothing installed', () => {
    const o = selftest('hmm_range_fault');
    expect(o.errno).toBe('EFAULT');
    expect(o.faults.map((f) => `${f.page}:${f.result}`)).toEqual(['0:VM_FAULT_SIGBUS']);
    expect(o.cpuAfter).toEqual(['none', 'none', 'none', 'none']);
    expect(o.deviceAfter).toEqual(['none', 'none', 'none', 'none']);
    expect(o.run.trace.some((e) => e.type === 'lock' && e.fn === 'fault_dropped_lock')).toBe(false);
  });

  test('a write request: the handler installs the page writable, the fault is still a RETRY', () => {
    const o = selftest('hmm_range_fault_unlocked_timeout', { defaultFlags: ['REQ_FAULT', 'REQ_WRITE'] });
    expect(o.ret).toBe(0);
    expect(o.faults.map((f) => `${f.page}${f.write ? 'w' : 'r'}:${f.result}`)).toEqual([
      '0w:RETRY',
      '1w:RETRY',
      '2w:RETRY',
      '3w:RETRY',
    ]);
    expect(o.deviceAfter).toEqual(['rw', 'rw', 'rw', 'rw']);
  });

  test('a read-only uffd vma: UFFDIO_COPY installs read-only pages', () => {
    const o = selftest('hmm_range_fault_unlocked_timeout', {
      vmas: [{ from: 0, pages: 4, prot: 'r', backing: 'anon', uffd: 'missing' }],
    });
    expect(o.ret).toBe(0);
    expect(o.cpuAfter).toEqual(['ro', 'ro', 'ro', 'ro']);
    for (let i = 0; i < 4; i++) expect(flagsAt(o, i)).toBe('VALID');
  });

  test('without uffd the unlocked call is the locked one with its own lock: one walk after the faults', () => {
    const o = selftest('hmm_range_fault_unlocked_timeout', {
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
    });
    expect(o.ret).toBe(0);
    expect(o.calls).toEqual([{ ret: 0, walks: 2 }]);
    expect(o.faults.map((f) => f.result)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(lockStory(o)).toEqual(['mmap_read_lock_killable', 'mmap_read_unlock']);
  });
});

describe('munmap racing the unlocked call', () => {
  test('issued after the first fault: the lock is already dropped, so it runs at once; the next pass restarts at range->start and finds no vma', () => {
    const o = selftest('hmm_range_fault_unlocked_timeout', {
      concurrent: [{ at: 'after-fault', n: 1, op: 'munmap', pages: '2-3' }],
    });
    // Fault 1 dropped the lock and the handler resolved page 0 before the fault returned.
    expect(lockStory(o).slice(0, 3)).toEqual([
      'mmap_read_lock_killable',
      'fault_dropped_lock',
      'munmap:runs',
    ]);
    expect(o.faults.map((f) => `${f.page}:${f.result}`)).toEqual(['0:RETRY', '1:RETRY']);
    expect(walkStarts(o)).toEqual([0, 0, 0]);
    expect(o.errno).toBe('EFAULT');
    expect(o.status).toBe('returned');
    expect(o.cpuAfter).toEqual(['rw', 'rw', 'none', 'none']);
    expect(o.deviceAfter).toEqual(['none', 'none', 'none', 'none']);
  });

  test('issued while the call holds the lock, it waits; it runs when a uffd fault drops the lock, and the handler finds no vma: blocked', () => {
    // Page 0 is an ordinary anonymous page: its fault keeps the lock, so the munmap issued after
    // it waits. Page 1's uffd fault drops the lock: the munmap runs before the handler's copy.
    const o = selftest('hmm_range_fault_unlocked_timeout', {
      vmas: [
        { from: 0, pages: 1, prot: 'rw', backing: 'anon' },
        { from: 1, pages: 3, prot: 'rw', backing: 'anon', uffd: 'missing' },
      ],
      concurrent: [{ at: 'after-fault', n: 1, op: 'munmap', pages: '1-3' }],
    });
    expect(lockStory(o)).toEqual([
      'mmap_read_lock_killable',
      'munmap:waits',
      'fault_dropped_lock',
      'munmap:runs',
    ]);
    expect(o.status).toBe('blocked');
    expect(o.ret).toBeNull();
    expect(o.reason).toMatch(/handler that can no longer resolve it/);
    const copy = o.run.trace.find((e) => e.type === 'driver' && e.fn === 'uffdio_copy');
    expect(copy && eventText(copy)).toMatch(/-ENOENT/);
  });

  test('the same with a fatal signal pending: the killable sleep ends, the call returns -EINTR', () => {
    const o = selftest('hmm_range_fault_unlocked_timeout', {
      vmas: [
        { from: 0, pages: 1, prot: 'rw', backing: 'anon' },
        { from: 1, pages: 3, prot: 'rw', backing: 'anon', uffd: 'missing' },
      ],
      concurrent: [
        { at: 'before-call', op: 'sigkill', pages: '0' },
        { at: 'after-fault', n: 1, op: 'munmap', pages: '1-3' },
      ],
    });
    expect(o.status).toBe('returned');
    expect(o.errno).toBe('EINTR');
    expect(o.deviceAfter).toEqual(['none', 'none', 'none', 'none']);
  });
});

describe('write-locked ops and the unlocked call without userfaultfd', () => {
  test('a munmap issued after an ordinary fault waits for the end of the pass, and the driver calls again', () => {
    const o = selftest('hmm_range_fault_unlocked_timeout', {
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
      concurrent: [{ at: 'after-fault', n: 1, op: 'munmap', pages: '2-3' }],
    });
    expect(lockStory(o)).toEqual([
      'mmap_read_lock_killable',
      'munmap:waits',
      'mmap_read_unlock',
      'munmap:runs',
      'mmap_read_lock_killable',
      'mmap_read_unlock',
    ]);
    // The first call saw the old page tables and returned 0; mmu_interval_read_retry sends the
    // driver round again, and the second call finds no vma at pages 2-3.
    expect(o.calls.map((c) => c.ret)).toEqual([0, -14]);
    expect(o.attempts).toBe(2);
    expect(o.deviceAfter).toEqual(['none', 'none', 'none', 'none']);
  });
});

describe('sigkill, timeout', () => {
  test('a fatal signal: the first lock-dropping fault ends the call with -EINTR', () => {
    const o = selftest('hmm_range_fault_unlocked_timeout', {
      concurrent: [{ at: 'before-call', op: 'sigkill', pages: '0-3' }],
    });
    expect(o.errno).toBe('EINTR');
    expect(o.attempts).toBe(1);
    expect(o.faults.map((f) => f.result)).toEqual(['RETRY']);
    expect(o.calls).toEqual([{ ret: -4, walks: 1 }]);
  });

  test('a fatal signal changes nothing for the locked call (it never drops the lock)', () => {
    const o = sim({
      kernel: 'v7.3',
      range: { start: ALIGNED, pages: 4 },
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
      defaultFlags: ['REQ_FAULT'],
      concurrent: [{ at: 'before-call', op: 'sigkill', pages: '0-3' }],
    });
    expect(o.ret).toBe(0);
  });

  test('an invalidation before every pass exhausts a budget of 2 jiffies: -EBUSY, final for the driver', () => {
    const o = selftest('hmm_range_fault_unlocked_timeout', {
      timeout: 2,
      concurrent: [{ at: 'before-call', op: 'invalidate', pages: '0-3', repeat: true }],
    });
    expect(o.errno).toBe('EBUSY');
    expect(o.attempts).toBe(1);
    // Passes at jiffies 0, 1, 2 end -EBUSY at mmu_interval_check_retry without a walk; the
    // fourth finds jiffies 3 past the deadline 2.
    expect(o.calls).toEqual([{ ret: -16, walks: 0 }]);
    const budget = o.run.trace.filter((e) => e.type === 'driver' && e.fn === 'retry_budget');
    expect(budget).toHaveLength(1);
    expect(o.run.trace.filter((e) => e.type === 'driver' && e.fn === 'mmu_interval_read_begin')).toHaveLength(
      4,
    );
    expect(o.faults).toEqual([]);
  });

  test('timeout 0 with an invalidation before every pass: the kernel would retry for ever', () => {
    const o = selftest('hmm_range_fault_unlocked_timeout', {
      concurrent: [{ at: 'before-call', op: 'invalidate', pages: '0-3', repeat: true }],
    });
    expect(o.status).toBe('livelock');
  });

  test('a lock drop restarts the budget: 4 uffd faults with timeout 1 still succeed', () => {
    const o = selftest('hmm_range_fault_unlocked_timeout', { timeout: 1 });
    expect(o.ret).toBe(0);
  });
});

describe('v5.2: VM_FAULT_RETRY is -EAGAIN with mmap_sem released', () => {
  function v52(call: 'hmm_range_fault' | 'hmm_vma_fault', extra: ScenarioFile = {}) {
    return sim({
      kernel: 'v5.2',
      call,
      range: { start: ALIGNED, pages: 4 },
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon', uffd: 'missing' }],
      ...(call === 'hmm_range_fault' ? { defaultFlags: ['VALID'], pfnFlagsMask: [] } : {}),
      requests: call === 'hmm_vma_fault' ? { '0-3': ['VALID'] } : {},
      ...extra,
    });
  }

  test('4 uffd pages: 4 RETRY faults, 5 attempts, then success', () => {
    const o = v52('hmm_range_fault');
    expect(o.status).toBe('returned');
    expect(o.attempts).toBe(5);
    expect(o.faults.map((f) => `${f.page}:${f.result}:${f.code}:${f.attempt}`)).toEqual([
      '0:RETRY:0x404:1',
      '1:RETRY:0x404:2',
      '2:RETRY:0x404:3',
      '3:RETRY:0x404:4',
    ]);
    expect(o.calls.map((c) => c.ret)).toEqual([-11, -11, -11, -11, 4]);
    expect(o.deviceAfter).toEqual(['rw', 'rw', 'rw', 'rw']);
    // The driver never up_reads a lock the fault released: one down_read per attempt, one
    // release each (the fault's or the driver's final up_read).
    const story = lockStory(o);
    expect(story.filter((f) => f === 'down_read')).toHaveLength(5);
    expect(story.filter((f) => f === 'fault_dropped_lock')).toHaveLength(4);
    expect(story.filter((f) => f === 'up_read')).toHaveLength(1);
  });

  test('a munmap that gets in while a uffd fault dropped mmap_sem leaves the faulter asleep: the trace ends at the sleep, with page 1 reset to values[NONE]', () => {
    const o = sim(V52_UFFD_ASLEEP);
    expect(o.status).toBe('blocked');
    const trace = o.run.trace;
    expect(trace.at(-1)).toMatchObject({ type: 'driver', fn: 'userfault_sleeps' });
    // Replaying every step's effects reaches the run's end state: page 1's entry was set to
    // values[NONE] before its fault (hmm_vma_walk_hole_), and the last step carries that.
    const replayed = stateAt(o.scenario, o.run, 0);
    for (const effects of o.run.effects) for (const e of effects) applyEffect(replayed, e);
    expect(replayed.holdsInput[1]).toBe(0);
    expect([...replayed.pfns]).toEqual([...o.run.result.pfns]);
    expect([...replayed.holdsInput]).toEqual([...o.run.result.holdsInput]);
  });

  test('-EAGAIN clears the entries from last to the end (hmm_pfns_clear)', () => {
    const o = v52('hmm_range_fault', { driverLoop: false });
    expect(o.errno).toBe('EAGAIN');
    const clear = o.run.trace.find((e) => e.type === 'fill' && e.fn.includes('hmm_pfns_clear'));
    expect(clear && clear.type === 'fill' ? [clear.from, clear.to] : null).toEqual([0, 4]);
    expect(o.deviceAfter).toEqual(['none', 'none', 'none', 'none']);
  });

  test('the compat hmm_vma_fault maps -EAGAIN to -EBUSY', () => {
    const o = v52('hmm_vma_fault', { driverLoop: false });
    expect(o.errno).toBe('EBUSY');
    expect(o.faults.map((f) => f.result)).toEqual(['RETRY']);
  });
});

describe('property: a locked call never lets a fault drop the lock', () => {
  test('6.1, 6.12 and 7.3 hmm_range_fault on any uffd layout: no RETRY, no lock drop, SIGBUS is -EFAULT', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('v6', 'v6.12', 'v7.3'),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (kernel, uffdPages, write) => {
          const o = sim({
            kernel,
            range: { start: ALIGNED, pages: uffdPages.length },
            vmas: uffdPages.map((u, i) => ({
              from: i,
              pages: 1,
              prot: 'rw',
              backing: 'anon',
              ...(u ? { uffd: 'missing' } : {}),
            })),
            defaultFlags: write ? ['REQ_FAULT', 'REQ_WRITE'] : ['REQ_FAULT'],
          });
          expect(o.faults.some((f) => f.result === 'RETRY')).toBe(false);
          expect(o.run.trace.some((e) => e.type === 'lock' && e.fn === 'fault_dropped_lock')).toBe(false);
          expect(o.errno).toBe(uffdPages.some(Boolean) ? 'EFAULT' : null);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('property: after a lock drop the next walk starts at range->start', () => {
  test('any mix of uffd and ordinary pages, read or write requests', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom('none', 'rw', 'ro', 'zero', 'swap'), { minLength: 8, maxLength: 8 }),
        fc.boolean(),
        (uffdPages, cpuStates, write) => {
          const n = uffdPages.length;
          // One vma per page, so uffd can be set page by page.
          const vmas = uffdPages.map((u, i) => ({
            from: i,
            pages: 1,
            prot: 'rw',
            backing: 'anon',
            ...(u ? { uffd: 'missing' } : {}),
          }));
          const cpu = Object.fromEntries(cpuStates.slice(0, n).map((st, i) => [String(i), st]));
          const o = sim({
            kernel: 'v7.3',
            call: 'hmm_range_fault_unlocked_timeout',
            range: { start: ALIGNED, pages: n },
            vmas,
            cpu,
            defaultFlags: write ? ['REQ_FAULT', 'REQ_WRITE'] : ['REQ_FAULT'],
          });
          expect(o.status).toBe('returned');
          let dropped = false;
          for (const e of o.run.trace) {
            if (e.type === 'lock' && e.fn === 'fault_dropped_lock') dropped = true;
            if (e.type === 'walk') {
              if (dropped) expect(e.from).toBe(0);
              dropped = false;
            }
          }
          // Every fault that dropped the lock is one pass more: walks = restarts + 1.
          expect(o.calls[0].walks).toBe(o.restarts + 1);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('the presets say what they show', () => {
  const runPreset = (id: string) => {
    const p = presetById(id);
    if (!p) throw new Error(`no preset ${id}`);
    return sim(p.file as ScenarioFile);
  };
  test('v7.3-uffd-read-unlocked: 4 RETRY faults, 5 walks, one attempt, 4 rw device pages', () => {
    const o = runPreset('v7.3-uffd-read-unlocked');
    expect([o.faults.length, o.calls[0].walks, o.attempts]).toEqual([4, 5, 1]);
    expect(o.deviceAfter).toEqual(['rw', 'rw', 'rw', 'rw']);
  });
  test('v7.3-uffd-read-locked: SIGBUS, -EFAULT', () => {
    const o = runPreset('v7.3-uffd-read-locked');
    expect([o.errno, o.faults[0].result]).toEqual(['EFAULT', 'VM_FAULT_SIGBUS']);
  });
  test('v7.3-unlocked-munmap-after-first-fault: the munmap never waits, the third pass finds no vma', () => {
    const o = runPreset('v7.3-unlocked-munmap-after-first-fault');
    expect(o.run.trace.some((e) => e.type === 'concurrent' && e.phase === 'waits')).toBe(false);
    expect([o.errno, o.calls[0].walks]).toEqual(['EFAULT', 3]);
  });
  test('v7.3-unlocked-munmap-blocked: the munmap waits, the run ends blocked', () => {
    const o = runPreset('v7.3-unlocked-munmap-blocked');
    expect(o.run.trace.some((e) => e.type === 'concurrent' && e.phase === 'waits')).toBe(true);
    expect(o.status).toBe('blocked');
  });
  test('v5.2-uffd-eagain: 4 faults, 5 attempts', () => {
    const o = runPreset('v5.2-uffd-eagain');
    expect([o.faults.length, o.attempts, o.ret]).toEqual([4, 5, 4]);
  });
});
