/**
 * handle_mm_fault(): what one page fault does to the simulated page table. Spec: hmm-semantics.md
 * section 4 (the outcome table), corrected by the Linux 6.1 recordings (kernel-fixtures README,
 * points 1, 4-7, 11-14, 16, 21, 24-26). Permission checks are HMM's, not this function's: like the
 * kernel, it will "succeed" on a write fault in a vma without VM_WRITE and install a read-only pte
 * (the source of v5.2's endless loop).
 */
import { blockStart, HUGE_ZERO_PFN, type Mm, type MmVma, PMD_PAGES, ZERO_PFN } from './mm.ts';
import { FAULT_RESULTS, type FaultResult } from '../types.ts';
import {
  devicePrivateIsOwn,
  devicePrivateWritable,
  isDevicePrivate,
  isDevicePrivatePmd,
  isMigration,
  isMigrationPmd,
  afterMigration,
  afterMigrationPmd,
  isWritable,
  S,
} from './states.ts';
import { VM_FAULT, VM_FAULT_ERROR, vmFaultNames } from './faultBits.ts';

export { VM_FAULT, VM_FAULT_ERROR, vmFaultNames };

/**
 * FAULT_FLAG_* bits (include/linux/mm_types.h) a caller passes to handle_mm_fault(). HMM always
 * sets REMOTE; ALLOW_RETRY lets the fault drop mmap_lock (v5.2 always, 7.3's unlocked call with
 * KILLABLE), which is what a userfaultfd fault needs (hmm-semantics.md 10.4).
 */
export const FAULT_FLAG = {
  WRITE: 0x1,
  ALLOW_RETRY: 0x4,
  KILLABLE: 0x10,
  REMOTE: 0x80,
} as const;

export interface FaultOutcome {
  code: number;
  /** The kernel path that handled it, for the trace ("do_anonymous_page: zero page", ...). */
  path: string;
  /**
   * handle_userfault() queued a message for the userfaultfd handler and released mmap_lock
   * (the code is VM_FAULT_RETRY): the caller runs what the lock drop lets in, then the handler.
   */
  userfault: boolean;
}

/**
 * One outcome object, reused: a large run makes hundreds of thousands of faults, and the caller
 * reads the outcome before the next fault.
 */
const outcome: FaultOutcome = { code: 0, path: '', userfault: false };

/** The index in FAULT_RESULTS of a VM_FAULT_* code: "ok" (0) or its error bit's name. */
export function faultResultIndex(code: number): number {
  if (!(code & VM_FAULT_ERROR)) return code & VM_FAULT.RETRY ? 6 : 0;
  if (code & VM_FAULT.HWPOISON) return 1;
  if (code & VM_FAULT.SIGBUS) return 2;
  if (code & VM_FAULT.SIGSEGV) return 3;
  if (code & VM_FAULT.OOM) return 4;
  return 5;
}

/** The name the output format gives a fault result: "ok" or the VM_FAULT_* error bit. */
export function faultResultName(code: number): FaultResult {
  return FAULT_RESULTS[faultResultIndex(code)];
}

/** Fault-around window (fault_around_bytes = 64 KiB). */
const FAULT_AROUND_PAGES = 16;

function ok(path: string, code = 0): FaultOutcome {
  outcome.code = code;
  outcome.path = path;
  outcome.userfault = false;
  return outcome;
}

/**
 * maybe_mkwrite(): a pte made writable by a write fault is writable only in a VM_WRITE vma. The
 * page-cache and shmem read-fault mapping uses vm_page_prot instead: writable in a shared
 * writable mapping (tmpfs and shmem have no write-notify), read-only otherwise.
 */
const mkwrite = (vma: MmVma): number => (vma.write ? S.rw : S.ro);
const pageProt = (vma: MmVma): number => (vma.shared && vma.write ? S.rw : S.ro);

