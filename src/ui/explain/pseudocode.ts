import type { Kernel, TraceEvent } from '../../engine/types.ts';

/**
 * Pseudocode of the two kernels the engine models, written for this project: condensed from
 * mm/hmm.c and the driver example of Documentation/vm|mm/hmm.rst, keeping the kernel's names and
 * structure so a reader with the source open can find each line. A line may carry an id (the
 * ⟦...⟧ marker at its end); `lineFor` maps a trace event to the id of the line it executes.
 */

export interface CodeLine {
  id: string | null;
  text: string;
  /** The function this line belongs to (its header's name), for the fallback mapping. */
  fn: string | null;
}

export interface Listing {
  kernel: Kernel;
  /** The kernel version the listing models, stated in the panel. */
  models: string;
  lines: CodeLine[];
}

const V52 = String.raw`
/* the driver (Documentation/vm/hmm.rst) */
again:
  hmm_range_register(&range, mm, start, end, PAGE_SHIFT);    ⟦drv.hmm_range_register⟧
  hmm_range_wait_until_valid(&range, TIMEOUT);               ⟦drv.hmm_range_wait_until_valid⟧
  down_read(&mm->mmap_sem);                                  ⟦drv.mmap_read_lock⟧
  ret = hmm_range_fault(&range, block);                      ⟦drv.call⟧
  if (ret == -EBUSY || ret == -EAGAIN) goto again;           ⟦drv.retry⟧
  take_lock(driver->update);                                 ⟦drv.driver_lock⟧
  if (!hmm_range_valid(&range)) { unlock; goto again; }      ⟦drv.hmm_range_valid⟧
  program_device_page_table(range.pfns);                     ⟦drv.program⟧
  release_lock(driver->update);                              ⟦drv.give_up⟧

/* the old API, kept in hmm.h for drivers not yet converted */
static inline int hmm_vma_fault(struct hmm_range *range, bool block)  ⟦wrapper⟧
  range->default_flags = 0;          /* the seed patch: only the */
  range->pfn_flags_mask = -1UL;      /* driver's own pfns[i] count */
  hmm_range_register(range, range->vma->vm_mm, start, end, PAGE_SHIFT);
  if (!hmm_range_wait_until_valid(range, HMM_RANGE_DEFAULT_TIMEOUT))
    { up_read(&mm->mmap_sem);  return -EAGAIN; }
  ret = hmm_range_fault(range, block);
  if (ret <= 0) { hmm_range_unregister(range);  return ret ? ret : -EBUSY; }
  return 0;                  /* hmm_vma_range_done() checks valid */  ⟦wrapper.return⟧

long hmm_range_fault(struct hmm_range *range, bool block)    ⟦call⟧
  do {
    if (!range->valid) { up_read(&mm->mmap_sem); return -EAGAIN; }
    vma = find_vma(mm, start);                               ⟦find_vma⟧
    if (!vma || (vma->vm_flags & (VM_IO | VM_PFNMAP | VM_MIXEDMAP)))
      return -EFAULT;
    if (!(vma->vm_flags & VM_READ)) {
      hmm_pfns_clear(range, range->pfns, start, end);  return -EPERM; }  ⟦eperm⟧
    hmm_vma_walk.last = start;  hmm_vma_walk.fault = true;
    do {
      ret = walk_page_range(start, end, &mm_walk);           ⟦walk⟧
      start = hmm_vma_walk.last;    /* restart where it faulted */  ⟦restart⟧
    } while (ret == -EBUSY && range->valid);
    if (ret) {
      hmm_pfns_clear(range, &range->pfns[i], last, range->end);  ⟦clear⟧
      return ret;                                            ⟦return.err⟧
    }
    start = end;
  } while (start < range->end);
  return (hmm_vma_walk.last - range->start) >> PAGE_SHIFT;   ⟦return⟧

static int hmm_vma_walk_pmd(pmd_t *pmdp, start, end, walk)  ⟦pmd⟧
  if (pmd_none(pmd))
    return hmm_vma_walk_hole(start, end, walk);
  if (pmd_trans_huge(pmd) || pmd_devmap(pmd))
    return hmm_vma_handle_pmd(walk, addr, end, pfns, pmd);   ⟦handle_pmd⟧
  for (; addr < end; addr += PAGE_SIZE, ptep++, i++) {
    r = hmm_vma_handle_pte(walk, addr, end, pmdp, ptep, &pfns[i]);
    if (r) { hmm_vma_walk->last = addr; return r; }
  }
  hmm_vma_walk->last = addr;
  return 0;

static int hmm_vma_handle_pte(walk, addr, end, pmdp, ptep, *pfn)  ⟦pte⟧
  uint64_t orig_pfn = *pfn;
  *pfn = range->values[HMM_PFN_NONE];        /* input erased now */  ⟦pte.erase⟧
  if (pte_none(pte)) {
    hmm_pte_need_fault(hmm_vma_walk, orig_pfn, 0, &fault, &write_fault);  ⟦pte.none⟧
    if (fault || write_fault) goto fault;
    return 0;
  }
  if (!pte_present(pte)) {
    if (is_device_private_entry(entry)) {
      cpu_flags = VALID | DEVICE_PRIVATE | (writable ? WRITE : 0);
      hmm_pte_need_fault(hmm_vma_walk, orig_pfn, cpu_flags, &fault, &write_fault);
      if (fault || write_fault) goto fault;
      *pfn = hmm_device_entry_from_pfn(range, pfn) | cpu_flags;  return 0;  ⟦pte.devpriv⟧
    }
    if (is_migration_entry(entry) || is_swap_entry(entry)) {
      if (fault || write_fault) ... /* never true here: no swap-in */
      return 0;                                              ⟦pte.swap⟧
    }
    *pfn = range->values[HMM_PFN_ERROR];  return -EFAULT;    ⟦pte.error⟧
  }
  cpu_flags = pte_to_hmm_pfn_flags(range, pte);  /* VALID (| WRITE) */
  hmm_pte_need_fault(hmm_vma_walk, orig_pfn, cpu_flags, &fault, &write_fault);  ⟦pte.need⟧
  if (fault || write_fault) goto fault;                      ⟦pte.goto⟧
  if (pte_special(pte)) {            /* the zero page too */
    *pfn = range->values[HMM_PFN_SPECIAL];  return -EFAULT;  ⟦pte.special⟧
  }
  *pfn = hmm_device_entry_from_pfn(range, pte_pfn(pte)) | cpu_flags;  ⟦pte.out⟧
  return 0;
fault:
  /* this page and the rest of the pmd, with this page's fault type */
  return hmm_vma_walk_hole_(addr, end, fault, write_fault, walk);  ⟦pte.fault⟧

static void hmm_pte_need_fault(walk, pfns, cpu_flags, *fault, *write_fault)  ⟦needfn⟧
  if (!hmm_vma_walk->fault) return;               /* snapshot */
  pfns = (pfns & range->pfn_flags_mask) | range->default_flags;  ⟦formula⟧
  if (!(pfns & range->flags[HMM_PFN_VALID])) return;         ⟦need.none⟧
  *fault = !(cpu_flags & range->flags[HMM_PFN_VALID]);       ⟦need.fault⟧
  if ((pfns & range->flags[HMM_PFN_WRITE]) &&
      !(cpu_flags & range->flags[HMM_PFN_WRITE])) {
    *write_fault = true;  *fault = true;                     ⟦need.write⟧
  }

static int hmm_vma_walk_hole(addr, end, walk)                ⟦hole⟧
  hmm_range_need_fault(walk, pfns, npages, 0, &fault, &write_fault);
  return hmm_vma_walk_hole_(addr, end, fault, write_fault, walk);

static int hmm_vma_walk_hole_(addr, end, fault, write_fault, walk)  ⟦hole_⟧
  hmm_vma_walk->last = addr;
  for (; addr < end; addr += PAGE_SIZE, i++) {
    pfns[i] = range->values[HMM_PFN_NONE];    /* requests lost */  ⟦hole_.none⟧
    if (fault || write_fault) {
      flags = FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_REMOTE;
      if (write_fault) flags |= FAULT_FLAG_WRITE;
      r = handle_mm_fault(vma, addr, flags);                 ⟦fault⟧
      if (r & VM_FAULT_ERROR) { pfns[i] = values[HMM_PFN_ERROR]; return -EFAULT; }
    }
  }
  return (fault || write_fault) ? -EBUSY : 0;   /* -EBUSY: walk again */  ⟦hole_.busy⟧

/* mmu notifier: the CPU page table is about to change */
static int hmm_invalidate_range_start(mn, nrange)           ⟦inval⟧
  range->valid = false;              /* every overlapping range */
  mirror->ops->sync_cpu_device_pagetables(mirror, &update);  /* device entries erased */

/* meanwhile, on another CPU */
munmap() / mprotect() / fork() / swap-out / migrate ...      ⟦concurrent⟧
`;

