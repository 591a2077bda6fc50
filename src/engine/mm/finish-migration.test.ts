/**
 * finishMigration(): the one place a waited-for migration entry is replaced, pte or pmd, whether
 * handle_mm_fault() waits (migration_entry_wait / pmd_migration_entry_wait) or a walk does before
 * it restarts. remove_migration_pte() / remove_migration_pmd() install the new page read-only and
 * make it writable only from a writable entry in a VM_WRITE vma (maybe_mkwrite /
 * maybe_pmd_mkwrite); a pmd gets a new aligned huge page.
 */
import { describe, expect, test } from 'vitest';
import { generation } from '../kernels/registry.ts';
import { FAULT_FLAG, finishMigration, handleMmFault } from './fault.ts';
import { Mm, type MmVma, PMD_PAGES } from './mm.ts';
import { S, stateName } from './states.ts';

const BASE = 0x7f0000000; // a 2 MiB-aligned vpn
const vmaOf = (write: boolean): MmVma => ({
  start: BASE,
  end: BASE + 2 * PMD_PAGES,
  read: true,
  write,
  shared: false,
  anon: true,
  special: null,
  thp: true,
  allocFails: false,
  uffd: null,
});

/** An mm with vpn BASE + 5 under `state`: a pte, or (thp-*) a huge pmd over the first block. */
function mmWith(state: number): Mm {
  const mm = new Mm(generation('v6').faults);
  mm.vmas = [vmaOf(true)];
  if (stateName(state).startsWith('thp-')) mm.setHuge(BASE, state, mm.allocHugePfn());
  else mm.setPte(BASE + 5, state, -1);
  mm.allocPfn(); // the next frame is not huge-aligned, so a huge page's alignment shows
  return mm;
}

// [entry, vma has VM_WRITE, what remove_migration_* installs]
const CASES: [string, boolean, string][] = [
  ['migration', true, 'ro'],
  ['migration', false, 'ro'],
  ['migration-rw', true, 'rw'],
  ['migration-rw', false, 'ro'],
  ['thp-migration', true, 'thp-ro'],
  ['thp-migration', false, 'thp-ro'],
  ['thp-migration-rw', true, 'thp-rw'],
  ['thp-migration-rw', false, 'thp-ro'],
];

/** The state code named `entry` ("migration-rw" is S.migrationRw). */
const code = (entry: string): number =>
  S[entry.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as keyof typeof S];

describe('finishMigration', () => {
  test.each(CASES)('%s, VM_WRITE %s: %s on a new page', (entry, write, after) => {
    const st = code(entry);
    expect(stateName(st)).toBe(entry);
    const mm = mmWith(st);
    const vpn = BASE + 5;
    const oldPfn = mm.pfnOf(vpn);
    const generationBefore = mm.generation;
    expect(stateName(finishMigration(mm, write, vpn, st))).toBe(after);
    expect(stateName(mm.stateOf(vpn))).toBe(after);
    expect(mm.generation).toBe(generationBefore + 1);
    const huge = after.startsWith('thp-');
    expect(mm.level(vpn)).toBe(huge ? 'huge' : 'table');
    expect(mm.pfnOf(vpn)).not.toBe(oldPfn);
    if (huge) expect((mm.pfnOf(vpn) - 5) % PMD_PAGES).toBe(0);
  });

  test.each(CASES)(
    'handle_mm_fault on %s (VM_WRITE %s) installs %s and says who restored what',
    (entry, write, after) => {
      const mm = mmWith(code(entry));
      const o = handleMmFault(mm, vmaOf(write), BASE + 5, FAULT_FLAG.REMOTE);
      expect(o.code).toBe(0);
      expect(stateName(mm.stateOf(BASE + 5))).toBe(after);
      const pmd = entry.startsWith('thp-');
      const wait = pmd ? 'pmd_migration_entry_wait' : 'migration_entry_wait';
      expect(o.path).toBe(
        after.endsWith('rw')
          ? `${wait}: the migration finished; remove_migration_${pmd ? 'pmd' : 'pte'} restored write access`
          : `${wait}: the migration finished`,
      );
    },
  );

  test.each(['migration', 'migration-rw'])(
    'a %s entry fork copied comes back shared with the child ("cow"), once',
    (entry) => {
      const mm = mmWith(code(entry));
      mm.sharedAfterFork.add(BASE + 5);
      const o = handleMmFault(mm, vmaOf(true), BASE + 5, FAULT_FLAG.REMOTE);
      expect(stateName(mm.stateOf(BASE + 5))).toBe('cow');
      expect(o.path).toBe(
        "migration_entry_wait: the migration finished; the page is shared with fork's child (read-only)",
      );
      // The mark goes with the entry: a later entry at this page is the process's own again.
      expect(mm.sharedAfterFork.has(BASE + 5)).toBe(false);
    },
  );
});
