/**
 * The userfaultfd handler the model assumes: the kernel selftest's (hmm-tests.c `userfaultfd_read`,
 * hmm-semantics.md 10.3-10.4, T5, T7). A thread polls the uffd and answers every fault message at
 * once with one UFFDIO_COPY (mode 0, so it wakes the faulter) of a page at the fault address.
 */
import type { Mm } from './mm.ts';
import { S } from './states.ts';

/**
 * What UFFDIO_COPY did:
 * - "copied": mfill_atomic_install_pte() installed a new dirty page, writable iff the vma has
 *   VM_WRITE; no invalidation (the pte was none), and the faulter is woken;
 * - "populated": the pte is no longer none (-EEXIST); the faulter is woken all the same (the
 *   range wake after the copy) [analysis];
 * - "no-vma": the vma is gone or no longer registered (-ENOENT): the copy fails and does not
 *   wake the faulter, and the selftest's handler thread exits on the error.
 */
export type UffdCopyResult = 'copied' | 'populated' | 'no-vma';

/** UFFDIO_COPY of one page at `vpn`, taken under the mmap read lock (T7). */
export function uffdioCopy(mm: Mm, vpn: number): UffdCopyResult {
  const vma = mm.vmaAt(vpn);
  if (!vma || !vma.uffd) return 'no-vma';
  if (mm.stateOf(vpn) !== S.none) return 'populated';
  mm.setPte(vpn, vma.write ? S.rw : S.ro, mm.allocPfn());
  return 'copied';
}
