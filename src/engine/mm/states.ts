/**
 * CPU page-table state codes (indices into CPU_STATES) and the small predicates the fault and walk
 * code ask of them. Spec: scenario-format.md ("cpu" states), hmm-semantics.md section 4.
 */
import { CPU_STATES, type CpuState } from '../types.ts';

const code = (s: CpuState): number => CPU_STATES.indexOf(s);

export const S = {
  none: code('none'),
  ro: code('ro'),
  rw: code('rw'),
  cow: code('cow'),
  zero: code('zero'),
  special: code('special'),
  protnone: code('protnone'),
  swap: code('swap'),
  migration: code('migration'),
  devpriv: code('devpriv'),
  devprivRw: code('devpriv-rw'),
  devprivOther: code('devpriv-other'),
  devprivOtherRw: code('devpriv-other-rw'),
  hwpoison: code('hwpoison'),
  thpRo: code('thp-ro'),
  thpRw: code('thp-rw'),
  thpZero: code('thp-zero'),
  thpProtnone: code('thp-protnone'),
  thpMigration: code('thp-migration'),
  uffdWp: code('uffd-wp'),
  guard: code('guard'),
  thpDevpriv: code('thp-devpriv'),
  thpDevprivRw: code('thp-devpriv-rw'),
  thpDevprivOther: code('thp-devpriv-other'),
  migrationRw: code('migration-rw'),
  thpMigrationRw: code('thp-migration-rw'),
} as const;

/** ro, rw, cow or zero: a present pte mapping a normal page (or the zero page). */
export function isPresentNormal(c: number): boolean {
  return c === S.ro || c === S.rw || c === S.cow || c === S.zero;
}

export const stateName = (c: number): CpuState => CPU_STATES[c];

/** pte_present(): a page-table entry that maps a page (protnone included, as on x86). */
export function isPresent(c: number): boolean {
  return c === S.ro || c === S.rw || c === S.cow || c === S.zero || c === S.special || c === S.protnone;
}

export function isDevicePrivate(c: number): boolean {
  return c === S.devpriv || c === S.devprivRw || c === S.devprivOther || c === S.devprivOtherRw;
}

/** Whose device memory a device-private entry is: the mirroring device's own, or another's. */
export function devicePrivateIsOwn(c: number): boolean {
  return c === S.devpriv || c === S.devprivRw || c === S.thpDevpriv || c === S.thpDevprivRw;
}

export function devicePrivateWritable(c: number): boolean {
  return c === S.devprivRw || c === S.devprivOtherRw || c === S.thpDevprivRw;
}

/** A state of a whole 2 MiB pmd (a THP, its migration entry, or a device-private THP). */
export function isThp(c: number): boolean {
  return (c >= S.thpRo && c <= S.thpMigration) || c === S.thpMigrationRw || isDevicePrivatePmd(c);
}

/** A THP migration entry, read-only ("thp-migration") or writable ("thp-migration-rw"). */
export function isMigrationPmd(c: number): boolean {
  return c === S.thpMigration || c === S.thpMigrationRw;
}

/**
 * The pmd remove_migration_pmd() installs when the migration of a THP completes: read-only, made
 * writable by maybe_pmd_mkwrite() only when the entry was writable and the vma has VM_WRITE.
 */
export function afterMigrationPmd(c: number, vmaWrite: boolean): number {
  return c === S.thpMigrationRw && vmaWrite ? S.thpRw : S.thpRo;
}

/** A device-private pmd (7.x: a device-private THP, hmm_vma_handle_absent_pmd). */
export function isDevicePrivatePmd(c: number): boolean {
  return c === S.thpDevpriv || c === S.thpDevprivRw || c === S.thpDevprivOther;
}

/** A pte marker (7.x table): uffd-wp, or a guard region's marker. */
export function isPteMarker(c: number): boolean {
  return c === S.uffdWp || c === S.guard;
}

/** A pte migration entry, read-only ("migration") or writable ("migration-rw"). */
export function isMigration(c: number): boolean {
  return c === S.migration || c === S.migrationRw;
}

/**
 * The pte remove_migration_pte() installs when the migration completes: read-only, made writable
 * by maybe_mkwrite() only when the entry was writable and the vma has VM_WRITE.
 */
export function afterMigration(c: number, vmaWrite: boolean): number {
  return c === S.migrationRw && vmaWrite ? S.rw : S.ro;
}

/** pte_write() of a present entry. */
export function isWritable(c: number): boolean {
  return c === S.rw || c === S.thpRw;
}