/**
 * A migration entry, pte or pmd, waited for: migration_entry_wait() / pmd_migration_entry_wait()
 * sleeps until the migration finishes, and the entry is then what remove_migration_pte() /
 * remove_migration_pmd() installs on the new page (a new huge page for a pmd): writable only
 * from a writable entry in a VM_WRITE vma (maybe_mkwrite / maybe_pmd_mkwrite), so from a
 * read-only entry a write needs another fault. The fault and the walks that wait for the entry
 * themselves (HMM restarts at that page) share it. Returns the state installed.
 */
export function finishMigration(mm: Mm, vmaWrite: boolean, vpn: number, st: number): number {
  const after = migrationOutcome(mm, vmaWrite, vpn, st);
  if (isMigrationPmd(st)) mm.setHuge(vpn, after, mm.allocHugePfn());
  else {
    mm.sharedAfterFork.delete(vpn);
    mm.setPte(vpn, after, mm.allocPfn());
  }
  return after;
}

/**
 * The state finishMigration() will install, without installing it (a walk tells the step before
 * it makes the change, so the change belongs to the restart that sees it). An entry fork copied
 * is the child's page too: it comes back read-only and a write copies it. Since 5.19
 * remove_migration_pte() marks the page exclusive only from a writable or readable-exclusive
 * entry, and fork left a plain readable one; before, do_wp_page() sees the child's mapping.
 */
export function migrationOutcome(mm: Mm, vmaWrite: boolean, vpn: number, st: number): number {
  if (isMigrationPmd(st)) return afterMigrationPmd(st, vmaWrite);
  return mm.sharedAfterFork.has(vpn) ? S.cow : afterMigration(st, vmaWrite);
}

/** handle_mm_fault() on a migration entry (pte or pmd): it waits, and returns 0. */
function migrationEntryFault(mm: Mm, vma: MmVma, vpn: number, st: number): FaultOutcome {
  const [wait, remove] = isMigrationPmd(st)
    ? ['pmd_migration_entry_wait', 'remove_migration_pmd']
    : ['migration_entry_wait', 'remove_migration_pte'];
  const after = finishMigration(mm, vma.write, vpn, st);
  if (isWritable(after)) return ok(`${wait}: the migration finished; ${remove} restored write access`);
  if (after === S.cow)
    return ok(`${wait}: the migration finished; the page is shared with fork's child (read-only)`);
  return ok(`${wait}: the migration finished`);
}

/**
 * handle_mm_fault(vma, address, flags): `flags` is the caller's FAULT_FLAG_* word (WRITE, and
 * ALLOW_RETRY when the caller lets the fault drop mmap_lock).
 */
export function handleMmFault(mm: Mm, vma: MmVma, vpn: number, flags: number): FaultOutcome {
  const o = fault(mm, vma, vpn, (flags & FAULT_FLAG.WRITE) !== 0, flags);
  // The paths below return 6.1's word; VM_FAULT_WRITE is gone since 6.2 (hmm-semantics.md 11).
  if (!mm.faults.vmFaultWrite) o.code &= ~VM_FAULT.WRITE;
  return o;
}

/**
 * handle_mm_fault() for the faults a large walk makes by the thousand, on each page from `vpn` up
 * to `to` while the pages lie in one pte table and hold the state of the first: a present pte
 * that needs nothing (read, or write on a writable pte), a read-only anonymous or shared pte a
 * write makes writable in place, a none pte in a plain anonymous or shared-anonymous vma, a
 * swapped-out page fork did not share. Each case below is the path fault() / handlePteFault() /
 * doPteMissing() / doWpPage() takes for it; those pages take the same path, so it is chosen once
 * and the table written in one loop (a 2^20-page walk makes a hundred thousand such faults, and a
 * call, an outcome and a setPte per page were most of what they cost).
 * Returns how many pages were done, each returning `out.code` (the VM_FAULT_* word
 * handleMmFault() returns: never an error, never VM_FAULT_RETRY), with exactly the changes,
 * frames and page-table generation handleMmFault() page by page makes; 0 when the first page
 * needs more (nothing changed): the caller then calls handleMmFault(). Not with a traced mm
 * (onChange: every change is its own effect). quick-fault.test.ts holds it equal to
 * handleMmFault() on every state, vma kind, fault type and kernel.
 */
