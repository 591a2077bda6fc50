/**
 * Pseudocode of Linux 7.3's locked hmm_range_fault(), written for this project: condensed from
 * mm/hmm.c at 121170831228 (hmm-semantics.md 10.2) and the driver example of
 * Documentation/mm/hmm.rst, keeping the kernel's names and structure. The callbacks record what
 * needs a fault (hmm_record_fault) and the walk unwinds before hmm_do_fault() faults. A line may
 * end in a ⟦id⟧ marker, the statement a trace event can point at.
 */
export const LISTING_7_3 = String.raw`
/* the driver (Documentation/mm/hmm.rst) */
again:
  range.notifier_seq = mmu_interval_read_begin(&interval_sub);  ⟦drv.mmu_interval_read_begin⟧
  mmap_read_lock(mm);                                        ⟦drv.mmap_read_lock⟧
  ret = hmm_range_fault(&range);                             ⟦drv.call⟧
  mmap_read_unlock(mm);                                      ⟦drv.mmap_read_unlock⟧
  if (ret) { if (ret == -EBUSY) goto again;  return ret; }   ⟦drv.retry⟧
  take_lock(driver->update);                                 ⟦drv.driver_lock⟧
  if (mmu_interval_read_retry(&interval_sub, range.notifier_seq)) {  ⟦drv.mmu_interval_read_retry⟧
    release_lock(driver->update);  goto again; }
  /* use range.hmm_pfns to program the device page table */  ⟦drv.program⟧
  release_lock(driver->update);                              ⟦drv.give_up⟧

int hmm_range_fault(struct hmm_range *range)                 ⟦call⟧
  return hmm_range_fault_locked(range, NULL);   /* mmap_lock held throughout */

static int hmm_range_fault_locked(range, bool *locked)      ⟦locked⟧
  hmm_vma_walk.last = range->start;
  do {
    if (mmu_interval_check_retry(range->notifier, range->notifier_seq))
      return -EBUSY;                                         ⟦return.busy⟧
    ret = walk_page_range(mm, hmm_vma_walk.last, range->end,
                          &hmm_walk_ops, &hmm_vma_walk);     ⟦walk⟧
    if (ret == HMM_FAULT_PENDING)     /* the walk has unwound */  ⟦unwind⟧
      ret = hmm_do_fault(mm, &hmm_vma_walk);                 ⟦do_fault⟧
  } while (ret == -EBUSY);      /* faulted: walk again from last */  ⟦restart⟧
  return ret;                                                ⟦return⟧

static int hmm_vma_walk_test(start, end, walk)               ⟦test⟧
  if (!(vma->vm_flags & (VM_IO | VM_PFNMAP)) && (vma->vm_flags & VM_READ))
    return 0;                                /* walk this vma */
  if (hmm_range_need_fault(hmm_vma_walk, pfns, npages, 0))
    return -EFAULT;
  hmm_pfns_fill(start, end, range, HMM_PFN_ERROR);  /* keeps INOUT bits */  ⟦test.fill⟧
  return 1;                                  /* skip this vma */

static int hmm_vma_walk_hole(addr, end, depth, walk)         ⟦hole⟧
  required_fault = hmm_range_need_fault(hmm_vma_walk, pfns, npages, 0);
  if (!vma) {
    if (required_fault) return -EFAULT;
    return hmm_pfns_fill(addr, end, range, HMM_PFN_ERROR);
  }
  if (required_fault)
    return hmm_record_fault(addr, end, required_fault, walk);
  return hmm_pfns_fill(addr, end, range, 0);                 ⟦hmm_pfns_fill⟧

static int hmm_record_fault(addr, end, required_fault, walk) ⟦record⟧
  hmm_vma_walk->last = addr;
  hmm_vma_walk->end = end;
  hmm_vma_walk->required_fault = required_fault;
  return HMM_FAULT_PENDING;         /* unwind the walk, then fault */

static int hmm_do_fault(mm, hmm_vma_walk)                    ⟦dofault⟧
  unsigned int fault_flags = FAULT_FLAG_REMOTE;
  vma = vma_lookup(mm, hmm_vma_walk->last);
  if (hmm_vma_walk->required_fault & HMM_NEED_WRITE_FAULT) {
    if (!(vma->vm_flags & VM_WRITE)) return -EPERM;          ⟦vfault.eperm⟧
    fault_flags |= FAULT_FLAG_WRITE;
  }
  for (addr = last; addr < hmm_vma_walk->end; addr += PAGE_SIZE) {
    ret = handle_mm_fault(vma, addr, fault_flags, NULL);     ⟦fault⟧
    if (ret & VM_FAULT_ERROR)
      return vm_fault_to_errno(ret, 0) ?: -EINVAL;  /* OOM: -ENOMEM */  ⟦fault.err⟧
  }
  return -EBUSY;                   /* the walk restarts at last */

static int hmm_vma_walk_pmd(pmd_t *pmdp, start, end, walk)  ⟦pmd⟧
  pmd = pmdp_get_lockless(pmdp);
  if (pmd_none(pmd))
    return hmm_vma_walk_hole(start, end, -1, walk);
  if (!pmd_present(pmd))       /* a device-private THP, a migration */
    return hmm_vma_handle_absent_pmd(walk, start, end, hmm_pfns, pmd);  ⟦absent_pmd⟧
  if (pmd_trans_huge(pmd))
    return hmm_vma_handle_pmd(walk, addr, end, hmm_pfns, pmd);  ⟦handle_pmd⟧
  ptep = pte_offset_map(pmdp, addr);
  for (; addr < end; addr += PAGE_SIZE, ptep++, hmm_pfns++) {
    r = hmm_vma_handle_pte(walk, addr, end, pmdp, ptep, hmm_pfns);
    if (r) { pte_unmap(ptep);  return r; }  /* unwind */
  }
  return 0;

static int hmm_vma_handle_absent_pmd(walk, start, end, hmm_pfns, pmd)  ⟦absent⟧
  if (is_device_private_entry(entry) && owner == range->dev_private_owner) {
    for (i = 0; addr < end; addr += PAGE_SIZE, i++)  /* never faulted */
      hmm_pfns[i] = (hmm_pfns[i] & HMM_PFN_INOUT_FLAGS) | (pfn + i) |
                    HMM_PFN_VALID | write | order(9);     ⟦absent.own⟧
    return 0;
  }
  required_fault = hmm_range_need_fault(hmm_vma_walk, hmm_pfns, npages, 0);
  if (required_fault)      /* migrate the block back to RAM */
    return hmm_record_fault(start, end, required_fault, walk);
  return hmm_pfns_fill(start, end, range, HMM_PFN_ERROR);   ⟦absent.error⟧

static int hmm_vma_handle_pte(walk, addr, end, pmdp, ptep, *hmm_pfn)  ⟦pte⟧
  uint64_t pfn_req_flags = *hmm_pfn;     /* input kept until done */
  if (pte_none(pte) || pte_marker_uffd_wp(pte)) {
    required_fault = hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, 0);  ⟦pte.none⟧
    if (required_fault) goto fault;
    new_pfn_flags = 0;  goto out;
  }
  if (!pte_present(pte)) {
    if (is_device_private_entry(entry) && owner == range->dev_private_owner) {
      new_pfn_flags = swp_offset(entry) | HMM_PFN_VALID | write;  ⟦pte.devpriv⟧
      goto out;
    }
    required_fault = hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, 0);
    if (!required_fault) { new_pfn_flags = 0;  goto out; }   ⟦pte.swap⟧
    if (is_pte_marker(pte))   /* a guard or poison marker */
      return -EFAULT;                                        ⟦pte.marker⟧
    if (is_migration_entry(entry)) {
      pte_unmap(ptep);  hmm_vma_walk->last = addr;
      migration_entry_wait(mm, pmdp, addr);
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
    new_pfn_flags = HMM_PFN_ERROR;  goto out;                ⟦pte.special⟧
  }
  new_pfn_flags = pte_pfn(pte) | cpu_flags;                  ⟦pte.out⟧
out:
  /* the sticky DMA bits of the input survive every output */
  *hmm_pfn = (*hmm_pfn & HMM_PFN_INOUT_FLAGS) | new_pfn_flags;  ⟦pte.store⟧
  return 0;
fault:
  /* this page to the end of the pmd, with this page's fault type */
  return hmm_record_fault(addr, end, required_fault, walk);  ⟦pte.fault⟧

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

/* the driver of the unlocked call (lib/test_hmm.c dmirror_range_fault_unlocked) */
again:
  ret = hmm_range_fault_unlocked_timeout(&range, timeout);   ⟦u.drv.call⟧
  if (ret) return ret;           /* -EBUSY is final: no retry */  ⟦u.drv.give_up⟧
  take_lock(driver->update);                                 ⟦u.drv.driver_lock⟧
  if (mmu_interval_read_retry(&interval_sub, range.notifier_seq)) {  ⟦u.drv.mmu_interval_read_retry⟧
    release_lock(driver->update);  goto again; }
  /* use range.hmm_pfns to program the device page table */  ⟦u.drv.program⟧
  release_lock(driver->update);

int hmm_range_fault_unlocked_timeout(range, timeout)   /* mmap_lock not held */
  deadline = 0;  locked = false;
  do {
    if (timeout && !locked) deadline = jiffies + timeout;  /* first pass, after a lock drop */
    range->notifier_seq = mmu_interval_read_begin(range->notifier);  ⟦u.drv.mmu_interval_read_begin⟧
    ret = mmap_read_lock_killable(mm);  if (ret) return ret;  ⟦u.drv.mmap_read_lock_killable⟧
    if (timeout && time_after(jiffies, deadline)) {          ⟦u.drv.retry_budget⟧
      mmap_read_unlock(mm);  return -EBUSY; }
    locked = true;
    ret = hmm_range_fault_locked(range, &locked);   /* walks from range->start */
    if (locked) mmap_read_unlock(mm);                        ⟦u.drv.mmap_read_unlock⟧
  } while (ret == -EBUSY);
  return ret;                                                ⟦u.return⟧

/* in hmm_range_fault_locked(), after hmm_do_fault() */
    if (ret == HMM_FAULT_UNLOCKED)  /* the lock is gone */    ⟦u.drv.fault_unlocked⟧
      return fatal_signal_pending(current) ? -EINTR : -EBUSY;

/* in hmm_do_fault(): only the unlocked call lets a fault drop mmap_lock */
  if (hmm_vma_walk->locked) fault_flags |= FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE;
    if (ret & (VM_FAULT_COMPLETED | VM_FAULT_RETRY)) {       ⟦fault.retry⟧
      *hmm_vma_walk->locked = false;  return HMM_FAULT_UNLOCKED; }

/* handle_mm_fault() on a missing page of a userfaultfd (MISSING) vma */
vm_fault_t handle_userfault(vmf, VM_UFFD_MISSING)
  if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY)) return VM_FAULT_SIGBUS;
  queue the message;  release_fault_lock(vmf);  /* waiting writers run */  ⟦drv.fault_dropped_lock⟧
  schedule();            /* until UFFDIO_COPY wakes it, or SIGKILL */  ⟦drv.userfault_sleeps⟧
  return VM_FAULT_RETRY;

/* the userfaultfd handler thread (the kernel selftest's) */
  ioctl(uffd, UFFDIO_COPY, &copy);   /* installs the page, wakes the faulter */  ⟦drv.uffdio_copy⟧
`;
