/**
 * VM_FAULT_* bits (include/linux/mm_types.h), apart from fault.ts's model of handle_mm_fault():
 * the generation descriptions and the pseudocode panel read the bits on the main thread, where the
 * mm model (which runs in the worker) is not loaded.
 */
export const VM_FAULT = {
  OOM: 0x1,
  SIGBUS: 0x2,
  MAJOR: 0x4,
  WRITE: 0x8,
  HWPOISON: 0x10,
  SIGSEGV: 0x40,
  NOPAGE: 0x100,
  LOCKED: 0x200,
  RETRY: 0x400,
  FALLBACK: 0x800,
} as const;

/** The names of the bits of a VM_FAULT_* word, for the narration ("VM_FAULT_MAJOR | VM_FAULT_WRITE", "0"). */
export function vmFaultNames(code: number): string {
  const names = Object.entries(VM_FAULT)
    .filter(([, bit]) => code & bit)
    .map(([name]) => `VM_FAULT_${name}`);
  return names.length ? names.join(' | ') : '0';
}
/** VM_FAULT_ERROR: what HMM treats as a failed fault. */
export const VM_FAULT_ERROR =
  VM_FAULT.OOM | VM_FAULT.SIGBUS | VM_FAULT.SIGSEGV | VM_FAULT.HWPOISON | VM_FAULT.FALLBACK;