export function quickFaultRun(
  mm: Mm,
  vma: MmVma,
  vpn: number,
  to: number,
  write: boolean,
  out: { code: number },
): number {
  if (vma.special !== null || mm.onChange !== null) return 0;
  const slot = mm.slot(vpn);
  if (slot === undefined || slot.huge) return 0;
  const states = slot.state!;
  const frames = slot.pfn!;
  const k0 = vpn % PMD_PAGES;
  let end = Math.min(PMD_PAGES, k0 + (to - vpn));
  const st = states[k0];
  let k = k0 + 1;
  while (k < end && states[k] === st) k++;
  end = k;
  /** The pte each page gets, and its frame: kept, a new one each, or the zero page. */
  let state: number;
  let frame: 'keep' | 'new' | 'zero' = 'new';
  let code = 0;
  if (st === S.ro || st === S.rw || st === S.cow || st === S.zero) {
    if (!write || st === S.rw) {
      out.code = 0;
      return end - k0;
    }
    if (st !== S.ro || !(vma.shared || vma.anon)) return 0;
    state = mkwrite(vma);
    frame = 'keep';
    code = VM_FAULT.WRITE;
  } else if (st === S.none) {
    if (!vma.anon || vma.uffd || !canAllocate(vma)) return 0;
    if (!vma.shared) {
      state = write ? mkwrite(vma) : S.zero;
      if (!write) frame = 'zero';
    } else {
      state = write ? mkwrite(vma) : pageProt(vma);
      code = VM_FAULT.LOCKED;
    }
  } else if (st === S.swap) {
    if (!canAllocate(vma)) return 0;
    // A page fork shared takes the full path: the run stops before it.
    if (mm.sharedAfterFork.size > 0) {
      const base = vpn - k0;
      for (k = k0; k < end && !mm.sharedAfterFork.has(base + k); k++);
      end = k;
      if (end === k0) return 0;
    }
    if (write) {
      state = mkwrite(vma);
      code = VM_FAULT.MAJOR | VM_FAULT.WRITE;
    } else {
      state = mm.faults.swapInWritable && vma.write && !mm.softDirtyTracking ? S.rw : S.ro;
      code = VM_FAULT.MAJOR;
    }
  } else return 0;
  // setPte() page by page: a pte that already is what it becomes is no change (no generation).
  let next = mm.nextPfn;
  let changed = 0;
  for (k = k0; k < end; k++) {
    const pfn = frame === 'new' ? next++ : frame === 'zero' ? ZERO_PFN : frames[k];
    if (states[k] === state && frames[k] === pfn) continue;
    states[k] = state;
    frames[k] = pfn;
    changed++;
  }
  mm.nextPfn = next;
  mm.generation += changed;
  out.code = mm.faults.vmFaultWrite ? code : code & ~VM_FAULT.WRITE;
  return end - k0;
}

/**
 * A page allocation (or its memcg charge) for a fault in this vma: false when the vma injects
 * failures ("allocFails": every allocation fails, as with a memory cgroup at its limit).
 */
const canAllocate = (vma: MmVma): boolean => !vma.allocFails;
const oom = (path: string): FaultOutcome => ok(`${path}: the page allocation fails`, VM_FAULT.OOM);

