/**
 * A writable migration entry ("migration-rw"). When the migration completes,
 * remove_migration_pte() (mm/migrate.c) builds the new pte read-only and then
 * `if (is_writable_migration_entry(entry)) pte = maybe_mkwrite(pte, vma);` (is_write_migration_entry
 * before 5.14): the page comes back writable when the entry was writable and the vma has VM_WRITE.
 * The modern walk meets the entry, waits (migration_entry_wait), returns -EBUSY internally and
 * restarts at the page (hmm-semantics.md 2.5, 10): the re-walk then sees the pte as
 * remove_migration_pte left it. v5.2 never computes a non-none pte's need, so it never waits for
 * either kind of entry and reports values[NONE].
 *
 * Each case is a 2-page range in one pte table: page 0 is under test, page 1 is mapped
 * read-write so the table exists; the request is page 0's own input (pfn_flags_mask = all).
 */
import { describe, expect, test } from 'vitest';
import { ALIGNED, flagsAt, sim, type ScenarioFile } from '../testing/harness.ts';

const MODERN = ['v6', 'v6.12', 'v7.3'] as const;
type Kernel = 'v5.2' | (typeof MODERN)[number];
const R = ['VALID'];
const RW = ['VALID', 'WRITE'];

function entry(kernel: Kernel, state: 'migration' | 'migration-rw', req: string[], extra: ScenarioFile = {}) {
  return sim({
    kernel,
    range: { start: ALIGNED, pages: 2 },
    vmas: [{ from: 0, pages: 2, prot: 'rw', backing: 'anon', shared: false }],
    cpu: { '0': state, '1': 'rw' },
    driver: kernel === 'v5.2' ? 'seed' : { devicePrivateOwner: 'this' },
    defaultFlags: [],
    pfnFlagsMask: 'all',
    requests: { '0': req },
    ...extra,
  });
}

describe.each(MODERN)('%s: a writable migration entry', (kernel) => {
  test('read request: one wait and restart, the page comes back writable, reported VALID|WRITE, no fault', () => {
    const o = entry(kernel, 'migration-rw', R);
    expect(o.ret).toBe(0);
    expect(o.faultList).toBe('');
    expect(o.restarts).toBe(1);
    expect(o.attempts).toBe(1);
    expect(o.cpuAfter[0]).toBe('rw');
    expect(flagsAt(o, 0)).toBe('VALID,WRITE');
  });
  test('write request: no write fault after the wait (the read-only entry needs one)', () => {
    const o = entry(kernel, 'migration-rw', RW);
    expect(o.ret).toBe(0);
    expect(o.faultList).toBe('');
    expect(o.restarts).toBe(1);
    expect(o.attempts).toBe(1);
    expect(o.cpuAfter[0]).toBe('rw');
    expect(flagsAt(o, 0)).toBe('VALID,WRITE');

    // The read-only entry: the wait restarts the walk, the page comes back read-only, the walk
    // write-faults it (do_wp_page reuses the exclusive page) and restarts once more (-EBUSY).
    const ro = entry(kernel, 'migration', RW);
    expect(ro.restarts).toBe(2);
    expect(ro.faults.map((f) => `${f.page}${f.write ? 'w' : 'r'}`)).toContain('0w');
    expect(ro.cpuAfter[0]).toBe('rw');
    expect(flagsAt(ro, 0)).toBe('VALID,WRITE');
  });
  test('the read-only entry still comes back read-only: a read request reports VALID only', () => {
    const o = entry(kernel, 'migration', R);
    expect(o.cpuAfter[0]).toBe('ro');
    expect(flagsAt(o, 0)).toBe('VALID');
  });
  test('the trace says remove_migration_pte restored write access', () => {
    const o = entry(kernel, 'migration-rw', R);
    const said = o.run.trace.map((e) => JSON.stringify(e)).join('\n');
    expect(said).toMatch(/remove_migration_pte/);
    expect(said).toMatch(/writ/);
  });
  test('no request (snapshot of the page): no wait, 0', () => {
    const o = entry(kernel, 'migration-rw', []);
    expect(o.restarts).toBe(0);
    expect(flagsAt(o, 0)).toBe('');
    expect(o.cpuAfter[0]).toBe('migration-rw');
  });
});

describe('v5.2: a writable migration entry is never waited for', () => {
  test.each([[R], [RW]])('request %j: values[NONE], no wait, no fault, the entry stays', (req) => {
    const o = entry('v5.2', 'migration-rw', req);
    expect(o.pfns[0].value).toBe('NONE');
    expect(o.restarts).toBe(0);
    expect(o.faultList).toBe('');
    expect(o.cpuAfter[0]).toBe('migration-rw');
    const ro = entry('v5.2', 'migration', req);
    expect(o.ret).toBe(ro.ret);
    expect(o.attempts).toBe(ro.attempts);
  });
});

describe('where a writable migration entry can be', () => {
  test('not in a vma without VM_WRITE: the entry is made writable only from a writable pte', () => {
    expect(() =>
      entry('v6', 'migration-rw', R, {
        vmas: [{ from: 0, pages: 2, prot: 'r', backing: 'anon', shared: false }],
        cpu: { '0': 'migration-rw', '1': 'ro' },
      }),
    ).toThrow(/"migration-rw" is a writable entry.*VM_WRITE/);
  });
});

/**
 * Events that turn a writable migration entry into a read-only one before it is waited for:
 * mprotect's change_pte_range() makes every writable migration entry readable ("a protection
 * check is difficult so just be safe and disable write"), and fork's copy_nonpresent_pte() does
 * so in the parent of a COW mapping. Either way the page comes back read-only.
 */
describe.each(MODERN)('%s: a writable migration entry made read-only by a concurrent event', (kernel) => {
  const racing = (op: string) =>
    entry(kernel, 'migration-rw', R, { concurrent: [{ at: 'before-call', op, pages: '0-1' }] });
  test('mprotect(PROT_READ) before the call: the page comes back read-only, VALID', () => {
    const o = racing('mprotect-ro');
    expect(o.cpuAfter[0]).toBe('ro');
    expect(flagsAt(o, 0)).toBe('VALID');
  });
  test('nothing asked: the entry is left read-only ("migration") by either event', () => {
    for (const op of ['mprotect-ro', 'fork']) {
      const o = entry(kernel, 'migration-rw', [], { concurrent: [{ at: 'before-call', op, pages: '0-1' }] });
      expect(o.cpuAfter[0]).toBe('migration');
    }
  });
  test('fork before the call: the page comes back without write access, VALID', () => {
    const o = racing('fork');
    expect(o.cpuAfter[0]).not.toBe('rw');
    expect(flagsAt(o, 0)).toBe('VALID');
  });
});
