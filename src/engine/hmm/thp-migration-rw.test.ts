/**
 * A writable THP migration entry ("thp-migration-rw"). When the migration of a huge pmd completes,
 * remove_migration_pmd() (mm/huge_memory.c) builds the new pmd read-only and then
 * `if (is_writable_migration_entry(entry)) pmde = maybe_pmd_mkwrite(pmde, vma);` (is_write_
 * migration_entry before 5.14; pmd_mkwrite(pmde, vma) since 6.6): the THP comes back writable when
 * the entry was writable and the vma has VM_WRITE. The modern walk meets the entry with a request
 * that needs a fault, waits (pmd_migration_entry_wait) and restarts the walk at the pmd; the
 * re-walk sees the pmd remove_migration_pmd left. fork (copy_huge_pmd) and mprotect
 * (change_huge_pmd) make a writable entry read-only, as they do for a pte's.
 *
 * Each case is a 512-page range over one THP-enabled vma; page 0's request is the one under test.
 */
import { describe, expect, test } from 'vitest';
import { ALIGNED, flagsAt, sim, type ScenarioFile } from '../testing/harness.ts';

const MODERN = ['v6', 'v6.12', 'v7.3'] as const;
const R = ['VALID'];
const RW = ['VALID', 'WRITE'];

function pmd(kernel: string, state: string, req: string[], extra: ScenarioFile = {}) {
  return sim({
    kernel,
    range: { start: ALIGNED, pages: 512 },
    vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', thp: true }],
    cpu: { '0-511': state },
    defaultFlags: [],
    pfnFlagsMask: 'all',
    requests: { '0': req },
    ...extra,
  });
}

describe.each(MODERN)('%s: a writable THP migration entry', (kernel) => {
  test('read request: one wait and restart, the THP comes back writable, reported VALID|WRITE', () => {
    const o = pmd(kernel, 'thp-migration-rw', R);
    expect(o.ret).toBe(0);
    expect(o.faultList).toBe('');
    expect(o.restarts).toBe(1);
    expect(o.cpuAfter[0]).toBe('thp-rw');
    expect(flagsAt(o, 0)).toBe('VALID,WRITE');
    // The read-only entry comes back read-only.
    const ro = pmd(kernel, 'thp-migration', R);
    expect(ro.cpuAfter[0]).toBe('thp-ro');
    expect(flagsAt(ro, 0)).toBe('VALID');
  });
  test('write request: no write fault after the wait (the read-only entry needs one)', () => {
    const o = pmd(kernel, 'thp-migration-rw', RW);
    expect(o.faultList).toBe('');
    expect(o.cpuAfter[0]).toBe('thp-rw');
    expect(flagsAt(o, 0)).toBe('VALID,WRITE');
    const ro = pmd(kernel, 'thp-migration', RW);
    expect(ro.faults.length).toBeGreaterThan(0);
    expect(ro.faults[0]).toMatchObject({ page: 0, write: true });
  });
  test('no request: no wait, the entry stays and the pages are reported empty', () => {
    const o = pmd(kernel, 'thp-migration-rw', []);
    expect(o.restarts).toBe(0);
    expect(o.cpuAfter[0]).toBe('thp-migration-rw');
    expect(flagsAt(o, 0)).toBe('');
  });
});

describe('v5.2: the walk waits for a THP migration entry only when a page needs a fault', () => {
  test('a read request: the THP comes back writable from a writable entry', () => {
    const o = pmd('v5.2', 'thp-migration-rw', R, { driver: 'seed' });
    expect(o.cpuAfter[0]).toBe('thp-rw');
    expect(flagsAt(o, 0)).toBe('VALID,WRITE');
  });
});

describe('fork and mprotect make the writable entry read-only', () => {
  test('copy_huge_pmd (fork) and change_huge_pmd (mprotect)', () => {
    const forked = pmd('v6', 'thp-migration-rw', [], {
      concurrent: [{ at: 'before-call', op: 'fork', pages: '0-511' }],
    });
    expect(forked.cpuAfter[0]).toBe('thp-migration');
    const mprotected = pmd('v6', 'thp-migration-rw', [], {
      concurrent: [{ at: 'before-call', op: 'mprotect-ro', pages: '0-511' }],
    });
    expect(mprotected.cpuAfter[0]).toBe('thp-migration');
  });
});

describe('the format', () => {
  test('a writable THP migration entry needs a writable vma', () => {
    expect(() =>
      pmd('v6', 'thp-migration-rw', [], {
        vmas: [{ from: 0, pages: 512, prot: 'r', backing: 'anon', thp: true }],
      }),
    ).toThrow(/"thp-migration-rw" is a writable entry, which needs a writable vma/);
  });
});
