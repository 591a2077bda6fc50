/**
 * Pseudocode of mm/hmm.c in Linux 6.1 and 6.12 (the v5.8+ API), written for this project:
 * condensed from mm/hmm.c (hmm-semantics.md 2.4; S5 at 4dd845b5a3e5 for the structure, with what
 * 5.17-5.19 changed: VM_MIXEDMAP accepted and vm_normal_page() (87c01d57fa23), pte_none_mostly(),
 * another owner's device-private page faulted) and the driver pattern of Documentation/mm/hmm.rst
 * and lib/test_hmm.c, keeping the kernel's names and structure. 6.12's file differs in how the
 * walk reads the pmd (pmdp_get_lockless(), where 6.1 has READ_ONCE() and pmd_read_atomic()) and in
 * pte_offset_map() being allowed to fail (6.5); the two listings differ only there.
 *
 * Markers: see listings/v5_2.ts (a bare id is the statement's line, `+id` is on its path).
 */

interface Variant {
  pmdRead: string;
  pmdReread: string;
  ptep: string;
  pteRead: string;
}

const V6_1: Variant = {
  pmdRead: 'pmd = READ_ONCE(*pmdp);',
  pmdReread: 'pmd = pmd_read_atomic(pmdp);  barrier();',
  ptep: 'ptep = pte_offset_map(pmdp, addr);',
  pteRead: 'pte_t pte = *ptep;',
};

const V6_12: Variant = {
  pmdRead: 'pmd = pmdp_get_lockless(pmdp);',
  pmdReread: 'pmd = pmdp_get_lockless(pmdp);',
  ptep: 'ptep = pte_offset_map(pmdp, addr);  if (!ptep) goto again;',
  pteRead: 'pte_t pte = ptep_get(ptep);',
};

const pad = (s: string, n = 59): string => s.padEnd(n);

