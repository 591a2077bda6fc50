/**
 * A fault on a none pte of a VM_MIXEDMAP vma: the driver's ->fault inserts the page with
 * vmf_insert_mixed(). Issue 11 said that on a pfn with a struct page this installs a normal pte,
 * which HMM would report. That holds only on an architecture without pte special:
 * __vm_insert_mixed() (mm/memory.c) calls insert_page() only when
 * !IS_ENABLED(CONFIG_ARCH_HAS_PTE_SPECIAL) && pfn_valid(pfn), and otherwise insert_pfn(), which
 * makes a special pte (pte_mkspecial). x86-64, where the recordings were made, has pte special:
 * the pte is special, vm_normal_page() gives NULL for it in a VM_MIXEDMAP vma, and
 * hmm_vma_handle_pte() reports it as an error, or fails the call when it was asked for. A driver
 * that maps its pages with vm_insert_page() instead makes normal ptes: a scenario says so with
 * "ro" / "rw" pages in the vma (private-driver-page.test.ts).
 */
import { describe, expect, test } from 'vitest';
import { ALIGNED, flagsAt, sim } from '../testing/harness.ts';

const vmas = [{ from: 0, pages: 2, prot: 'rw', backing: 'file', shared: true, special: 'mixedmap' }];

describe('vmf_insert_mixed in a VM_MIXEDMAP vma (x86-64: pte special)', () => {
  test.each(['v6', 'v6.12', 'v7.3'] as const)(
    '%s: the fault makes a special pte, which HMM cannot report',
    (kernel) => {
      const o = sim({
        kernel,
        range: { start: ALIGNED, pages: 2 },
        vmas,
        cpu: {},
        driver: { devicePrivateOwner: 'this' },
        defaultFlags: ['REQ_FAULT'],
        pfnFlagsMask: [],
        requests: {},
      });
      expect(o.faultList).toBe('0r 1r');
      expect(o.cpuAfter).toEqual(['special', 'special']);
      expect(o.run.trace.filter((e) => e.type === 'fault').map((e) => e.type === 'fault' && e.path)).toEqual([
        'vm_ops->fault: vmf_insert_mixed (a special pte: x86-64 has pte special)',
        'vm_ops->fault: vmf_insert_mixed (a special pte: x86-64 has pte special)',
      ]);
      // Asked for, a special pte cannot be made valid: -EFAULT, and nothing is programmed.
      expect(o.errno).toBe('EFAULT');
      expect(flagsAt(o, 0)).not.toContain('VALID');
    },
  );
});
