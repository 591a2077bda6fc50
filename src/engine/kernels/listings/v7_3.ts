/**
 * Pseudocode of Linux 7.3's locked hmm_range_fault(), written for this project: condensed from
 * mm/hmm.c at 121170831228 (hmm-semantics.md 10.2) and the driver example of
 * Documentation/mm/hmm.rst, keeping the kernel's names and structure. The callbacks record what
 * needs a fault (hmm_record_fault) and the walk unwinds before hmm_do_fault() faults.
 *
 * Markers: see listings/v5_2.ts (a bare id is the statement's line, `+id` is on its path).
 */
export const LISTING_7_3 = String.raw`
/* the driver (Documentation/mm/hmm.rst; lib/test_hmm.c) */
again:
  if (time_after(jiffies, timeout)) return -EBUSY;  /* here: 16 attempts */  ⟦drv.timeout +drv.mmu_interval_read_begin⟧
  range.notifier_seq = mmu_interval_read_begin(&interval_sub);  ⟦drv.mmu_interval_read_begin⟧
  mmap_read_lock(mm);        /* held across the call only */   ⟦drv.mmap_read_lock +drv.call⟧
  ret = hmm_range_fault(&range);                             ⟦drv.call⟧
  mmap_read_unlock(mm);      /* CPU writers may run now */    ⟦drv.mmap_read_unlock +drv.retry +drv.give_up +drv.driver_lock⟧
  if (ret) {                                                 ⟦+drv.retry +drv.give_up +drv.driver_lock⟧
    if (ret == -EBUSY) goto again;                           ⟦drv.retry +drv.give_up⟧
    return ret;                                              ⟦drv.give_up⟧
  }
  take_lock(driver->update);                                 ⟦drv.driver_lock⟧
  if (mmu_interval_read_retry(&interval_sub, range.notifier_seq)) {  ⟦drv.mmu_interval_read_retry +drv.stale⟧
    release_lock(driver->update);  goto again;               ⟦drv.stale⟧
  }
  /* use range.hmm_pfns to program the device page table */  ⟦drv.program⟧
  release_lock(driver->update);                              ⟦+drv.program⟧

int hmm_range_fault(struct hmm_range *range)                 ⟦+walk⟧
  return hmm_range_fault_locked(range, NULL);   /* mmap_lock held throughout */  ⟦+walk⟧

static int hmm_range_fault_locked(range, bool *locked)      ⟦+walk⟧
  hmm_vma_walk.last = range->start;                          ⟦+walk +check_retry⟧
  do {
    if (mmu_interval_check_retry(range->notifier, range->notifier_seq))  ⟦check_retry +walk +restart⟧
      return -EBUSY;                 /* lockless: an invalidation ran */  ⟦return.busy⟧
    ret = walk_page_range(mm, hmm_vma_walk.last, range->end,  ⟦walk +restart⟧
                          &hmm_walk_ops, &hmm_vma_walk);
    if (ret == HMM_FAULT_PENDING)     /* the walk has unwound */  ⟦unwind⟧
      ret = hmm_do_fault(mm, &hmm_vma_walk);                 ⟦do_fault⟧
  } while (ret == -EBUSY);      /* faulted: walk again from last */  ⟦restart +return +check_retry⟧
  return ret;                                                ⟦return⟧

static int hmm_vma_walk_test(start, end, walk)               ⟦+test +test.efault +test.ok⟧
  if (!(vma->vm_flags & (VM_IO | VM_PFNMAP)) && (vma->vm_flags & VM_READ))  ⟦+test +test.efault +test.ok⟧
    return 0;                                /* walk this vma */  ⟦test.ok⟧
  if (hmm_range_need_fault(hmm_vma_walk, pfns, npages, 0))   ⟦test +test.efault⟧
    return -EFAULT;                                          ⟦test.efault⟧
  hmm_pfns_fill(start, end, range, HMM_PFN_ERROR);  /* keeps INOUT bits */  ⟦test.fill⟧
  return 1;                                  /* skip this vma */  ⟦+test.fill⟧

static int hmm_vma_walk_hole(addr, end, depth, walk)         ⟦+hole.*⟧
  required_fault = hmm_range_need_fault(hmm_vma_walk, pfns, npages, 0);  ⟦hole hole.pmd hole.novma +hole.*⟧
  if (!vma) {                            /* no vma here at all */  ⟦+hole.*⟧
    if (required_fault) return -EFAULT;                      ⟦hole.novma.efault +hole.novma⟧
    return hmm_pfns_fill(addr, end, range, HMM_PFN_ERROR);   ⟦hole.novma.fill⟧
  }
  if (required_fault)                                        ⟦+hole +hole.pmd +hole.fault +hole.pmd.fault +hole.fill⟧
    return hmm_record_fault(addr, end, required_fault, walk);  ⟦hole.fault hole.pmd.fault⟧
  return hmm_pfns_fill(addr, end, range, 0);                 ⟦hole.fill⟧

static int hmm_record_fault(addr, end, required_fault, walk) ⟦+record⟧
  hmm_vma_walk->last = addr;                                 ⟦+record⟧
  hmm_vma_walk->end = end;                                   ⟦+record⟧
  hmm_vma_walk->required_fault = required_fault;             ⟦+record⟧
  return HMM_FAULT_PENDING;         /* unwind the walk, then fault */  ⟦record⟧

static int hmm_do_fault(mm, hmm_vma_walk)                    ⟦+do_fault +vfault.eperm⟧
  unsigned int fault_flags = FAULT_FLAG_REMOTE;              ⟦+do_fault +vfault.eperm⟧
  vma = vma_lookup(mm, hmm_vma_walk->last);                  ⟦+do_fault +vfault.eperm⟧
  if (hmm_vma_walk->required_fault & HMM_NEED_WRITE_FAULT) {  ⟦+do_fault +vfault.eperm⟧
    if (!(vma->vm_flags & VM_WRITE)) return -EPERM;          ⟦vfault.eperm⟧
    fault_flags |= FAULT_FLAG_WRITE;                         ⟦+do_fault⟧
  }
  for (addr = last; addr < hmm_vma_walk->end; addr += PAGE_SIZE) {  ⟦+fault +fault.err⟧
    ret = handle_mm_fault(vma, addr, fault_flags, NULL);     ⟦fault +fault.err⟧
    if (ret & VM_FAULT_ERROR)                                ⟦+fault +fault.err⟧
      return vm_fault_to_errno(ret, 0) ?: -EINVAL;  /* OOM: -ENOMEM */  ⟦fault.err⟧
  }
  return -EBUSY;                   /* the walk restarts at last */  ⟦+fault⟧

static int hmm_vma_walk_pmd(pmd_t *pmdp, start, end, walk)  ⟦+pte.* +hole.pmd +hole.pmd.fault +handle_pmd +handle_pmd.fault +pmd.* +absent.*⟧
again:
  pmd = pmdp_get_lockless(pmdp);                             ⟦+pte.* +hole.pmd +hole.pmd.fault +handle_pmd +handle_pmd.fault +pmd.* +absent.*⟧
  if (pmd_none(pmd))                                         ⟦+pte.* +hole.pmd +hole.pmd.fault +handle_pmd +handle_pmd.fault +pmd.* +absent.*⟧
    return hmm_vma_walk_hole(start, end, -1, walk);          ⟦+hole.pmd +hole.pmd.fault⟧
  if (thp_migration_supported() && pmd_is_migration_entry(pmd)) {  ⟦+pte.* +handle_pmd +handle_pmd.fault +pmd.* +absent.*⟧
    if (hmm_range_need_fault(hmm_vma_walk, hmm_pfns, npages, 0)) {  ⟦+pmd.migration +pmd.migration_wait⟧
      hmm_vma_walk->last = addr;  pmd_migration_entry_wait(walk->mm, pmdp);  ⟦+pmd.migration_wait⟧
      return -EBUSY; }                                       ⟦pmd.migration_wait⟧
    return hmm_pfns_fill(start, end, range, 0);              ⟦pmd.migration⟧
  }
  if (!pmd_present(pmd))          /* a device-private THP, ... */  ⟦+pte.* +handle_pmd +handle_pmd.fault +absent.*⟧
    return hmm_vma_handle_absent_pmd(walk, start, end, hmm_pfns, pmd);  ⟦+absent.*⟧
  if (pmd_trans_huge(pmd))                                   ⟦+pte.* +handle_pmd +handle_pmd.fault⟧
    return hmm_vma_handle_pmd(walk, addr, end, hmm_pfns, pmd);  ⟦+handle_pmd +handle_pmd.fault⟧
  ptep = pte_offset_map(pmdp, addr);  if (!ptep) goto again;  ⟦+pte.*⟧
  for (; addr < end; addr += PAGE_SIZE, ptep++, hmm_pfns++) {  ⟦+pte.*⟧
    r = hmm_vma_handle_pte(walk, addr, end, pmdp, ptep, hmm_pfns);  ⟦+pte.*⟧
    if (r) { pte_unmap(ptep);  return r; }  /* unwind */     ⟦+pte.error +pte.special.efault +pte.migration +pte.marker +pte.none.fault +pte.swap.fault +pte.present.fault⟧
  }
  pte_unmap(ptep - 1);  return 0;                            ⟦pmd.done⟧

static int hmm_vma_handle_absent_pmd(walk, start, end, hmm_pfns, pmd)  ⟦+absent.*⟧
  if (softleaf_is_device_private(entry) && owner == range->dev_private_owner) {  ⟦+absent.*⟧
    for (i = 0; addr < end; addr += PAGE_SIZE, i++, pfn++)  /* never faulted */  ⟦+absent.own⟧
      hmm_pfns[i] = (hmm_pfns[i] & HMM_PFN_INOUT_FLAGS) | pfn | VALID | write | order(9);  ⟦absent.own⟧
    return 0;                                                ⟦+absent.own⟧
  }
  required_fault = hmm_range_need_fault(hmm_vma_walk, hmm_pfns, npages, 0);  ⟦+absent.fault +absent.error⟧
  if (required_fault) {                                      ⟦+absent.fault +absent.error⟧
    if (softleaf_is_device_private(entry))   /* migrate the block back to RAM */  ⟦+absent.fault⟧
      return hmm_record_fault(addr, end, required_fault, walk);  ⟦absent.fault⟧
    return -EFAULT;                                          ⟦absent.efault⟧
  }
  return hmm_pfns_fill(start, end, range, HMM_PFN_ERROR);   ⟦absent.error⟧

static int hmm_vma_handle_pmd(walk, addr, end, hmm_pfns, pmd)  ⟦+handle_pmd +handle_pmd.fault⟧
  cpu_flags = pmd_to_hmm_pfn_flags(range, pmd);  /* 0 if protnone; order 9 */  ⟦+handle_pmd +handle_pmd.fault⟧
  required_fault = hmm_range_need_fault(hmm_vma_walk, hmm_pfns, npages, cpu_flags);  ⟦handle_pmd +handle_pmd.fault⟧
  if (required_fault)                                        ⟦+handle_pmd +handle_pmd.fault⟧
    return hmm_record_fault(addr, end, required_fault, walk);  ⟦handle_pmd.fault⟧
  for (i = 0; addr < end; addr += PAGE_SIZE, i++, pfn++)     ⟦+handle_pmd.fill⟧
    hmm_pfns[i] = (hmm_pfns[i] & HMM_PFN_INOUT_FLAGS) | pfn | cpu_flags;  ⟦handle_pmd.fill⟧
  return 0;                                                  ⟦+handle_pmd.fill⟧

static int hmm_vma_handle_pte(walk, addr, end, pmdp, ptep, *hmm_pfn)  ⟦+pte.*⟧
  pte_t pte = ptep_get(ptep);                                ⟦+pte.*⟧
  uint64_t pfn_req_flags = *hmm_pfn;     /* input kept until done */  ⟦+pte.*⟧
  if (pte_none(pte) || pte_marker_uffd_wp(pte)) {            ⟦+pte.*⟧
    required_fault = hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, 0);  ⟦+pte.none +pte.none.fault⟧
    if (required_fault) goto fault;                          ⟦+pte.none +pte.none.fault⟧
    new_pfn_flags = 0;  goto out;                            ⟦pte.none⟧
  }
  if (!pte_present(pte)) {                                   ⟦+pte.swap +pte.swap.fault +pte.devpriv +pte.marker +pte.migration +pte.error +pte.present.fault +pte.special +pte.special.efault +pte.out⟧
    if (is_device_private_entry(entry) && owner == range->dev_private_owner) {  ⟦+pte.swap +pte.swap.fault +pte.devpriv +pte.marker +pte.migration +pte.error⟧
      new_pfn_flags = swp_offset(entry) | HMM_PFN_VALID | write;  ⟦pte.devpriv⟧
      goto out;                                              ⟦+pte.devpriv⟧
    }
    required_fault = hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, 0);  ⟦+pte.swap +pte.swap.fault +pte.marker +pte.migration +pte.error⟧
    if (!required_fault) { new_pfn_flags = 0;  goto out; }   ⟦pte.swap +pte.swap.fault +pte.marker +pte.migration +pte.error⟧
    if (is_pte_marker(pte))   /* a guard or poison marker */  ⟦+pte.marker +pte.swap.fault +pte.migration +pte.error⟧
      return -EFAULT;                                        ⟦pte.marker⟧
    if (is_migration_entry(entry)) {                         ⟦+pte.swap.fault +pte.migration +pte.error⟧
      pte_unmap(ptep);  hmm_vma_walk->last = addr;           ⟦+pte.migration⟧
      migration_entry_wait(mm, pmdp, addr);                  ⟦+pte.migration⟧
      return -EBUSY;                 /* the walk restarts here */  ⟦pte.migration⟧
    }
    if (!non_swap_entry(entry) || is_device_private_entry(entry))  ⟦+pte.swap.fault +pte.error⟧
      goto fault;                    /* swap in, migrate back to RAM */  ⟦+pte.swap.fault⟧
    return -EFAULT;                  /* hwpoison, ... */     ⟦pte.error⟧
  }
  cpu_flags = pte_to_hmm_pfn_flags(range, pte);  /* 0 if protnone */  ⟦+pte.present.fault +pte.special +pte.special.efault +pte.out⟧
  required_fault = hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, cpu_flags);  ⟦+pte.present.fault +pte.special +pte.special.efault +pte.out⟧
  if (required_fault) goto fault;                            ⟦+pte.present.fault +pte.special +pte.special.efault +pte.out⟧
  if (!vm_normal_page(walk->vma, addr, pte) && !is_zero_pfn(pte_pfn(pte))) {  ⟦+pte.special +pte.special.efault +pte.out⟧
    if (hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, 0)) return -EFAULT;  ⟦pte.special.efault +pte.special⟧
    new_pfn_flags = HMM_PFN_ERROR;  goto out;                ⟦pte.special⟧
  }
  new_pfn_flags = pte_pfn(pte) | cpu_flags;                  ⟦pte.out⟧
out:
  /* the sticky DMA bits of the input survive every output */
  *hmm_pfn = (*hmm_pfn & HMM_PFN_INOUT_FLAGS) | new_pfn_flags;  ⟦+pte.none +pte.swap +pte.devpriv +pte.special +pte.out⟧
  return 0;                                                  ⟦+pte.none +pte.swap +pte.devpriv +pte.special +pte.out⟧
fault:
  /* this page to the end of the pmd, with this page's fault type */
  return hmm_record_fault(addr, end, required_fault, walk);  ⟦pte.none.fault pte.swap.fault pte.present.fault⟧

static unsigned int hmm_pte_need_fault(walk, pfn_req_flags, cpu_flags)  ⟦+need.*⟧
  pfn_req_flags &= range->pfn_flags_mask;                    ⟦+need.*⟧
  pfn_req_flags |= range->default_flags;                     ⟦+need.*⟧
  if (!(pfn_req_flags & HMM_PFN_REQ_FAULT)) return 0;        ⟦need.none +need.*⟧
  if ((pfn_req_flags & HMM_PFN_REQ_WRITE) && !(cpu_flags & HMM_PFN_WRITE))  ⟦+need.write +need.fault +need.ok⟧
    return HMM_NEED_FAULT | HMM_NEED_WRITE_FAULT;            ⟦need.write⟧
  if (!(cpu_flags & HMM_PFN_VALID)) return HMM_NEED_FAULT;   ⟦need.fault +need.ok⟧
  return 0;                                                  ⟦need.ok⟧

static int hmm_vma_walk_hugetlb_entry(pte, hmask, start, end, walk)  ⟦+hugetlb +hugetlb.fault +hugetlb.fill⟧
  entry = huge_ptep_get(pte);  cpu_flags = pte_to_hmm_pfn_flags(range, entry) | order;  ⟦+hugetlb +hugetlb.fault +hugetlb.fill⟧
  required_fault = hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, cpu_flags);  /* first page only */  ⟦hugetlb +hugetlb.fault +hugetlb.fill⟧
  if (required_fault)                                        ⟦+hugetlb +hugetlb.fault +hugetlb.fill⟧
    return hmm_record_fault(addr, end, required_fault, walk);  ⟦hugetlb.fault⟧
  for (; addr < end; addr += PAGE_SIZE, i++, pfn++)          ⟦+hugetlb.fill⟧
    range->hmm_pfns[i] = (range->hmm_pfns[i] & HMM_PFN_INOUT_FLAGS) | pfn | cpu_flags;  ⟦hugetlb.fill⟧

/* the driver's interval notifier: the CPU page table is about to change */
static bool driver_invalidate(mni, range, cur_seq)          ⟦+inval⟧
  take_lock(driver->update);                                 ⟦+inval⟧
  mmu_interval_set_seq(mni, cur_seq);   /* read_retry compares it */  ⟦+inval⟧
  /* erase device entries in [range->start, range->end) */  ⟦inval⟧
  release_lock(driver->update);                              ⟦+inval⟧

/* meanwhile, on another CPU: munmap, mprotect and fork wait for the mmap lock; reclaim does not */
munmap() / mprotect() / fork() / swap-out / migrate ...      ⟦concurrent⟧

/* the driver of the unlocked call (lib/test_hmm.c dmirror_range_fault_unlocked) */
again:
  ret = hmm_range_fault_unlocked_timeout(&range, timeout);   ⟦u.drv.call⟧
  if (ret) return ret;           /* -EBUSY is final: no retry */  ⟦u.drv.give_up⟧
  take_lock(driver->update);                                 ⟦u.drv.driver_lock⟧
  if (mmu_interval_read_retry(&interval_sub, range.notifier_seq)) {  ⟦u.drv.mmu_interval_read_retry⟧
    release_lock(driver->update);  goto again; }  ⟦+u.drv.mmu_interval_read_retry⟧
  /* use range.hmm_pfns to program the device page table */  ⟦u.drv.program⟧
  release_lock(driver->update);                              ⟦+u.drv.program⟧

int hmm_range_fault_unlocked_timeout(range, timeout)   /* mmap_lock not held */
  deadline = 0;  locked = false;                             ⟦+u.drv.mmu_interval_read_begin⟧
  do {
    if (timeout && !locked) deadline = jiffies + timeout;  /* first pass, after a lock drop */  ⟦+u.drv.mmu_interval_read_begin⟧
    range->notifier_seq = mmu_interval_read_begin(range->notifier);  ⟦u.drv.mmu_interval_read_begin⟧
    ret = mmap_read_lock_killable(mm);  if (ret) return ret;  ⟦u.drv.mmap_read_lock_killable⟧
    if (timeout && time_after(jiffies, deadline)) {          ⟦u.drv.retry_budget⟧
      mmap_read_unlock(mm);  return -EBUSY; }                ⟦+u.drv.retry_budget⟧
    locked = true;                                           ⟦+u.drv.mmap_read_unlock⟧
    ret = hmm_range_fault_locked(range, &locked);   /* walks from range->start */  ⟦+u.drv.mmap_read_unlock⟧
    if (locked) mmap_read_unlock(mm);                        ⟦u.drv.mmap_read_unlock⟧
  } while (ret == -EBUSY);                                   ⟦+u.drv.mmap_read_unlock⟧
  return ret;                                                ⟦u.return⟧

/* in hmm_range_fault_locked(), after hmm_do_fault() */
    if (ret == HMM_FAULT_UNLOCKED)  /* the lock is gone */    ⟦u.drv.fault_unlocked⟧
      return fatal_signal_pending(current) ? -EINTR : -EBUSY;  ⟦+u.drv.fault_unlocked⟧

/* in hmm_do_fault(): only the unlocked call lets a fault drop mmap_lock */
  if (hmm_vma_walk->locked) fault_flags |= FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE;  ⟦+fault.retry⟧
    if (ret & (VM_FAULT_COMPLETED | VM_FAULT_RETRY)) {       ⟦fault.retry⟧
      *hmm_vma_walk->locked = false;  return HMM_FAULT_UNLOCKED; }  ⟦+fault.retry⟧

/* handle_mm_fault() on a missing page of a userfaultfd (MISSING) vma */
vm_fault_t handle_userfault(vmf, VM_UFFD_MISSING)           ⟦+drv.fault_dropped_lock⟧
  if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY)) return VM_FAULT_SIGBUS;  ⟦+drv.fault_dropped_lock⟧
  queue the message;  release_fault_lock(vmf);  /* waiting writers run */  ⟦drv.fault_dropped_lock⟧
  schedule();            /* until UFFDIO_COPY wakes it, or SIGKILL */  ⟦drv.userfault_sleeps⟧
  return VM_FAULT_RETRY;  ⟦+drv.uffdio_copy⟧

/* the userfaultfd handler thread (the kernel selftest's) */
  ioctl(uffd, UFFDIO_COPY, &copy);   /* installs the page, wakes the faulter */  ⟦drv.uffdio_copy⟧
`;
