/**
 * Pseudocode of Linux 5.2 (the 2019 API), written for this project: condensed from mm/hmm.c at 0092908d16c6 and the driver example of Documentation/vm/hmm.rst, keeping the kernel's names and
 * structure so a reader with the source open can find each line. A line may end in a ⟦id⟧ marker,
 * the statement a trace event can point at (the UI renders the text and highlights by id).
 */
export const LISTING_5_2 = String.raw`
/* the driver (Documentation/vm/hmm.rst) */
again:
  hmm_range_register(&range, mm, start, end, PAGE_SHIFT);    ⟦drv.hmm_range_register⟧
  hmm_range_wait_until_valid(&range, TIMEOUT);               ⟦drv.hmm_range_wait_until_valid⟧
  down_read(&mm->mmap_sem);                                  ⟦drv.down_read⟧
  ret = hmm_range_fault(&range, block);                      ⟦drv.call⟧
  if (ret == -EBUSY || ret == -EAGAIN) goto again;           ⟦drv.retry⟧
  take_lock(driver->update);                                 ⟦drv.driver_lock⟧
  if (!hmm_range_valid(&range)) { unlock; goto again; }      ⟦drv.hmm_range_valid⟧
  program_device_page_table(range.pfns);                     ⟦drv.program⟧
  release_lock(driver->update);                              ⟦drv.give_up⟧
  up_read(&mm->mmap_sem);                                    ⟦drv.up_read⟧

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

/* in hmm_vma_walk_hole_(), after handle_mm_fault(): the fault dropped mmap_sem */
      if (r & VM_FAULT_RETRY) return -EAGAIN;  /* no up_read by the caller */  ⟦fault.retry⟧

/* handle_mm_fault() on a missing page of a userfaultfd (MISSING) vma */
vm_fault_t handle_userfault(vmf, VM_UFFD_MISSING)
  if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY)) return VM_FAULT_SIGBUS;
  queue the message;  up_read(&mm->mmap_sem);  /* waiting writers run */  ⟦drv.fault_dropped_lock⟧
  schedule();            /* until UFFDIO_COPY wakes it, or SIGKILL */  ⟦drv.userfault_sleeps⟧
  return VM_FAULT_RETRY | VM_FAULT_MAJOR;

/* the userfaultfd handler thread (the kernel selftest's) */
  ioctl(uffd, UFFDIO_COPY, &copy);   /* installs the page, wakes the faulter */  ⟦drv.uffdio_copy⟧
`;