function fault(mm: Mm, vma: MmVma, vpn: number, write: boolean, flags: number): FaultOutcome {
  if (vma.special === 'hugetlb') return hugetlbFault(mm, vma, vpn, write);

  const slot = mm.slot(vpn);
  if (!slot && vma.thp && vma.anon && !vma.shared) {
    // create_huge_pmd(): only when the whole 2 MiB block fits in the vma (transhuge_vma_suitable);
    // otherwise the fault falls back to small pages (fixture 229).
    const start = blockStart(vpn);
    // With allocFails the THP allocation fails and the fault falls back to a small page.
    if (start >= vma.start && start + PMD_PAGES <= vma.end && (canAllocate(vma) || !write)) {
      // do_huge_pmd_anonymous_page() asks a MISSING-registered vma's handler too.
      if (vma.uffd) return handleUserfault(mm, flags);
      if (!write) {
        mm.setHuge(vpn, S.thpZero, HUGE_ZERO_PFN);
        return ok('do_huge_pmd_anonymous_page: huge zero page');
      }
      mm.setHuge(vpn, vma.write ? S.thpRw : S.thpRo, mm.allocHugePfn());
      return ok('do_huge_pmd_anonymous_page: new THP');
    }
  }
  if (slot?.huge) {
    const st = slot.hugeState;
    if (isDevicePrivatePmd(st)) return devicePrivatePmdFault(mm, vpn, st);
    if (isMigrationPmd(st)) return migrationEntryFault(mm, vma, vpn, st);
    if (st === S.thpProtnone) {
      mm.setHugeState(vpn, S.thpRo);
      return ok('do_huge_pmd_numa_page: protection restored');
    }
    if (!write || st === S.thpRw) return ok('huge_pmd_set_accessed');
    if (st === S.thpRo) {
      // An exclusive anonymous THP is reused in place: no split, no copy, no invalidation
      // (fixtures 218, 219, 227).
      mm.setHugeState(vpn, vma.write ? S.thpRw : S.thpRo);
      return ok('do_huge_pmd_wp_page: reuse', VM_FAULT.WRITE);
    }
    // The huge zero page: split the pmd into 512 small zero-page ptes (one invalidation of the
    // whole block), then take the small-page write fault below (fixture 224).
    const start = blockStart(vpn);
    mm.notifier.invalidateRange({ from: start, to: start + PMD_PAGES, event: 'CLEAR', owner: null });
    mm.splitHuge(vpn, S.zero, true);
  }
  return handlePteFault(
    mm,
    vma,
    vpn,
    write,
    slot && !slot.huge ? slot.state![vpn % PMD_PAGES] : mm.stateOf(vpn),
    flags,
  );
}

