/**
 * Writable migration entries, at both levels: a pte's ("migration-rw") and a THP's pmd
 * ("thp-migration-rw"). When a migration completes, remove_migration_pte() (mm/migrate.c) or
 * remove_migration_pmd() (mm/huge_memory.c) builds the new entry read-only and then
 * `if (is_writable_migration_entry(entry)) ... mkwrite(...)` (is_write_migration_entry before 5.14;
 * pmd_mkwrite(pmde, vma) since 6.6): the page comes back writable when the entry was writable and
 * the vma has VM_WRITE. The modern walk meets the entry with a request that needs a fault, waits
 * (migration_entry_wait / pmd_migration_entry_wait), returns -EBUSY internally and restarts
 * (hmm-semantics.md 2.5, 10): the re-walk sees the entry as the migration left it. fork
 * (copy_nonpresent_pte / copy_huge_pmd) and mprotect (change_pte_range / change_huge_pmd) make a
 * writable entry read-only.
 *
 * The pte cases are a 2-page range in one pte table: page 0 is under test, page 1 is mapped
 * read-write so the table exists. The pmd cases are a 512-page range over one THP-enabled vma.
 * Either way page 0's request is its own input (pfn_flags_mask = all).
 */
import { describe, expect, test } from 'vitest';
import { ALIGNED, flagsAt, sim, type ScenarioFile } from '../testing/harness.ts';
import { eventText, outputEvent } from '../trace/text.ts';

const MODERN = ['v6', 'v6.12', 'v7.3'] as const;
const R = ['VALID'];
const RW = ['VALID', 'WRITE'];

/** One level's scenario and names: the writable and read-only entry, and what each comes back as. */
interface Level {
  level: 'pte' | 'pmd';
  rw: string;
  ro: string;
  backRw: string;
  backRo: string;
  pages: string;
  run: (kernel: string, state: string, req: string[], extra?: ScenarioFile) => ReturnType<typeof sim>;
}

const PTE: Level = {
  level: 'pte',
  rw: 'migration-rw',
  ro: 'migration',
  backRw: 'rw',
  backRo: 'ro',
  pages: '0-1',
  run: (kernel, state, req, extra = {}) =>
    sim({
      kernel,
      range: { start: ALIGNED, pages: 2 },
      vmas: [{ from: 0, pages: 2, prot: 'rw', backing: 'anon', shared: false }],
      cpu: { '0': state, '1': 'rw' },
      driver: kernel === 'v5.2' ? 'seed' : { devicePrivateOwner: 'this' },
      defaultFlags: [],
      pfnFlagsMask: 'all',
      requests: { '0': req },
      ...extra,
    }),
};

const PMD: Level = {
  level: 'pmd',
  rw: 'thp-migration-rw',
  ro: 'thp-migration',
  backRw: 'thp-rw',
  backRo: 'thp-ro',
  pages: '0-511',
  run: (kernel, state, req, extra = {}) =>
    sim({
      kernel,
      range: { start: ALIGNED, pages: 512 },
      vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', thp: true }],
      cpu: { '0-511': state },
      driver: kernel === 'v5.2' ? 'seed' : undefined,
      defaultFlags: [],
      pfnFlagsMask: 'all',
      requests: { '0': req },
      ...extra,
    }),
};

const MODERN_LEVELS = MODERN.flatMap((kernel) => [PTE, PMD].map((l) => ({ kernel, ...l })));

describe.each(MODERN_LEVELS)(
  '$kernel: a writable $level migration entry',
  ({ kernel, rw, ro, backRw, backRo, pages, run }) => {
    test.each([
      ['read', R],
      ['write', RW],
    ])(
      '%s request: one wait and restart, no fault, it comes back writable, reported VALID|WRITE',
      (_, req) => {
        const o = run(kernel, rw, req);
        expect(o.ret).toBe(0);
        expect(o.faultList).toBe('');
        expect(o.restarts).toBe(1);
        expect(o.attempts).toBe(1);
        expect(o.cpuAfter[0]).toBe(backRw);
        expect(flagsAt(o, 0)).toBe('VALID,WRITE');
      },
    );
    test('the read-only entry comes back read-only: a read request reports VALID only', () => {
      const o = run(kernel, ro, R);
      expect(o.cpuAfter[0]).toBe(backRo);
      expect(flagsAt(o, 0)).toBe('VALID');
    });
    test('the read-only entry needs a write fault after the wait for a write request', () => {
      const o = run(kernel, ro, RW);
      expect(o.faults[0]).toMatchObject({ page: 0, write: true });
      expect(flagsAt(o, 0)).toBe('VALID,WRITE');
    });
    test('no request (a snapshot): no wait, the entry stays, the page is reported empty', () => {
      const o = run(kernel, rw, []);
      expect(o.restarts).toBe(0);
      expect(o.cpuAfter[0]).toBe(rw);
      expect(flagsAt(o, 0)).toBe('');
    });
    test.each(['fork', 'mprotect-ro'])('%s before the call leaves the entry read-only', (op) => {
      const o = run(kernel, rw, [], { concurrent: [{ at: 'before-call', op, pages }] });
      expect(o.cpuAfter[0]).toBe(ro);
    });
    test('mprotect(PROT_READ) before the call: it comes back read-only, a read request reports VALID', () => {
      const o = run(kernel, rw, R, { concurrent: [{ at: 'before-call', op: 'mprotect-ro', pages }] });
      expect(o.cpuAfter[0]).toBe(backRo);
      expect(flagsAt(o, 0)).toBe('VALID');
    });
    test('fork before the call: it comes back without write access, a read request reports VALID', () => {
      const o = run(kernel, rw, R, { concurrent: [{ at: 'before-call', op: 'fork', pages }] });
      expect(o.cpuAfter[0]).not.toBe(backRw);
      expect(flagsAt(o, 0)).toBe('VALID');
    });
  },
);

