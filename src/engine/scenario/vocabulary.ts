/**
 * The scenario format's words and limits, as plain values: the editor offers them without loading
 * the schema (schema.ts) and its validation library.
 */
import { KERNEL_IDS } from '../kernels/registry.ts';

export const PAGE_SIZE = 4096n;
/** x86-64 with 4-level paging: user space is the low 47 bits (0 .. 0x7fffffffffff). */
export const USER_SPACE_END = 1n << 47n;
export const MAX_PAGES = 1048576;
/** 2 MiB: a pmd's span, the THP and hugetlb page size (in pages: 512). */
export const HUGE_PAGES = 512;

/** The kernel generations, from the registry (src/engine/kernels/registry.ts). */
export const KERNELS = KERNEL_IDS;
export const CALLS = [
  'hmm_range_fault',
  'hmm_range_snapshot',
  'hmm_vma_fault',
  'hmm_range_fault_unlocked_timeout',
] as const;
export const PROTS = ['', 'r', 'rw', 'w'] as const;
export const SPECIALS = ['io', 'pfnmap', 'mixedmap', 'hugetlb'] as const;
export const CONCURRENT_AT = ['before-call', 'after-fault', 'before-program', 'after-program'] as const;
export const CONCURRENT_OPS = [
  'munmap',
  'mprotect-ro',
  'mprotect-none',
  'swap-out',
  'migrate-to-device',
  'fork',
  'invalidate',
  'madv-pageout',
  'sigkill',
] as const;

/**
 * The ops whose invalidation may last (`"lasts": true`): those that need no mmap write lock, so
 * they can start while the driver works. A write-locked op waits for the driver's release and
 * then runs to completion (hmm-semantics.md 10.5).
 */
export const LASTING_OPS: readonly (typeof CONCURRENT_OPS)[number][] = [
  'invalidate',
  'swap-out',
  'madv-pageout',
  'migrate-to-device',
];