function handlePteFault(
  mm: Mm,
  vma: MmVma,
  vpn: number,
  write: boolean,
  st: number,
  flags: number,
): FaultOutcome {
  if (st === S.none) return doPteMissing(mm, vma, vpn, write, flags);

  if (st === S.swap) {
    // do_swap_page(): a write fault on the exclusive page maps it writable at once. A read fault
    // maps it read-only in 6.1 (fixtures 016, 045, 057); since 6.11 (c18160dba5ff) writable
    // when the vma has VM_WRITE and soft-dirty tracking does not want the write fault
    // (pte_needs_soft_dirty_wp: 6.12 fixtures 045, 261 writable, 057 read-only).
    if (!canAllocate(vma)) return oom('do_swap_page');
    const pfn = mm.allocPfn();
    if (mm.sharedAfterFork.delete(vpn)) {
      // The entry was duplicated by fork: the page is shared with the child, never exclusive, so
      // it is mapped read-only and a write fault goes on to do_wp_page() and copies it.
      mm.setPte(vpn, S.cow, pfn);
      if (!write) return ok('do_swap_page: swapped in, shared after fork: read-only', VM_FAULT.MAJOR);
      const copied = wpPageCopy(mm, vma, vpn, 'COW copy of a swapped-in page shared after fork');
      if (copied.code & VM_FAULT.OOM) return copied;
      return ok(copied.path, VM_FAULT.MAJOR | VM_FAULT.WRITE);
    }
    if (write) {
      mm.setPte(vpn, mkwrite(vma), pfn);
      return ok('do_swap_page: swapped in, writable', VM_FAULT.MAJOR | VM_FAULT.WRITE);
    }
    if (mm.faults.swapInWritable && vma.write && !mm.softDirtyTracking) {
      mm.setPte(vpn, S.rw, pfn);
      return ok('do_swap_page: swapped in, exclusive: writable', VM_FAULT.MAJOR);
    }
    mm.setPte(vpn, S.ro, pfn);
    return ok('do_swap_page: swapped in, read-only', VM_FAULT.MAJOR);
  }
  if (st === S.guard) {
    // handle_pte_marker(): a guard region's marker kills the access (hmm-semantics.md 10.2, T8).
    return ok('handle_pte_marker: guard region', VM_FAULT.SIGSEGV);
  }
  if (st === S.uffdWp) {
    // pte_marker_handle_uffd_wp() in a vma no longer registered for uffd-wp (the format has no
    // registration): pte_marker_clear() drops the marker and the fault returns 0 without mapping
    // anything, so the walk finds a none pte and faults it again [analysis].
    mm.setPte(vpn, S.none, -1);
    return ok('pte_marker_clear: a stale uffd-wp marker removed');
  }
  if (isMigration(st)) return migrationEntryFault(mm, vma, vpn, st);
  if (isDevicePrivate(st)) {
    // pgmap->ops->migrate_to_ram(): the owning driver copies the page back. The migration
    // invalidates the page with that device as owner; the page comes back with the device
    // entry's permission, whatever the fault asked (fixtures 270, 273, 274, 279).
    const owner = devicePrivateIsOwn(st) ? 'this' : 'other';
    mm.notifier.invalidateRange({ from: vpn, to: vpn + 1, event: 'MIGRATE', owner });
    mm.setPte(vpn, devicePrivateWritable(st) ? S.rw : S.ro, mm.allocPfn());
    return ok(`migrate_to_ram: migrated back from ${owner === 'this' ? 'this' : 'another'} device`);
  }
  if (st === S.hwpoison) return ok('do_swap_page: hwpoison entry', VM_FAULT.HWPOISON);

  if (st === S.protnone) {
    // do_numa_page(): restore the vma's protection; the page stays where it is (no migration,
    // so no invalidation). A write fault then needs a second fault to make the pte writable.
    mm.setPte(vpn, pageProt(vma), mm.pfnOf(vpn));
    return ok('do_numa_page: protection restored');
  }

  // A present pte: ro, rw, cow, zero or special.
  if (!write || st === S.rw) return ok('pte present: marked young');
  return doWpPage(mm, vma, vpn, st);
}

/**
 * handle_userfault(vmf, VM_UFFD_MISSING) (fs/userfaultfd.c, hmm-semantics.md 10.4, T6): without
 * FAULT_FLAG_ALLOW_RETRY the fault cannot wait for the handler and fails with VM_FAULT_SIGBUS;
 * with it, the message is queued, mmap_lock released, and the fault returns VM_FAULT_RETRY once
 * woken (v5.2's handle_mm_fault adds VM_FAULT_MAJOR). Nothing is installed here: the handler's
 * UFFDIO_COPY does that (mm/userfaultfd.ts).
 */
function handleUserfault(mm: Mm, flags: number): FaultOutcome {
  if (!(flags & FAULT_FLAG.ALLOW_RETRY))
    return ok('handle_userfault: no FAULT_FLAG_ALLOW_RETRY, the fault cannot wait', VM_FAULT.SIGBUS);
  const o = ok(
    'handle_userfault: message queued, the mmap lock released',
    VM_FAULT.RETRY | (mm.faults.uffdRetryMajor ? VM_FAULT.MAJOR : 0),
  );
  o.userfault = true;
  return o;
}