const V6 = String.raw`
/* the driver (Documentation/mm/hmm.rst) */
again:
  range.notifier_seq = mmu_interval_read_begin(&interval_sub);  ⟦drv.mmu_interval_read_begin⟧
  mmap_read_lock(mm);                                        ⟦drv.mmap_read_lock⟧
  ret = hmm_range_fault(&range);                             ⟦drv.call⟧
  mmap_read_unlock(mm);
  if (ret) { if (ret == -EBUSY) goto again;  return ret; }   ⟦drv.retry⟧
  take_lock(driver->update);                                 ⟦drv.driver_lock⟧
  if (mmu_interval_read_retry(&interval_sub, range.notifier_seq)) {  ⟦drv.mmu_interval_read_retry⟧
    release_lock(driver->update);  goto again; }
  /* use range.hmm_pfns to program the device page table */  ⟦drv.program⟧
  release_lock(driver->update);                              ⟦drv.give_up⟧

int hmm_range_fault(struct hmm_range *range)                 ⟦call⟧
  hmm_vma_walk.last = range->start;
  do {
    if (mmu_interval_check_retry(range->notifier, range->notifier_seq))
      return -EBUSY;                                         ⟦return.busy⟧
    ret = walk_page_range(mm, hmm_vma_walk.last, range->end,
                          &hmm_walk_ops, &hmm_vma_walk);     ⟦walk⟧
  } while (ret == -EBUSY);      /* faulted: walk again from last */  ⟦restart⟧
  return ret;                                                ⟦return⟧

static int hmm_vma_walk_test(start, end, walk)               ⟦test⟧
  if (!(vma->vm_flags & (VM_IO | VM_PFNMAP | VM_MIXEDMAP)) &&
      (vma->vm_flags & VM_READ))
    return 0;                                /* walk this vma */
  if (hmm_range_need_fault(hmm_vma_walk, pfns, npages, 0))
    return -EFAULT;
  hmm_pfns_fill(start, end, range, HMM_PFN_ERROR);          ⟦test.fill⟧
  return 1;                                  /* skip this vma */

static int hmm_vma_walk_hole(addr, end, depth, walk)         ⟦hole⟧
  required_fault = hmm_range_need_fault(hmm_vma_walk, pfns, npages, 0);
  if (!vma) {
    if (required_fault) return -EFAULT;
    return hmm_pfns_fill(addr, end, range, HMM_PFN_ERROR);
  }
  if (required_fault)
    return hmm_vma_fault(addr, end, required_fault, walk);
  return hmm_pfns_fill(addr, end, range, 0);                 ⟦hmm_pfns_fill⟧

static int hmm_vma_fault(addr, end, required_fault, walk)    ⟦vfault⟧
  hmm_vma_walk->last = addr;
  if (required_fault & HMM_NEED_WRITE_FAULT) {
    if (!(vma->vm_flags & VM_WRITE)) return -EPERM;          ⟦vfault.eperm⟧
    fault_flags |= FAULT_FLAG_WRITE;
  }
  for (; addr < end; addr += PAGE_SIZE)
    if (handle_mm_fault(vma, addr, fault_flags, NULL) & VM_FAULT_ERROR)  ⟦fault⟧
      return -EFAULT;
  return -EBUSY;                   /* the walk restarts at last */

static int hmm_vma_walk_pmd(pmd_t *pmdp, start, end, walk)  ⟦pmd⟧
  pmd = pmdp_get_lockless(pmdp);
  if (pmd_none(pmd))
    return hmm_vma_walk_hole(start, end, -1, walk);
  if (pmd_trans_huge(pmd) || pmd_devmap(pmd))
    return hmm_vma_handle_pmd(walk, addr, end, hmm_pfns, pmd);  ⟦handle_pmd⟧
  ptep = pte_offset_map(pmdp, addr);
  for (; addr < end; addr += PAGE_SIZE, ptep++, hmm_pfns++) {
    r = hmm_vma_handle_pte(walk, addr, end, pmdp, ptep, hmm_pfns);
    if (r) return r;      /* last was set where it faulted */
  }
  return 0;

static int hmm_vma_handle_pte(walk, addr, end, pmdp, ptep, *hmm_pfn)  ⟦pte⟧
  uint64_t pfn_req_flags = *hmm_pfn;     /* input kept until done */
  if (pte_none_mostly(pte)) {
    required_fault = hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, 0);  ⟦pte.none⟧
    if (required_fault) goto fault;
    *hmm_pfn = 0;  return 0;
  }
  if (!pte_present(pte)) {
    if (is_device_private_entry(entry) && owner == range->dev_private_owner) {
      *hmm_pfn = swp_offset(entry) | HMM_PFN_VALID | (writable ? HMM_PFN_WRITE : 0);  ⟦pte.devpriv⟧
      return 0;
    }
    required_fault = hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, 0);
    if (!required_fault) { *hmm_pfn = 0;  return 0; }        ⟦pte.swap⟧
    if (is_migration_entry(entry)) {
      hmm_vma_walk->last = addr;  migration_entry_wait(mm, pmdp, addr);
      return -EBUSY;                                         ⟦pte.migration⟧
    }
    if (!non_swap_entry(entry) || is_device_private_entry(entry))
      goto fault;                    /* swap in, migrate back to RAM */
    return -EFAULT;                  /* hwpoison, ... */     ⟦pte.error⟧
  }
  cpu_flags = pte_to_hmm_pfn_flags(range, pte);  /* 0 if protnone */
  required_fault = hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, cpu_flags);  ⟦pte.need⟧
  if (required_fault) goto fault;                            ⟦pte.goto⟧
  if (pte_special(pte) && !is_zero_pfn(pte_pfn(pte))) {
    if (hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, 0)) return -EFAULT;
    *hmm_pfn = HMM_PFN_ERROR;  return 0;                     ⟦pte.special⟧
  }
  *hmm_pfn = pte_pfn(pte) | cpu_flags;                       ⟦pte.out⟧
  return 0;
fault:
  /* this page to the end of the pmd, with this page's fault type */
  return hmm_vma_fault(addr, end, required_fault, walk);     ⟦pte.fault⟧

static unsigned int hmm_pte_need_fault(walk, pfn_req_flags, cpu_flags)  ⟦needfn⟧
  pfn_req_flags &= range->pfn_flags_mask;                    ⟦formula⟧
  pfn_req_flags |= range->default_flags;
  if (!(pfn_req_flags & HMM_PFN_REQ_FAULT)) return 0;        ⟦need.none⟧
  if ((pfn_req_flags & HMM_PFN_REQ_WRITE) && !(cpu_flags & HMM_PFN_WRITE))
    return HMM_NEED_FAULT | HMM_NEED_WRITE_FAULT;            ⟦need.write⟧
  if (!(cpu_flags & HMM_PFN_VALID)) return HMM_NEED_FAULT;   ⟦need.fault⟧
  return 0;

/* the driver's interval notifier: the CPU page table is about to change */
static bool driver_invalidate(mni, range, cur_seq)          ⟦inval⟧
  take_lock(driver->update);
  mmu_interval_set_seq(mni, cur_seq);       /* read_retry will see it */
  /* erase device entries in [range->start, range->end) */
  release_lock(driver->update);

/* meanwhile, on another CPU */
munmap() / mprotect() / fork() / swap-out / migrate ...      ⟦concurrent⟧
`;

