/**
 * The driver loops with every concurrent CPU event: v6's sequence check makes the driver retry and
 * program what the CPU now maps; v5.2's valid flag misses an invalidation that has come and gone,
 * so the device gets stale entries. Spec: hmm-semantics.md 3.A, 3.B; scenario-format "concurrent".
 */
import { describe, expect, test } from 'vitest';
import type { ConcurrentOp } from '../types.ts';
import { ALIGNED, flagsAt, sim } from '../testing/harness.ts';
import { eventText } from '../trace/text.ts';

/** Pages 0-1 rw, page 2 ro, page 3 untouched; pages 2-3 ask for read, so page 3 is faulted. */
function racing(kernel: 'v5.2' | 'v6', op: ConcurrentOp, at: string, extra: Record<string, unknown> = {}) {
  return sim({
    kernel,
    range: { start: ALIGNED, pages: 4 },
    vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
    cpu: { '0-1': 'rw', '2': 'ro' },
    driver: kernel === 'v6' ? { devicePrivateOwner: 'this' } : 'seed',
    defaultFlags: [],
    pfnFlagsMask: 'all',
    requests: { '2-3': ['VALID'] },
    concurrent: [{ at, op, pages: '0-1' }],
    ...extra,
  });
}

/** The ops of the 2019-2022 format; the lock model's additions are pinned in their own tests. */
type ClassicOp = Exclude<ConcurrentOp, 'madv-pageout' | 'sigkill'>;

interface Expect {
  ret: number;
  attempts: number;
  cpu: string;
  flags: string;
  device: string;
}

/**
 * Before the first walk, pages 0-1 still hold their input (0): after the retry they are reported
 * as the event left them, unasked.
 */
const BEFORE_CALL: Record<ClassicOp, Expect> = {
  munmap: { ret: 0, attempts: 2, cpu: 'none', flags: 'ERROR', device: 'none' },
  'mprotect-ro': { ret: 0, attempts: 2, cpu: 'ro', flags: 'VALID', device: 'ro' },
  'mprotect-none': { ret: 0, attempts: 2, cpu: 'protnone', flags: 'ERROR', device: 'none' },
  'swap-out': { ret: 0, attempts: 2, cpu: 'swap', flags: '', device: 'none' },
  'migrate-to-device': { ret: 0, attempts: 2, cpu: 'devpriv-other-rw', flags: '', device: 'none' },
  fork: { ret: 0, attempts: 2, cpu: 'cow', flags: 'VALID', device: 'ro' },
  invalidate: { ret: 0, attempts: 2, cpu: 'rw', flags: 'VALID,WRITE', device: 'rw' },
};

/**
 * After the first walk reported pages 0-1 as VALID|WRITE, the driver retries without refilling
 * the array, and with pfn_flags_mask = all those outputs are read as REQ_FAULT|REQ_WRITE
 * (kernel-fixtures README point 8): an unmapped or write-protected page now fails the call, and a
 * page that lost its write permission is write-faulted, a span that also copies page 3's zero page
 * (one more invalidation, one more attempt).
 */
const LATE: Record<ClassicOp, Expect> = {
  munmap: { ret: -14, attempts: 2, cpu: 'none', flags: 'VALID,WRITE', device: 'none' },
  'mprotect-ro': { ret: -1, attempts: 2, cpu: 'ro', flags: 'VALID,WRITE', device: 'none' },
  'mprotect-none': { ret: -14, attempts: 2, cpu: 'protnone', flags: 'VALID,WRITE', device: 'none' },
  'swap-out': { ret: 0, attempts: 3, cpu: 'rw', flags: 'VALID,WRITE', device: 'rw' },
  'migrate-to-device': { ret: 0, attempts: 3, cpu: 'rw', flags: 'VALID,WRITE', device: 'rw' },
  fork: { ret: 0, attempts: 3, cpu: 'rw', flags: 'VALID,WRITE', device: 'rw' },
  invalidate: { ret: 0, attempts: 2, cpu: 'rw', flags: 'VALID,WRITE', device: 'rw' },
};
const OPS = Object.keys(BEFORE_CALL) as ClassicOp[];

describe('v6: the interval notifier makes the driver retry', () => {
  for (const op of OPS) {
    for (const at of ['before-call', 'after-fault', 'before-program']) {
      test(`${op} ${at}`, () => {
        const o = racing('v6', op, at);
        const want = (at === 'before-call' ? BEFORE_CALL : LATE)[op];
        expect(o.ret).toBe(want.ret);
        expect(o.attempts).toBe(want.attempts);
        expect(o.cpuAfter.slice(0, 2)).toEqual([want.cpu, want.cpu]);
        expect(flagsAt(o, 0)).toBe(want.flags);
        expect(o.deviceAfter.slice(0, 2)).toEqual([want.device, want.device]);
        expect(o.run.trace.some((e) => e.type === 'concurrent' && e.fn === op)).toBe(true);
        expect(o.run.trace.some((e) => e.type === 'invalidate' && !e.ignored)).toBe(true);
      });
    }
  }
  test('after-fault fires after the n-th handle_mm_fault of the run', () => {
    const o = sim({
      kernel: 'v6',
      range: { start: ALIGNED, pages: 4 },
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
      defaultFlags: ['VALID'],
      pfnFlagsMask: [],
      concurrent: [{ at: 'after-fault', n: 3, op: 'invalidate', pages: '0' }],
    });
    const types = o.run.trace.map((e) => e.type);
    const faults = types.flatMap((t, i) => (t === 'fault' ? [i] : []));
    expect(types.indexOf('concurrent')).toBe(faults[2] + 1);
  });
  test('a bare call (driverLoop false) programs what it got, without a retry', () => {
    const o = racing('v6', 'munmap', 'before-program', { driverLoop: false });
    expect(o.attempts).toBe(1);
    expect(o.cpuAfter.slice(0, 2)).toEqual(['none', 'none']);
    expect(o.deviceAfter.slice(0, 2)).toEqual(['rw', 'rw']); // stale: the driver did not check
  });
});