/** do_pte_missing(): do_anonymous_page() or do_fault() for a none pte. */
function doPteMissing(mm: Mm, vma: MmVma, vpn: number, write: boolean, flags: number): FaultOutcome {
  if (vma.special === 'io' || vma.special === 'pfnmap' || vma.special === 'mixedmap') {
    // The driver's ->fault inserts a pfn (vmf_insert_pfn / vmf_insert_mixed): a special pte.
    // vmf_insert_mixed makes a normal pte only without pte special (__vm_insert_mixed calls
    // insert_page() only when !CONFIG_ARCH_HAS_PTE_SPECIAL); x86-64 has it, so insert_pfn().
    mm.setPte(vpn, S.special, mm.allocSpecialPfn());
    return ok(
      vma.special === 'mixedmap'
        ? 'vm_ops->fault: vmf_insert_mixed (a special pte: x86-64 has pte special)'
        : 'vm_ops->fault: vmf_insert_pfn',
      VM_FAULT.NOPAGE,
    );
  }
  if (vma.anon && !vma.shared) {
    if (!write) {
      // A read fault asks the userfaultfd handler before mapping the zero page.
      if (vma.uffd) return handleUserfault(mm, flags);
      mm.setPte(vpn, S.zero, ZERO_PFN);
      return ok('do_anonymous_page: zero page');
    }
    if (!canAllocate(vma)) return oom('do_anonymous_page');
    // A write fault asks it after allocating the page (which it then frees).
    if (vma.uffd) return handleUserfault(mm, flags);
    mm.setPte(vpn, mkwrite(vma), mm.allocPfn());
    return ok('do_anonymous_page: new page');
  }
  if (!write) {
    // do_read_fault(): fault-around maps the page-cache neighbours first (files only: an
    // untouched shmem page is not in the page cache), then the page itself (fixture 013). When
    // fault-around mapped the page the fault returns VM_FAULT_NOPAGE, else ->fault's
    // VM_FAULT_LOCKED (the page came back locked).
    if (!vma.anon) faultAround(mm, vma, vpn);
    if (mm.stateOf(vpn) !== S.none) return ok('do_read_fault: mapped by fault-around', VM_FAULT.NOPAGE);
    if (vma.anon && !canAllocate(vma)) return oom('shmem_fault');
    mm.setPte(vpn, pageProt(vma), mm.allocPfn());
    return ok(vma.anon ? 'do_read_fault: shmem page' : 'do_read_fault: page cache', VM_FAULT.LOCKED);
  }
  if (!vma.shared) {
    if (!canAllocate(vma)) return oom('do_cow_fault');
    mm.setPte(vpn, mkwrite(vma), mm.allocPfn());
    return ok('do_cow_fault: private copy of the file page', VM_FAULT.LOCKED);
  }
  if (vma.anon && !canAllocate(vma)) return oom('shmem_fault');
  mm.setPte(vpn, mkwrite(vma), mm.allocPfn());
  return ok('do_shared_fault: page-cache page, writable', VM_FAULT.LOCKED);
}

/**
 * do_fault_around(): a 16-page window that starts at max(address rounded down to 64 KiB,
 * vm_start) and ends at the first of: the page table's end, the vma's end, 16 pages. Only none
 * ptes are filled (filemap_map_pages).
 */
function faultAround(mm: Mm, vma: MmVma, vpn: number): void {
  const start = Math.max(vpn - (vpn % FAULT_AROUND_PAGES), vma.start);
  const tableEnd = blockStart(start) + PMD_PAGES;
  const end = Math.min(tableEnd, vma.end, start + FAULT_AROUND_PAGES);
  const table = mm.ensureTable(vpn).state!;
  const prot = pageProt(vma);
  for (let p = start; p < end; p++) {
    if (table[p % PMD_PAGES] === S.none) mm.setPte(p, prot, mm.allocPfn());
  }
}

/** wp_page_copy(): a new page replaces the old one; the old mapping is invalidated first. */
function wpPageCopy(mm: Mm, vma: MmVma, vpn: number, why: string): FaultOutcome {
  if (!canAllocate(vma)) return oom('wp_page_copy');
  mm.notifier.invalidateRange({ from: vpn, to: vpn + 1, event: 'CLEAR', owner: null });
  mm.setPte(vpn, mkwrite(vma), mm.allocPfn());
  return ok(`wp_page_copy: ${why}`, VM_FAULT.WRITE);
}