const HEADER = /^(?:static\s+)?(?:int|long|void|bool|unsigned int)\s+(\w+)\(/;

function parse(kernel: Kernel, models: string, src: string): Listing {
  let fn: string | null = null;
  const lines = src
    .replace(/^\n/, '')
    .replace(/\n$/, '')
    .split('\n')
    .map((raw): CodeLine => {
      const m = /\s*⟦([\w.]+)⟧\s*$/.exec(raw);
      const text = m ? raw.slice(0, m.index).replace(/\s+$/, '') : raw;
      const h = HEADER.exec(text);
      if (h) fn = h[1];
      else if (text.startsWith('/*') || text.startsWith('again:') || text.startsWith('munmap')) fn = null;
      return { id: m ? m[1] : null, text, fn };
    });
  return { kernel, models, lines };
}

export const LISTINGS: Record<Kernel, Listing> = {
  'v5.2': parse('v5.2', 'Linux 5.2 (the 2019 API: hmm_range_register, range->valid)', V52),
  v6: parse('v6', 'Linux 6.1 (the v5.8+ API: hmm_pfns, mmu_interval notifier)', V6),
};

/** The ids a trace event may highlight, best first. */
function candidates(kernel: Kernel, e: TraceEvent): string[] {
  switch (e.type) {
    case 'driver':
      return [`drv.${e.fn}`];
    case 'call':
      return e.fn === 'hmm_vma_fault' ? ['wrapper'] : ['drv.call', 'call'];
    case 'return':
      if (e.fn === 'hmm_vma_fault') return ['wrapper.return'];
      return e.errno ? ['return.err', 'return.busy', 'return'] : ['return'];
    case 'walk':
      return e.restart > 0 ? ['restart', 'walk'] : ['walk'];
    case 'vma':
      return e.fn === 'find_vma' ? ['find_vma'] : e.ok ? ['test'] : ['test.fill', 'test'];
    case 'hole':
      return e.fn === 'hmm_vma_walk_hole_' ? ['hole_'] : ['hole'];
    case 'pmd':
      return e.fn === 'hmm_vma_handle_pmd' ? ['handle_pmd'] : e.fn === 'hmm_vma_walk_pmd' ? ['pmd'] : [e.fn];
    case 'pte': {
      if (e.need > 0) return ['pte.fault', 'pte.goto'];
      const byState: Partial<Record<string, string>> = {
        none: 'pte.none',
        swap: 'pte.swap',
        migration: 'pte.swap',
        devpriv: 'pte.devpriv',
        'devpriv-rw': 'pte.devpriv',
        hwpoison: 'pte.error',
        special: 'pte.special',
        // v5.2 treats the zero page as any special pte; later kernels report it.
        zero: kernel === 'v5.2' ? 'pte.special' : 'pte.out',
      };
      return [byState[e.cpuState] ?? 'pte.out', 'pte.out'];
    }
    case 'fault':
    case 'faults':
      return ['fault'];
    case 'fill':
      // The engine names a fill after the function that makes it ("caller: helper" at times).
      if (e.fn.includes('hmm_pfns_clear')) return ['clear', 'eperm'];
      if (e.fn === 'hmm_vma_walk_hole_') return ['hole_.none'];
      if (e.fn === 'hmm_vma_walk_hole') return ['hmm_pfns_fill'];
      if (e.fn === 'hmm_vma_walk_test') return ['test.fill'];
      if (e.fn === 'hmm_vma_handle_pmd') return ['handle_pmd'];
      return [e.fn];
    case 'invalidate':
      return ['inval'];
    case 'concurrent':
      return ['concurrent'];
    case 'program':
      return ['drv.program'];
  }
}

/** Index of the listing line the event executes, or -1. */
export function lineFor(listing: Listing, e: TraceEvent | null): number {
  if (!e) return -1;
  for (const id of candidates(listing.kernel, e)) {
    const i = listing.lines.findIndex((l) => l.id === id);
    if (i >= 0) return i;
  }
  // Fall back to the header of the function the event is named after.
  return listing.lines.findIndex((l) => l.fn === e.fn && HEADER.test(l.text));
}