const listing = (v: Variant): string => String.raw`
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
  hmm_vma_walk.last = range->start;                          ⟦+walk +check_retry⟧
  do {
    if (mmu_interval_check_retry(range->notifier, range->notifier_seq))  ⟦check_retry +walk +restart⟧
      return -EBUSY;                 /* lockless: an invalidation ran */  ⟦return.busy⟧
    ret = walk_page_range(mm, hmm_vma_walk.last, range->end,  ⟦walk +restart⟧
                          &hmm_walk_ops, &hmm_vma_walk);
  } while (ret == -EBUSY);      /* faulted: walk again from last */  ⟦restart +return +check_retry⟧
  return ret;                                                ⟦return⟧

static int hmm_vma_walk_test(start, end, walk)               ⟦+test +test.efault⟧
  if (!(vma->vm_flags & (VM_IO | VM_PFNMAP)) &&              ⟦+test +test.efault +test.ok⟧
      (vma->vm_flags & VM_READ))
    return 0;                                /* walk this vma */  ⟦test.ok⟧
  if (hmm_range_need_fault(hmm_vma_walk, pfns, npages, 0))   ⟦test +test.efault⟧
    return -EFAULT;                                          ⟦test.efault⟧
  hmm_pfns_fill(start, end, range, HMM_PFN_ERROR);          ⟦test.fill⟧
  return 1;                                  /* skip this vma */  ⟦+test.fill⟧

static int hmm_vma_walk_hole(addr, end, depth, walk)         ⟦+hole.*⟧
  required_fault = hmm_range_need_fault(hmm_vma_walk, pfns, npages, 0);  ⟦hole hole.pmd hole.novma +hole.*⟧
  if (!vma) {                            /* no vma here at all */  ⟦+hole.*⟧
    if (required_fault) return -EFAULT;                      ⟦hole.novma.efault +hole.novma⟧
    return hmm_pfns_fill(addr, end, range, HMM_PFN_ERROR);   ⟦hole.novma.fill⟧
  }
  if (required_fault)                                        ⟦+hole +hole.pmd +hole.fault +hole.pmd.fault +hole.fill⟧
    return hmm_vma_fault(addr, end, required_fault, walk);   ⟦hole.fault hole.pmd.fault⟧
  return hmm_pfns_fill(addr, end, range, 0);                 ⟦hole.fill⟧

static int hmm_vma_fault(addr, end, required_fault, walk)    ⟦+fault +fault.err +vfault.eperm⟧
  hmm_vma_walk->last = addr;                                 ⟦+fault +fault.err +vfault.eperm⟧
  if (required_fault & HMM_NEED_WRITE_FAULT) {               ⟦+fault +fault.err +vfault.eperm⟧
    if (!(vma->vm_flags & VM_WRITE)) return -EPERM;          ⟦vfault.eperm⟧
    fault_flags |= FAULT_FLAG_WRITE;                         ⟦+fault +fault.err⟧
  }
  for (; addr < end; addr += PAGE_SIZE)                      ⟦+fault +fault.err⟧
    if (handle_mm_fault(vma, addr, fault_flags, NULL) & VM_FAULT_ERROR)  ⟦fault +fault.err⟧
      return -EFAULT;                                        ⟦fault.err⟧
  return -EBUSY;                   /* the walk restarts at last */  ⟦+fault⟧

static int hmm_vma_walk_pmd(pmd_t *pmdp, start, end, walk)  ⟦+pte.* +hole.pmd +hole.pmd.fault +handle_pmd +handle_pmd.fault +pmd.*⟧
again:
  ${pad(v.pmdRead)}⟦+pte.* +hole.pmd +hole.pmd.fault +handle_pmd +handle_pmd.fault +pmd.*⟧
  if (pmd_none(pmd))                                         ⟦+pte.* +hole.pmd +hole.pmd.fault +handle_pmd +handle_pmd.fault +pmd.*⟧
    return hmm_vma_walk_hole(start, end, -1, walk);          ⟦+hole.pmd +hole.pmd.fault⟧
  if (thp_migration_supported() && is_pmd_migration_entry(pmd)) {  ⟦+pte.* +handle_pmd +handle_pmd.fault +pmd.*⟧
    if (hmm_range_need_fault(hmm_vma_walk, hmm_pfns, npages, 0)) {  ⟦+pmd.migration +pmd.migration_wait⟧
      hmm_vma_walk->last = addr;  pmd_migration_entry_wait(walk->mm, pmdp);  ⟦+pmd.migration_wait⟧
      return -EBUSY;                                         ⟦pmd.migration_wait⟧
    }
    return hmm_pfns_fill(start, end, range, 0);              ⟦pmd.migration⟧
  }
  if (!pmd_present(pmd)) {                                   ⟦+pte.* +handle_pmd +handle_pmd.fault +pmd.bad⟧
    if (hmm_range_need_fault(hmm_vma_walk, hmm_pfns, npages, 0)) return -EFAULT;  ⟦+pmd.bad⟧
    return hmm_pfns_fill(start, end, range, HMM_PFN_ERROR);  ⟦pmd.bad⟧
  }
  if (pmd_devmap(pmd) || pmd_trans_huge(pmd)) {              ⟦+pte.* +handle_pmd +handle_pmd.fault⟧
    ${pad(v.pmdReread, 57)}⟦+handle_pmd +handle_pmd.fault⟧
    return hmm_vma_handle_pmd(walk, addr, end, hmm_pfns, pmd);  ⟦+handle_pmd +handle_pmd.fault⟧
  }
  ${pad(v.ptep)}⟦+pte.*⟧
  for (; addr < end; addr += PAGE_SIZE, ptep++, hmm_pfns++) {  ⟦+pte.*⟧
    r = hmm_vma_handle_pte(walk, addr, end, pmdp, ptep, hmm_pfns);  ⟦+pte.*⟧
    if (r) return r;      /* last was set where it faulted */  ⟦+pte.error +pte.special.efault +pte.migration⟧
  }
  pte_unmap(ptep - 1);  return 0;                            ⟦pmd.done⟧

static int hmm_vma_handle_pmd(walk, addr, end, hmm_pfns, pmd)  ⟦+handle_pmd +handle_pmd.fault⟧
  cpu_flags = pmd_to_hmm_pfn_flags(range, pmd);  /* 0 if protnone; order 9 */  ⟦+handle_pmd +handle_pmd.fault⟧
  required_fault = hmm_range_need_fault(hmm_vma_walk, hmm_pfns, npages, cpu_flags);  ⟦handle_pmd +handle_pmd.fault⟧
  if (required_fault)                                        ⟦+handle_pmd +handle_pmd.fault⟧
    return hmm_vma_fault(addr, end, required_fault, walk);   ⟦handle_pmd.fault⟧
  for (i = 0; addr < end; addr += PAGE_SIZE, i++, pfn++)     ⟦+handle_pmd.fill⟧
    hmm_pfns[i] = pfn | cpu_flags;                           ⟦handle_pmd.fill⟧
  return 0;                                                  ⟦+handle_pmd.fill⟧

static int hmm_vma_handle_pte(walk, addr, end, pmdp, ptep, *hmm_pfn)  ⟦+pte.*⟧
  ${pad(v.pteRead)}⟦+pte.*⟧
  uint64_t pfn_req_flags = *hmm_pfn;     /* input kept until done */  ⟦+pte.*⟧
  if (pte_none_mostly(pte)) {            /* also a uffd-wp marker */  ⟦+pte.*⟧
    required_fault = hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, 0);  ⟦+pte.none +pte.none.fault⟧
    if (required_fault) goto fault;                          ⟦+pte.none +pte.none.fault⟧
    *hmm_pfn = 0;  return 0;                                 ⟦pte.none⟧
  }
  if (!pte_present(pte)) {                                   ⟦+pte.swap +pte.swap.fault +pte.devpriv +pte.migration +pte.error +pte.present.fault +pte.special +pte.special.efault +pte.out⟧
    if (is_device_private_entry(entry) && owner == range->dev_private_owner) {  ⟦+pte.swap +pte.swap.fault +pte.devpriv +pte.migration +pte.error⟧
      cpu_flags = HMM_PFN_VALID | (writable ? HMM_PFN_WRITE : 0);  /* never faulted */  ⟦+pte.devpriv⟧
      *hmm_pfn = swp_offset(entry) | cpu_flags;  return 0;   ⟦pte.devpriv⟧
    }
    required_fault = hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, 0);  ⟦+pte.swap +pte.swap.fault +pte.migration +pte.error⟧
    if (!required_fault) { *hmm_pfn = 0;  return 0; }        ⟦pte.swap +pte.swap.fault +pte.migration +pte.error⟧
    if (!non_swap_entry(entry))      /* swap it in */        ⟦+pte.swap.fault +pte.migration +pte.error⟧
      goto fault;                                            ⟦+pte.swap.fault⟧
    if (is_device_private_entry(entry))   /* another owner's: back to RAM */  ⟦+pte.swap.fault +pte.migration +pte.error⟧
      goto fault;                    /* (a device-exclusive entry too) */  ⟦+pte.swap.fault⟧
    if (is_migration_entry(entry)) {                         ⟦+pte.migration +pte.error⟧
      pte_unmap(ptep);  hmm_vma_walk->last = addr;           ⟦+pte.migration⟧
      migration_entry_wait(walk->mm, pmdp, addr);            ⟦+pte.migration⟧
      return -EBUSY;                 /* the walk restarts here */  ⟦pte.migration⟧
    }
    pte_unmap(ptep);  return -EFAULT;          /* hwpoison, ... */  ⟦pte.error⟧
  }
  cpu_flags = pte_to_hmm_pfn_flags(range, pte);  /* 0 if protnone */  ⟦+pte.present.fault +pte.special +pte.special.efault +pte.out⟧
  required_fault = hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, cpu_flags);  ⟦+pte.present.fault +pte.special +pte.special.efault +pte.out⟧
  if (required_fault) goto fault;                            ⟦+pte.present.fault +pte.special +pte.special.efault +pte.out⟧
  if (!vm_normal_page(walk->vma, addr, pte) && !pte_devmap(pte) &&  ⟦+pte.special +pte.special.efault +pte.out⟧
      !is_zero_pfn(pte_pfn(pte))) {      /* the zero page is a normal page */
    if (hmm_pte_need_fault(hmm_vma_walk, pfn_req_flags, 0)) {  ⟦+pte.special +pte.special.efault⟧
      pte_unmap(ptep);  return -EFAULT; }                    ⟦pte.special.efault⟧
    *hmm_pfn = HMM_PFN_ERROR;  return 0;                     ⟦pte.special⟧
  }
  *hmm_pfn = pte_pfn(pte) | cpu_flags;  return 0;            ⟦pte.out⟧
fault:
  pte_unmap(ptep);  /* this page to the end of the pmd, with this page's fault type */  ⟦+pte.none.fault +pte.swap.fault +pte.present.fault⟧
  return hmm_vma_fault(addr, end, required_fault, walk);     ⟦pte.none.fault pte.swap.fault pte.present.fault⟧

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
  if (required_fault) {                                      ⟦+hugetlb +hugetlb.fault +hugetlb.fill⟧
    spin_unlock(ptl);  hugetlb_vma_unlock_read(vma);         ⟦+hugetlb.fault⟧
    return hmm_vma_fault(addr, end, required_fault, walk); } ⟦hugetlb.fault⟧
  for (; addr < end; addr += PAGE_SIZE, i++, pfn++)          ⟦+hugetlb.fill⟧
    range->hmm_pfns[i] = pfn | cpu_flags;                    ⟦hugetlb.fill⟧

/* the driver's interval notifier: the CPU page table is about to change */
static bool driver_invalidate(mni, range, cur_seq)          ⟦+inval⟧
  take_lock(driver->update);                                 ⟦+inval⟧
  mmu_interval_set_seq(mni, cur_seq);   /* read_retry compares it */  ⟦+inval⟧
  /* erase device entries in [range->start, range->end) */  ⟦inval⟧
  release_lock(driver->update);                              ⟦+inval⟧

/* meanwhile, on another CPU: munmap, mprotect and fork wait for the mmap lock; reclaim does not */
munmap() / mprotect() / fork() / swap-out / migrate ...      ⟦concurrent⟧
`;

export const LISTING_6_1 = listing(V6_1);
export const LISTING_6_12 = listing(V6_12);