/**
 * v5.2: the driver holds mmap_sem for read from the call until it has programmed the device
 * (hmm-semantics.md 10.5), so an op that needs it for write waits, runs after the final up_read,
 * and its invalidation erases what was just programmed. An op that needs no write lock runs at
 * once: range->valid goes false and true again inside it, the check after the call passes, and the
 * device is programmed from what the walk saw (the race 5.5 closed).
 */
describe('v5.2: mmap_sem held across programming; range->valid misses an invalidation that has ended', () => {
  const present = { cpu: { '0-1': 'rw', '2-3': 'ro' } };
  const WRITE_LOCKED: ClassicOp[] = ['munmap', 'mprotect-ro', 'mprotect-none', 'fork'];
  for (const op of OPS) {
    const waits = WRITE_LOCKED.includes(op);
    test(`${op} before-program: ${waits ? 'waits for up_read, then erases the programmed entries' : 'no retry, the device is programmed from what the walk saw'}`, () => {
      const o = racing('v5.2', op, 'before-program', present);
      expect(o.attempts).toBe(1);
      expect(o.ret).toBe(4);
      expect(o.deviceAfter.slice(0, 2)).toEqual(waits ? ['none', 'none'] : ['rw', 'rw']);
      expect(o.cpuAfter[0]).toBe(BEFORE_CALL[op].cpu);
      const kinds = o.run.trace.map((e) =>
        e.type === 'concurrent'
          ? `${e.fn}:${e.phase}`
          : e.type === 'lock' || e.type === 'program'
            ? e.fn
            : null,
      );
      const order = kinds.filter((k) => k !== null);
      expect(order).toEqual(
        waits
          ? ['down_read', `${op}:waits`, 'program_device', 'up_read', `${op}:runs`]
          : ['down_read', `${op}:runs`, 'program_device', 'up_read'],
      );
      const inv = o.run.trace.find((e) => e.type === 'invalidate');
      expect(inv && eventText(inv)).toMatch(/valid goes false/);
    });
  }
  test('an invalidation during the walk: pages already walked keep their stale entries', () => {
    const o = racing('v5.2', 'swap-out', 'after-fault', {
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'file' }],
    });
    expect(o.attempts).toBe(1);
    expect(o.ret).toBe(4);
    // A writable page of a private file mapping is an anonymous copy: reclaim swaps it out.
    expect(o.cpuAfter.slice(0, 2)).toEqual(['swap', 'swap']);
    expect(o.deviceAfter.slice(0, 2)).toEqual(['rw', 'rw']);
  });
  test('a munmap during the walk waits: the walk never sees the vma go, the device is erased after', () => {
    const o = racing('v5.2', 'munmap', 'after-fault', {
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'file' }],
    });
    expect(o.attempts).toBe(1);
    expect(o.ret).toBe(4);
    expect(o.cpuAfter.slice(0, 2)).toEqual(['none', 'none']);
    expect(o.deviceAfter.slice(0, 2)).toEqual(['none', 'none']);
    const last = o.run.trace[o.run.trace.length - 1];
    expect(last.type === 'invalidate' || last.type === 'concurrent').toBe(true);
  });
});

/**
 * A single bare call ("driverLoop": false) that fails programs nothing: a driver programs the
 * device only from a successful call (scenario-format, "driverLoop", clarified; issue 11 defect 2).
 * Page 0 is reported before the walk fails on page 1, so the array holds a VALID output for it
 * that must not reach the device; an entry the device held before the call stays as it was.
 */
describe('a failed bare call (driverLoop false) programs nothing', () => {
  const KERNELS = [
    // v6 and later: page 1 has no vma, and a fault is asked for it: -EFAULT.
    ...(['v6', 'v6.12', 'v7.3'] as const).map((kernel) => ({
      kernel,
      driver: { devicePrivateOwner: 'this' },
      vmas: [{ from: 0, pages: 1, prot: 'rw', backing: 'anon' }],
      defaultFlags: ['REQ_FAULT'],
      errno: 'EFAULT',
    })),
    // v5.2 would oops faulting an address with no vma; its walk fails a VM_MIXEDMAP vma instead.
    {
      kernel: 'v5.2' as const,
      driver: 'seed',
      vmas: [
        { from: 0, pages: 1, prot: 'rw', backing: 'anon' },
        { from: 1, pages: 1, prot: 'rw', backing: 'anon', special: 'mixedmap' },
      ],
      defaultFlags: ['VALID'],
      errno: 'EFAULT',
    },
  ];
  test.each(KERNELS)('$kernel', ({ errno, ...file }) => {
    const o = sim({
      range: { start: ALIGNED, pages: 3 },
      cpu: { '0': 'rw' },
      pfnFlagsMask: [],
      device: { '2': 'ro' },
      driverLoop: false,
      ...file,
    });
    expect(o.status).toBe('returned');
    expect(o.errno).toBe(errno);
    expect(o.attempts).toBe(1);
    expect(o.pfns[0].flags).toContain('VALID'); // the array holds an output for page 0 ...
    expect(o.deviceAfter).toEqual(['none', 'none', 'ro']); // ... that the driver never programs
    expect(o.run.trace.some((e) => e.type === 'program')).toBe(false);
  });
});
