/**
 * The kernel statements a trace event can stand for: a closed set of ids, shared by the engine
 * (which sets an event's `stmt` where it emits it, knowing which branch it took) and the
 * pseudocode listings (src/engine/kernels/listings/, whose ⟦...⟧ markers map each id to its line
 * and the lines on its path). The UI highlights the line the event's statement names, never a
 * line guessed from the event's position or type.
 *
 * Ids are grouped by the function they live in: `drv.*` the driver's loop, `wrapper*` the 2019
 * compat hmm_vma_fault(), `return*` / `walk` / `restart` / `check_retry` the HMM entry point,
 * `pte.*` hmm_vma_handle_pte(), `need.*` the branch hmm_pte_need_fault() took, and so on. Not
 * every generation has every statement: each listing maps the ids its kernel can execute.
 */
export const STATEMENTS = [
  // The driver (hmm.rst / lib/test_hmm.c), and the mmap lock calls the lock model will name.
  'drv.hmm_range_register',
  'drv.mmu_interval_read_begin',
  'drv.timeout',
  'drv.down_read',
  'drv.mmap_read_lock',
  'drv.call',
  'drv.mmap_read_unlock',
  'drv.up_read_err',
  'drv.retry',
  'drv.give_up',
  'drv.driver_lock',
  'drv.hmm_range_valid',
  'drv.mmu_interval_read_retry',
  'drv.stale',
  'drv.program',
  'drv.up_read',
  // 7.3's unlocked call (its own driver loop and outer loop: listed as u.<id>), and userfaultfd.
  'drv.mmap_read_lock_killable',
  'drv.retry_budget',
  'drv.fault_unlocked',
  'drv.fault_dropped_lock',
  'drv.userfault_sleeps',
  'drv.uffdio_copy',
  // v5.2's compat hmm_vma_fault() (hmm.h).
  'wrapper',
  'wrapper.register_err',
  'wrapper.timeout',
  'wrapper.busy',
  'wrapper.eagain',
  'wrapper.err',
  'wrapper.return',
  // The entry point: hmm_range_fault (v5.2 with its per-vma loop), hmm_range_fault_locked (7.x).
  'valid.false',
  'find_vma.efault',
  'find_vma.eperm',
  'eperm',
  'check_retry',
  'walk',
  'walk.next',
  'restart',
  'unwind',
  'do_fault',
  'clear',
  'return',
  'return.busy',
  'return.eagain',
  'return.efault',
  'return.eperm',
  'return.err',
  // hmm_vma_walk_test (v5.8+).
  'test',
  'test.ok',
  'test.efault',
  'test.fill',
  // Holes: hmm_vma_walk_hole, and v5.2's hmm_vma_walk_hole_.
  'hole',
  'hole.pmd',
  'hole.fault',
  'hole.pmd.fault',
  'hole.fill',
  'hole.novma',
  'hole.novma.efault',
  'hole.novma.fill',
  'hole_.none',
  'hole_.busy',
  'hole_.err',
  // Faulting: hmm_vma_fault (6.x), hmm_record_fault / hmm_do_fault (7.x), hmm_vma_do_fault (5.2).
  'record',
  'vfault.eperm',
  'fault',
  'fault.err',
  'fault.retry',
  // pmd level.
  'pmd.migration',
  'pmd.migration_wait',
  'pmd.bad',
  'pmd.done',
  'handle_pmd',
  'handle_pmd.fault',
  'handle_pmd.hole_',
  'handle_pmd.fill',
  'absent.own',
  'absent.fault',
  'absent.efault',
  'absent.error',
  'hugetlb',
  'hugetlb.fault',
  'hugetlb.fill',
  // hmm_vma_handle_pte: what one pte gives.
  'pte.none',
  'pte.none.fault',
  'pte.swap',
  'pte.swap.fault',
  'pte.devpriv',
  'pte.devpriv.fault',
  'pte.migration',
  'pte.marker',
  'pte.error',
  'pte.present.fault',
  'pte.special',
  'pte.special.efault',
  'pte.out',
  // hmm_pte_need_fault: the branch that decided.
  'need.snapshot',
  'need.none',
  'need.devpriv',
  'need.fault',
  'need.write',
  'need.ok',
  // The notifier, and the CPU.
  'inval',
  'concurrent',
] as const;

export type Statement = (typeof STATEMENTS)[number];