/** do_wp_page(): a write fault on a present read-only pte. */
function doWpPage(mm: Mm, vma: MmVma, vpn: number, st: number): FaultOutcome {
  if (st === S.zero) return wpPageCopy(mm, vma, vpn, 'copy of the zero page');
  if (st === S.cow) return wpPageCopy(mm, vma, vpn, 'COW copy of a page shared after fork');
  if (vma.shared) {
    // wp_page_shared() / wp_pfn_shared(): made writable in place.
    mm.setPte(vpn, mkwrite(vma), mm.pfnOf(vpn));
    return ok('wp_page_shared: made writable in place', VM_FAULT.WRITE);
  }
  if (st === S.special) return wpPageCopy(mm, vma, vpn, 'copy of a special page');
  // A page the driver placed in a VM_IO / VM_PFNMAP / VM_MIXEDMAP vma (vm_insert_page,
  // vmf_insert_mixed) is never anonymous, whatever the scenario's "backing" says: do_wp_page()
  // reuses only a PageAnon / folio_test_anon page, so a private mapping copies it (issue 11).
  if (vma.special) return wpPageCopy(mm, vma, vpn, 'private copy of a driver page (not anonymous)');
  if (!vma.anon) return wpPageCopy(mm, vma, vpn, 'private copy of a page-cache page');
  // An exclusive anonymous page is reused: same frame, made writable, no invalidation.
  mm.setPte(vpn, mkwrite(vma), mm.pfnOf(vpn));
  return ok('wp_page_reuse: exclusive page made writable', VM_FAULT.WRITE);
}

/**
 * A fault on a device-private pmd (7.x, a device-private THP of another owner, or of this device
 * when the caller names no owner): migrate_to_ram() brings the whole 2 MiB block back, invalidating
 * it with the owning device as owner; the THP comes back with the entry's permission, as a
 * device-private pte does (hmm-semantics.md 10.2) [analysis].
 */
function devicePrivatePmdFault(mm: Mm, vpn: number, st: number): FaultOutcome {
  const start = blockStart(vpn);
  const owner = devicePrivateIsOwn(st) ? 'this' : 'other';
  mm.notifier.invalidateRange({ from: start, to: start + PMD_PAGES, event: 'MIGRATE', owner });
  mm.setHuge(vpn, devicePrivateWritable(st) ? S.thpRw : S.thpRo, mm.allocHugePfn());
  return ok(
    `migrate_to_ram: a device-private THP migrated back from ${owner === 'this' ? 'this' : 'another'} device`,
  );
}

/**
 * hugetlb_fault(): faults on any page of a 2 MiB huge page act on the whole huge pte. A private
 * read fault maps the new page read-only, a shared one writable when the vma is (fixtures 236,
 * 243); a write fault on an exclusive read-only private page reuses it (238, 245, 248). A page
 * fork left shared with the child ("cow": page_mapcount() > 1) is copied by hugetlb_wp(): a new
 * huge page, after an MMU_NOTIFY_CLEAR invalidation of [haddr, haddr + huge_page_size) (mm/hugetlb.c,
 * 7269f999934b for 5.2; the same range in every later generation).
 */
function hugetlbFault(mm: Mm, vma: MmVma, vpn: number, write: boolean): FaultOutcome {
  const slot = mm.slot(vpn);
  const st = slot?.huge ? slot.hugeState : S.none;
  if (st === S.none) {
    const state = write ? mkwrite(vma) : pageProt(vma);
    mm.setHuge(vpn, state, mm.allocHugePfn());
    return ok('hugetlb_no_page: new huge page');
  }
  if (write && st === S.cow) {
    const start = blockStart(vpn);
    mm.notifier.invalidateRange({ from: start, to: start + PMD_PAGES, event: 'CLEAR', owner: null });
    mm.setHuge(vpn, mkwrite(vma), mm.allocHugePfn());
    // Like the reuse path, hugetlb_wp() returns 0 here: no VM_FAULT_WRITE.
    return ok('hugetlb_wp: copy of a huge page shared after fork');
  }
  if (write && st === S.ro) {
    mm.setHugeState(vpn, mkwrite(vma));
    // hugetlb_wp() never set VM_FAULT_WRITE: 0 even on 6.1 (fixtures 238, 245, 248).
    return ok(vma.shared ? 'hugetlb_fault: made writable' : 'hugetlb_wp: reuse');
  }
  return ok('hugetlb_fault: present');
}
