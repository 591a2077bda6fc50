import { CPU_STATES, type CpuState, type DeviceState } from '../../engine/types.ts';

/**
 * How each page-table state is said in a cell (short text, always shown, so colour is never the
 * only carrier), in a tooltip, and which colour family it takes (resolved to a theme colour by
 * `ui/theme/palette.ts`).
 */
export interface StateLook {
  /** At most 6 characters: the text inside a cell. */
  short: string;
  /** One phrase for tooltips and the accessible name. */
  long: string;
  /** Two or three words for the legend. */
  brief: string;
  /** Colour family, see palette.ts. */
  tone: Tone;
  /** Pattern drawn over the colour for states that are "in flight" or unusual. */
  pattern?: 'stripes' | 'dots';
}

export type Tone =
  'empty' | 'read' | 'write' | 'shared' | 'zero' | 'special' | 'away' | 'device' | 'error' | 'huge';

export const CPU_LOOK: Record<CpuState, StateLook> = {
  none: { short: 'none', brief: 'no pte yet', long: 'pte_none: never touched or zapped', tone: 'empty' },
  ro: { short: 'ro', brief: 'read-only', long: 'present, read-only, owned by this process', tone: 'read' },
  rw: { short: 'rw', brief: 'writable', long: 'present, writable', tone: 'write' },
  cow: {
    short: 'cow',
    brief: 'shared after fork',
    long: 'present, read-only, shared with another process after fork',
    tone: 'shared',
  },
  zero: {
    short: 'zero',
    brief: 'the zero page',
    long: 'the shared zero page (special pte, read-only)',
    tone: 'zero',
  },
  special: {
    short: 'spec',
    brief: 'special pte',
    long: 'a special pte (vm_insert_pfn style)',
    tone: 'special',
  },
  protnone: {
    short: 'numa',
    brief: 'NUMA hinting',
    long: 'NUMA-hinting pte: present but PROT_NONE',
    tone: 'special',
    pattern: 'dots',
  },
  swap: { short: 'swap', brief: 'swapped out', long: 'swapped out (swap entry)', tone: 'away' },
  migration: {
    short: 'migr',
    brief: 'being migrated',
    long: 'migration entry: a migration is in progress',
    tone: 'away',
    pattern: 'stripes',
  },
  'migration-rw': {
    short: 'migr·w',
    brief: 'being migrated, writable',
    long: 'migration entry, writable: a migration is in progress; the page comes back writable',
    tone: 'away',
    pattern: 'stripes',
  },
  devpriv: {
    short: 'dev',
    brief: 'in device memory',
    long: 'device-private page of this device, read-only entry',
    tone: 'device',
  },
  'devpriv-rw': {
    short: 'dev·w',
    brief: 'in device memory, writable',
    long: 'device-private page of this device, writable entry',
    tone: 'device',
  },
  'devpriv-other': {
    short: 'oth',
    brief: "in another device's memory",
    long: 'device-private page of another device, read-only entry',
    tone: 'device',
    pattern: 'dots',
  },
  'devpriv-other-rw': {
    short: 'oth·w',
    brief: "in another device's memory, writable",
    long: 'device-private page of another device, writable entry',
    tone: 'device',
    pattern: 'dots',
  },
  hwpoison: {
    short: 'poison',
    brief: 'poisoned',
    long: 'hardware-poisoned page',
    tone: 'error',
    pattern: 'stripes',
  },
  'thp-ro': {
    short: 'Hro',
    brief: '2 MiB huge, read-only',
    long: 'part of a 2 MiB huge pmd, read-only',
    tone: 'read',
    pattern: 'dots',
  },
  'thp-rw': {
    short: 'Hrw',
    brief: '2 MiB huge, writable',
    long: 'part of a 2 MiB huge pmd, writable',
    tone: 'write',
    pattern: 'dots',
  },
  'thp-zero': {
    short: 'Hzero',
    brief: 'huge zero page',
    long: 'part of the huge zero page (2 MiB pmd)',
    tone: 'zero',
    pattern: 'dots',
  },
  'thp-protnone': {
    short: 'Hnuma',
    brief: '2 MiB huge, NUMA hinting',
    long: 'part of a 2 MiB huge pmd, NUMA hinting (PROT_NONE)',
    tone: 'special',
    pattern: 'dots',
  },
  'thp-migration': {
    short: 'Hmigr',
    brief: '2 MiB huge, being migrated',
    long: 'part of a 2 MiB huge pmd under migration',
    tone: 'away',
    pattern: 'stripes',
  },
  'thp-migration-rw': {
    short: 'Hmig·w',
    brief: '2 MiB huge, being migrated, writable',
    long: 'part of a 2 MiB huge pmd under migration, writable entry: the THP comes back writable',
    tone: 'away',
    pattern: 'stripes',
  },
  'uffd-wp': {
    short: 'uffdwp',
    brief: 'uffd-wp marker',
    long: 'a userfaultfd write-protect marker (no page; read as none)',
    tone: 'empty',
    pattern: 'dots',
  },
  guard: {
    short: 'guard',
    brief: 'guard marker',
    long: 'a guard-region marker (MADV_GUARD_INSTALL): any access faults with SIGSEGV',
    tone: 'error',
    pattern: 'dots',
  },
  'thp-devpriv': {
    short: 'Hdev',
    brief: 'device THP',
    long: 'part of a 2 MiB device-private pmd of this device, read-only',
    tone: 'device',
  },
  'thp-devpriv-rw': {
    short: 'Hdev·w',
    brief: 'device THP, writable',
    long: 'part of a 2 MiB device-private pmd of this device, writable',
    tone: 'device',
  },
  'thp-devpriv-other': {
    short: 'Hoth',
    brief: "another device's THP",
    long: 'part of a 2 MiB device-private pmd of another device',
    tone: 'device',
    pattern: 'dots',
  },
};

