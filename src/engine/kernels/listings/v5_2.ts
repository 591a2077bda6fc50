/**
 * Pseudocode of Linux 5.2 (the 2019 API), written for this project: condensed from mm/hmm.c at
 * 0092908d16c6 (hmm-semantics.md S1), the compat wrapper of include/linux/hmm.h at 897e6365cda6
 * (S2, spec section 5) and the driver pattern of Documentation/vm/hmm.rst (S4), keeping the
 * kernel's names and structure so a reader with the source open can find each line.
 *
 * A line may end in a ⟦...⟧ marker naming the statements (src/engine/statements.ts) it belongs
 * to: a bare id makes it that statement's line (the one a trace event highlights), `+id` puts it
 * on the statement's path (the conditions and steps that lead there, lit with it), and `+pte.*`
 * puts it on the path of every statement whose id starts with `pte.`.
 */
export const LISTING_5_2 = String.raw`
/* the driver (Documentation/vm/hmm.rst): mmap_sem is held from the call through programming */
  hmm_range_register(&range, mm, start, end, PAGE_SHIFT);    ⟦+drv.hmm_range_register⟧
  hmm_range_wait_until_valid(&range, TIMEOUT);               ⟦+drv.hmm_range_register⟧
again:
  if (++attempts > 16) return -EBUSY;  /* the explorer's bound; hmm.rst loops */  ⟦drv.timeout⟧
  down_read(&mm->mmap_sem);                                  ⟦drv.hmm_range_register drv.down_read⟧
  ret = hmm_range_fault(&range, block);  /* or hmm_range_snapshot(&range) */  ⟦drv.call⟧
  if (ret < 0) {                      /* hmm.rst: if (ret) */  ⟦+drv.retry +drv.give_up⟧
    if (ret != -EAGAIN) up_read(&mm->mmap_sem);  /* -EAGAIN: HMM dropped it */  ⟦drv.up_read_err +drv.retry +drv.give_up⟧
    if (ret == -EAGAIN || ret == -EBUSY) {   /* the hmm.h example retries both */  ⟦+drv.retry +drv.give_up⟧
      hmm_range_wait_until_valid(&range, TIMEOUT);  goto again; }  ⟦drv.retry⟧
    hmm_range_unregister(&range);  return ret;               ⟦drv.give_up⟧
  }
  take_lock(driver->update);                                 ⟦drv.driver_lock⟧
  if (!hmm_range_valid(&range)) {                            ⟦drv.hmm_range_valid +drv.stale⟧
    release_lock(driver->update);  up_read(&mm->mmap_sem);  goto again; }  ⟦drv.stale⟧
  program_device_page_table(range.pfns);                     ⟦drv.program⟧
  hmm_range_unregister(&range);                              ⟦+drv.program⟧
  release_lock(driver->update);                              ⟦+drv.program⟧
  up_read(&mm->mmap_sem);         /* CPU writers may run now */  ⟦drv.up_read +drv.program⟧

/* the old API, kept in hmm.h (v5.2) for drivers not yet converted; mmap_sem held on entry */
static inline int hmm_vma_fault(struct hmm_range *range, bool block)  ⟦+wrapper⟧
  range->default_flags = 0;          /* the seed patch: only the */  ⟦+wrapper⟧
  range->pfn_flags_mask = -1UL;      /* driver's own pfns[i] count */  ⟦+wrapper⟧
  ret = hmm_range_register(range, range->vma->vm_mm, start, end, PAGE_SHIFT);  ⟦+wrapper⟧
  if (ret) return (int)ret;                                  ⟦wrapper.register_err⟧
  if (!hmm_range_wait_until_valid(range, HMM_RANGE_DEFAULT_TIMEOUT)) {  ⟦+wrapper⟧
    up_read(&range->vma->vm_mm->mmap_sem);  return -EAGAIN; }  ⟦wrapper.timeout⟧
  ret = hmm_range_fault(range, block);                       ⟦wrapper⟧
  if (ret <= 0) {                                            ⟦+wrapper.busy +wrapper.eagain +wrapper.err⟧
    if (ret == -EBUSY || !ret) {     /* the walk did not finish */  ⟦+wrapper.busy +wrapper.eagain +wrapper.err⟧
      up_read(&range->vma->vm_mm->mmap_sem);  ret = -EBUSY;  ⟦+wrapper.busy⟧
    } else if (ret == -EAGAIN)       /* mmap_sem already dropped */  ⟦+wrapper.eagain +wrapper.err⟧
      ret = -EBUSY;                                          ⟦+wrapper.eagain⟧
    hmm_range_unregister(range);  return ret;                ⟦wrapper.busy wrapper.eagain wrapper.err⟧
  }
  return 0;               /* hmm_vma_range_done() checks valid */  ⟦wrapper.return⟧

/* hmm_range_snapshot(range) is this loop with fault = false, no up_read, the walk's ret ignored */
long hmm_range_fault(struct hmm_range *range, bool block)    ⟦+walk⟧
  do {
    if (!range->valid) {                                     ⟦valid.false +walk +walk.next⟧
      up_read(&hmm->mm->mmap_sem);  return -EAGAIN; }        ⟦return.eagain⟧
    vma = find_vma(hmm->mm, start);                          ⟦+walk +walk.next +find_vma.efault +find_vma.eperm⟧
    if (vma == NULL || (vma->vm_flags & (VM_IO | VM_PFNMAP | VM_MIXEDMAP)))  ⟦find_vma.efault +walk +walk.next +find_vma.eperm⟧
      return -EFAULT;                                        ⟦return.efault⟧
    if (!(vma->vm_flags & VM_READ)) {                        ⟦find_vma.eperm +walk +walk.next⟧
      hmm_pfns_clear(range, range->pfns, range->start, range->end);  ⟦eperm⟧
      return -EPERM;                                         ⟦return.eperm⟧
    }
    hmm_vma_walk.last = start;  hmm_vma_walk.fault = true;   ⟦+walk +walk.next⟧
    end = min(range->end, vma->vm_end);                      ⟦+walk +walk.next⟧
    do {
      ret = walk_page_range(start, end, &mm_walk);           ⟦walk walk.next +restart⟧
      start = hmm_vma_walk.last;   /* restart where it faulted */  ⟦+restart⟧
    } while (ret == -EBUSY && range->valid);                 ⟦restart +clear⟧
    if (ret) {                                               ⟦+clear +walk.next +return⟧
      hmm_pfns_clear(range, &range->pfns[i], hmm_vma_walk.last, range->end);  ⟦clear⟧
      return ret;                                            ⟦return.err⟧
    }
    start = end;                                             ⟦+walk.next +return⟧
  } while (start < range->end);                              ⟦+walk.next +return⟧
  return (hmm_vma_walk.last - range->start) >> PAGE_SHIFT;   ⟦return⟧

static int hmm_vma_walk_pmd(pmd_t *pmdp, start, end, walk)  ⟦+pte.* +hole.pmd +handle_pmd +handle_pmd.hole_⟧
  pmd = READ_ONCE(*pmdp);                                    ⟦+pte.* +hole.pmd +handle_pmd +handle_pmd.hole_ +pmd.*⟧
  if (pmd_none(pmd))                                         ⟦+pte.* +hole.pmd +handle_pmd +handle_pmd.hole_ +pmd.*⟧
    return hmm_vma_walk_hole(start, end, walk);              ⟦+hole.pmd⟧
  if (is_pmd_migration_entry(pmd)) {                         ⟦+pte.* +handle_pmd +handle_pmd.hole_ +pmd.*⟧
    hmm_range_need_fault(hmm_vma_walk, pfns, npages, 0, &fault, &write_fault);  ⟦+pmd.migration +pmd.migration_wait⟧
    if (fault || write_fault) {                              ⟦+pmd.migration +pmd.migration_wait⟧
      hmm_vma_walk->last = addr;  pmd_migration_entry_wait(mm, pmdp);  ⟦+pmd.migration_wait⟧
      return -EBUSY; }                                       ⟦pmd.migration_wait⟧
    return 0;                        /* pfns keep their input */  ⟦pmd.migration⟧
  } else if (!pmd_present(pmd))                              ⟦+pte.* +handle_pmd +handle_pmd.hole_⟧
    return hmm_pfns_bad(start, end, walk);   /* values[ERROR] */  ⟦pmd.bad⟧
  if (pmd_devmap(pmd) || pmd_trans_huge(pmd)) {              ⟦+pte.* +handle_pmd +handle_pmd.hole_⟧
    pmd = pmd_read_atomic(pmdp);                             ⟦+handle_pmd +handle_pmd.hole_⟧
    return hmm_vma_handle_pmd(walk, addr, end, &pfns[i], pmd);  ⟦+handle_pmd +handle_pmd.hole_⟧
  }
  for (; addr < end; addr += PAGE_SIZE, ptep++, i++) {       ⟦+pte.*⟧
    r = hmm_vma_handle_pte(walk, addr, end, pmdp, ptep, &pfns[i]);  ⟦+pte.*⟧
    if (r) { hmm_vma_walk->last = addr;  return r; }         ⟦+pte.error +pte.special⟧
  }
  hmm_vma_walk->last = addr;                                 ⟦pmd.done⟧
  return 0;                                                  ⟦+pmd.done⟧

static int hmm_vma_handle_pmd(walk, addr, end, pfns, pmd)   ⟦+handle_pmd +handle_pmd.hole_⟧
  cpu_flags = pmd_to_hmm_pfn_flags(range, pmd);   /* 0 if protnone */  ⟦+handle_pmd +handle_pmd.hole_⟧
  hmm_range_need_fault(hmm_vma_walk, pfns, npages, cpu_flags, &fault, &write_fault);  ⟦handle_pmd +handle_pmd.hole_⟧
  if (pmd_protnone(pmd) || fault || write_fault)             ⟦+handle_pmd +handle_pmd.hole_⟧
    return hmm_vma_walk_hole_(addr, end, fault, write_fault, walk);  ⟦handle_pmd.hole_⟧
  for (i = 0; addr < end; addr += PAGE_SIZE, i++, pfn++)     ⟦+handle_pmd.fill⟧
    pfns[i] = hmm_device_entry_from_pfn(range, pfn) | cpu_flags;  ⟦handle_pmd.fill⟧
  hmm_vma_walk->last = end;                                  ⟦+handle_pmd.fill⟧
  return 0;                                                  ⟦+handle_pmd.fill⟧

static int hmm_vma_handle_pte(walk, addr, end, pmdp, ptep, *pfn)  ⟦+pte.*⟧
  uint64_t orig_pfn = *pfn;                                  ⟦+pte.*⟧
  *pfn = range->values[HMM_PFN_NONE];        /* input erased now */  ⟦+pte.*⟧
  fault = write_fault = false;                               ⟦+pte.*⟧
  if (pte_none(pte)) {                                       ⟦+pte.*⟧
    hmm_pte_need_fault(hmm_vma_walk, orig_pfn, 0, &fault, &write_fault);  ⟦+pte.none +pte.none.fault⟧
    if (fault || write_fault) goto fault;                    ⟦+pte.none +pte.none.fault⟧
    return 0;                                                ⟦pte.none⟧
  }
  if (!pte_present(pte)) {                                   ⟦+pte.swap +pte.migration +pte.devpriv +pte.devpriv.fault +pte.error +pte.present.fault +pte.special +pte.out⟧
    if (!non_swap_entry(entry)) {    /* a swap entry */      ⟦+pte.swap +pte.migration +pte.devpriv +pte.devpriv.fault +pte.error⟧
      if (fault || write_fault) goto fault;  /* never true: not computed */  ⟦+pte.swap⟧
      return 0;                                              ⟦pte.swap⟧
    }
    if (is_device_private_entry(entry)) {                    ⟦+pte.migration +pte.devpriv +pte.devpriv.fault +pte.error⟧
      cpu_flags = VALID | DEVICE_PRIVATE | (writable ? WRITE : 0);  ⟦+pte.devpriv +pte.devpriv.fault⟧
      hmm_pte_need_fault(hmm_vma_walk, orig_pfn, cpu_flags, &fault, &write_fault);  ⟦+pte.devpriv +pte.devpriv.fault⟧
      if (fault || write_fault) goto fault;                  ⟦+pte.devpriv +pte.devpriv.fault⟧
      *pfn = hmm_device_entry_from_pfn(range, swp_offset(entry)) | cpu_flags;  return 0;  ⟦pte.devpriv⟧
    }
    if (is_migration_entry(entry)) {                         ⟦+pte.migration +pte.error⟧
      if (fault || write_fault) ...   /* never true: not computed */  ⟦+pte.migration⟧
      return 0;                                              ⟦pte.migration⟧
    }
    *pfn = range->values[HMM_PFN_ERROR];  return -EFAULT;    ⟦pte.error⟧
  }
  cpu_flags = pte_to_hmm_pfn_flags(range, pte);  /* VALID (| WRITE) */  ⟦+pte.present.fault +pte.special +pte.out⟧
  hmm_pte_need_fault(hmm_vma_walk, orig_pfn, cpu_flags, &fault, &write_fault);  ⟦+pte.present.fault +pte.special +pte.out⟧
  if (fault || write_fault) goto fault;                      ⟦+pte.present.fault +pte.special +pte.out⟧
  if (pte_special(pte)) {            /* the zero page too */  ⟦+pte.special +pte.out⟧
    *pfn = range->values[HMM_PFN_SPECIAL];  return -EFAULT;  ⟦pte.special⟧
  }
  *pfn = hmm_device_entry_from_pfn(range, pte_pfn(pte)) | cpu_flags;  ⟦+pte.out⟧
  return 0;                                                  ⟦pte.out⟧
fault:
  /* this page and the rest of the pmd, with this page's fault type */
  return hmm_vma_walk_hole_(addr, end, fault, write_fault, walk);  ⟦pte.none.fault pte.devpriv.fault pte.present.fault⟧

static void hmm_pte_need_fault(walk, pfns, cpu_flags, *fault, *write_fault)  ⟦+need.*⟧
  if (!hmm_vma_walk->fault) return;               /* snapshot */  ⟦need.snapshot +need.*⟧
  pfns = (pfns & range->pfn_flags_mask) | range->default_flags;  ⟦+need.none +need.devpriv +need.fault +need.write⟧
  if (!(pfns & range->flags[HMM_PFN_VALID])) return;         ⟦need.none +need.devpriv +need.fault +need.write⟧
  if (cpu_flags & range->flags[HMM_PFN_DEVICE_PRIVATE]) {    /* device memory */  ⟦+need.devpriv +need.fault +need.write⟧
    if (pfns & range->flags[HMM_PFN_DEVICE_PRIVATE]) {       /* only if asked */  ⟦+need.devpriv⟧
      *write_fault = pfns & range->flags[HMM_PFN_WRITE];  *fault = true; }  ⟦+need.devpriv⟧
    return;                                                  ⟦need.devpriv⟧
  }
  *fault = !(cpu_flags & range->flags[HMM_PFN_VALID]);       ⟦need.fault +need.write⟧
  if ((pfns & range->flags[HMM_PFN_WRITE]) &&                ⟦+need.fault +need.write⟧
      !(cpu_flags & range->flags[HMM_PFN_WRITE])) {
    *write_fault = true;  *fault = true;                     ⟦need.write⟧
  }

static int hmm_vma_walk_hole(addr, end, walk)                ⟦+hole +hole.pmd⟧
  hmm_range_need_fault(walk, pfns, npages, 0, &fault, &write_fault);  ⟦hole hole.pmd⟧
  return hmm_vma_walk_hole_(addr, end, fault, write_fault, walk);  ⟦+hole +hole.pmd⟧

static int hmm_vma_walk_hole_(addr, end, fault, write_fault, walk)  ⟦+hole_.*⟧
  hmm_vma_walk->last = addr;                                 ⟦+hole_.*⟧
  for (; addr < end; addr += PAGE_SIZE, i++) {               ⟦+hole_.*⟧
    pfns[i] = range->values[HMM_PFN_NONE];    /* requests lost */  ⟦hole_.none +hole_.busy +hole_.err⟧
    if (fault || write_fault) {                              ⟦+hole_.*⟧
      ret = hmm_vma_do_fault(walk, addr, write_fault, &pfns[i]);  ⟦+hole_.busy +hole_.err⟧
      if (ret != -EBUSY) return ret;                         ⟦hole_.err +hole_.busy⟧
    }
  }
  return (fault || write_fault) ? -EBUSY : 0;   /* -EBUSY: walk again */  ⟦hole_.busy +hole_.none⟧

static int hmm_vma_do_fault(walk, addr, write_fault, *pfn)  ⟦+fault +fault.retry +fault.err⟧
  flags = FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_REMOTE;   /* block changes nothing */  ⟦+fault +fault.retry +fault.err⟧
  if (write_fault) flags |= FAULT_FLAG_WRITE;                ⟦+fault +fault.retry +fault.err⟧
  ret = handle_mm_fault(vma, addr, flags);                   ⟦fault +fault.retry +fault.err⟧
  if (ret & VM_FAULT_RETRY) return -EAGAIN;   /* mmap_sem was dropped */  ⟦fault.retry +fault +fault.err⟧
  if (ret & VM_FAULT_ERROR) {                                ⟦+fault +fault.err⟧
    *pfn = range->values[HMM_PFN_ERROR];  return -EFAULT; }  ⟦fault.err⟧
  return -EBUSY;                                   /* faulted: walk again */  ⟦+fault⟧

static int hmm_vma_walk_hugetlb_entry(pte, hmask, start, end, walk)  ⟦+hugetlb +hugetlb.fault⟧
  orig_pfn = range->pfns[i];  range->pfns[i] = range->values[HMM_PFN_NONE];  ⟦+hugetlb +hugetlb.fault⟧
  hmm_pte_need_fault(hmm_vma_walk, orig_pfn, cpu_flags, &fault, &write_fault);  /* first page only */  ⟦hugetlb +hugetlb.fault⟧
  if (fault || write_fault) { spin_unlock(ptl);  return hmm_vma_walk_hole_(...); }  ⟦hugetlb.fault +hugetlb⟧
  for (; addr < end; addr += size, i++, pfn += pfn_inc)      ⟦+hugetlb.fill⟧
    range->pfns[i] = hmm_device_entry_from_pfn(range, pfn) | cpu_flags;  ⟦hugetlb.fill⟧
  hmm_vma_walk->last = end;                                  ⟦+hugetlb.fill⟧

/* the mmu notifier: the CPU page table is about to change, then has changed */
static int hmm_invalidate_range_start(mn, nrange)           ⟦+inval⟧
  hmm->notifiers++;                                          ⟦+inval⟧
  range->valid = false;              /* every overlapping range */  ⟦+inval⟧
  mirror->ops->sync_cpu_device_pagetables(mirror, &update);  /* device entries erased */  ⟦inval⟧
static void hmm_invalidate_range_end(mn, nrange)             ⟦+inval⟧
  if (!--hmm->notifiers) range->valid = true;   /* every range */  ⟦+inval⟧

/* meanwhile, on another CPU: munmap, mprotect and fork wait for mmap_sem; reclaim does not */
munmap() / mprotect() / fork() / swap-out / migrate ...      ⟦concurrent⟧

/* handle_mm_fault() on a missing page of a userfaultfd (MISSING) vma */
vm_fault_t handle_userfault(vmf, VM_UFFD_MISSING)           ⟦+drv.fault_dropped_lock⟧
  if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY)) return VM_FAULT_SIGBUS;  ⟦+drv.fault_dropped_lock⟧
  queue the message;  up_read(&mm->mmap_sem);  /* waiting writers run */  ⟦drv.fault_dropped_lock⟧
  schedule();            /* until UFFDIO_COPY wakes it, or SIGKILL */  ⟦drv.userfault_sleeps⟧
  return VM_FAULT_RETRY | VM_FAULT_MAJOR;  ⟦+drv.uffdio_copy⟧

/* the userfaultfd handler thread (the kernel selftest's) */
  ioctl(uffd, UFFDIO_COPY, &copy);   /* installs the page, wakes the faulter */  ⟦drv.uffdio_copy⟧
`;