describe.each(MODERN)('%s: the pte entry only', (kernel) => {
  test('the write fault on the read-only entry restarts the walk once more (-EBUSY)', () => {
    // The wait restarts the walk, the page comes back read-only, the walk write-faults it
    // (do_wp_page reuses the exclusive page) and restarts.
    const o = PTE.run(kernel, 'migration', RW);
    expect(o.restarts).toBe(2);
    expect(o.cpuAfter[0]).toBe('rw');
  });
  test('the trace says remove_migration_pte restored write access', () => {
    const said = PTE.run(kernel, 'migration-rw', R)
      .run.trace.map((e) => JSON.stringify(outputEvent(e)))
      .join('\n');
    expect(said).toMatch(/remove_migration_pte/);
    expect(said).toMatch(/writ/);
  });
});

describe('v5.2', () => {
  test.each([[R], [RW]])(
    'a pte entry is never waited for, request %j: values[NONE], no fault, the entry stays',
    (req) => {
      // v5.2 never computes a non-none pte's need, so it never waits for either kind of entry.
      const o = PTE.run('v5.2', 'migration-rw', req);
      expect(o.pfns[0].value).toBe('NONE');
      expect(o.restarts).toBe(0);
      expect(o.faultList).toBe('');
      expect(o.cpuAfter[0]).toBe('migration-rw');
      const ro = PTE.run('v5.2', 'migration', req);
      expect(o.ret).toBe(ro.ret);
      expect(o.attempts).toBe(ro.attempts);
    },
  );
  test('a THP entry is waited for when a page needs a fault, and the THP comes back writable', () => {
    const o = PMD.run('v5.2', 'thp-migration-rw', R);
    expect(o.cpuAfter[0]).toBe('thp-rw');
    expect(flagsAt(o, 0)).toBe('VALID,WRITE');
  });
});

describe('the format: a writable entry needs a writable vma', () => {
  test('pte', () => {
    expect(() =>
      PTE.run('v6', 'migration-rw', R, {
        vmas: [{ from: 0, pages: 2, prot: 'r', backing: 'anon', shared: false }],
        cpu: { '0': 'migration-rw', '1': 'ro' },
      }),
    ).toThrow(/"migration-rw" is a writable entry.*VM_WRITE/);
  });
  test('pmd', () => {
    expect(() =>
      PMD.run('v6', 'thp-migration-rw', [], {
        vmas: [{ from: 0, pages: 512, prot: 'r', backing: 'anon', thp: true }],
      }),
    ).toThrow(/"thp-migration-rw" is a writable entry, which needs a writable vma/);
  });
});

/**
 * A migration entry fork copied (copy_nonpresent_pte): the page is mapped by the child too once
 * the migration completes, so it comes back read-only and not exclusive ("cow"), from a writable
 * entry or a read-only one alike, and a write copies it (wp_page_copy, under a CLEAR invalidation)
 * instead of reusing it. The same entry without the fork comes back exclusive: a write reuses it.
 */
describe.each(MODERN)('%s: a pte migration entry fork copied', (kernel) => {
  const forked = (state: string, req: string[]) =>
    PTE.run(kernel, state, req, { concurrent: [{ at: 'before-call', op: 'fork', pages: '0-1' }] });
  // The walk faults every page from the first that needs one to the end of the table (page 1, a
  // forked "cow" page, is copied too): count the CLEARs that cover page 0.
  const clears = (o: ReturnType<typeof sim>) =>
    o.invalidations.filter((i) => i.event === 'CLEAR' && i.from <= 0 && i.to >= 0).length;
  test.each(['migration-rw', 'migration'])(
    '%s, read request: comes back shared with the child, VALID',
    (state) => {
      const o = forked(state, R);
      expect(o.cpuAfter[0]).toBe('cow');
      // The walk's step says so; the fault path, had the fault waited, would too (fault.ts).
      const step = o.run.trace.find((e) => e.type === 'pte' && e.stmt === 'pte.migration');
      expect(step && eventText(step)).toMatch(/fork copied.*shared with the child/);
      expect(flagsAt(o, 0)).toBe('VALID');
      expect(o.faultList).toBe('');
    },
  );
  test.each(['migration-rw', 'migration'])(
    '%s, write request: the write fault copies the page under a CLEAR',
    (state) => {
      const o = forked(state, RW);
      expect(o.faults[0]).toMatchObject({ page: 0, write: true });
      expect(o.cpuAfter[0]).toBe('rw');
      expect(flagsAt(o, 0)).toBe('VALID,WRITE');
      expect(clears(o)).toBe(1);
      // Without the fork the read-only entry's page is exclusive: the write fault reuses it.
      expect(clears(PTE.run(kernel, 'migration', RW))).toBe(0);
    },
  );
});