/**
 * A PROT_NONE pte in a vma that is itself PROT_NONE (mprotect(PROT_NONE), or a vma made without
 * VM_READ): pte_protnone() like a NUMA hint, but NUMA balancing only marks accessible vmas, so
 * calling it one would be wrong.
 */
const PROTNONE_BY_VMA: Partial<Record<CpuState, StateLook>> = {
  protnone: {
    short: 'pnone',
    brief: 'PROT_NONE vma',
    long: 'present but PROT_NONE, as its vma is (mprotect(PROT_NONE)): not a NUMA hint',
    tone: 'special',
    pattern: 'dots',
  },
  'thp-protnone': {
    short: 'Hpnone',
    brief: '2 MiB huge, PROT_NONE vma',
    long: 'part of a 2 MiB huge pmd, PROT_NONE as its vma is (mprotect(PROT_NONE)): not a NUMA hint',
    tone: 'special',
    pattern: 'dots',
  },
};

/**
 * How a CPU state is said for a page: a protnone pte is a NUMA hint only in a vma the process can
 * read (`vmaReadable`); in a PROT_NONE vma it is the vma's own protection.
 */
export function cpuLook(state: CpuState, vmaReadable: boolean): StateLook {
  return (!vmaReadable && PROTNONE_BY_VMA[state]) || CPU_LOOK[state];
}

export const DEVICE_LOOK: Record<DeviceState, StateLook> = {
  none: { short: 'none', brief: 'not mapped', long: 'no device mapping', tone: 'empty' },
  ro: { short: 'ro', brief: 'device may read', long: 'device may read', tone: 'read' },
  rw: { short: 'rw', brief: 'device may write', long: 'device may read and write', tone: 'write' },
};

/**
 * The CPU states in the order the palette and the legend show them: CPU_STATES' order (their codes
 * are indices, so later additions are appended there), with each writable migration entry next to
 * its read-only one.
 */
const WRITABLE_MIGRATION: Partial<Record<CpuState, CpuState>> = {
  migration: 'migration-rw',
  'thp-migration': 'thp-migration-rw',
};
const WRITABLE_MIGRATION_STATES = new Set(Object.values(WRITABLE_MIGRATION));
export const CPU_STATE_ORDER: readonly CpuState[] = CPU_STATES.flatMap((s): CpuState[] => {
  if (WRITABLE_MIGRATION_STATES.has(s)) return [];
  const rw = WRITABLE_MIGRATION[s];
  return rw ? [s, rw] : [s];
});

/** The CPU states offered first in the paint palette (the rest behind "more"). */
export const COMMON_CPU_STATES: CpuState[] = ['none', 'ro', 'rw', 'cow', 'zero', 'swap'];
