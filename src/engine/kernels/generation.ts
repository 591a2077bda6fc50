/**
 * What a kernel generation is to the explorer: one module per generation (v5_2.ts, v6_1.ts,
 * v6_12.ts, v7_3.ts) fills this in, and registry.ts lists them. The engine, the scenario schema,
 * the CLI and every view read a generation through this interface instead of switching on the
 * kernel's name, so adding a generation is adding one module (plus its presets and tests).
 *
 * Everything here is plain data or a pure function of engine data: no DOM, no React. The
 * pseudocode is text with statement ids, which the UI renders. A generation is its description
 * only: the driver loop that runs it is in drivers.ts, which only the engine imports, so the views
 * (on the main thread) read a generation without carrying the engine that runs in the worker.
 */
import type { CallName, CpuState } from '../types.ts';

/**
 * The fixed hmm_pfns word of the v5.8+ API (hmm-semantics.md 1.B and 10.1): output flags, the
 * map order's field, the pfn below it, and the names an input word may use.
 */
export interface PfnLayout {
  VALID: bigint;
  WRITE: bigint;
  ERROR: bigint;
  /** HMM_PFN_ORDER_SHIFT; the order is read as 5 bits (hmm_pfn_to_map_order). */
  orderShift: bigint;
  orderMask: bigint;
  /** pfn = word & pfnMask (~HMM_PFN_FLAGS). */
  pfnMask: bigint;
  /**
   * Input bits every output path keeps (HMM_PFN_INOUT_FLAGS in 7.x: DMA_MAPPED, P2PDMA,
   * P2PDMA_BUS), highest first; empty before.
   */
  sticky: readonly (readonly [name: string, bits: bigint])[];
  /** Names an input word, default_flags or pfn_flags_mask may use; canonical names first. */
  inputNames: readonly (readonly [name: string, bits: bigint])[];
  /** How many of inputNames the file form writes (the rest are aliases). */
  canonicalInputNames: number;
}

/** What handle_mm_fault() does differently from one generation to the next (mm/memory.c). */
export interface FaultModel {
  /**
   * A write fault that made the pte writable returns VM_FAULT_WRITE (0x8); removed in 6.2
   * (cb8d86331343), hmm-semantics.md 11.
   */
  vmFaultWrite: boolean;
  /**
   * do_swap_page() maps an exclusive anonymous page writable on a read fault when the vma has
   * VM_WRITE and soft-dirty tracking does not want the write fault (c18160dba5ff, 6.11).
   */
  swapInWritable: boolean;
  /**
   * A userfaultfd fault that dropped the lock returns VM_FAULT_RETRY | VM_FAULT_MAJOR (v5.2),
   * or VM_FAULT_RETRY alone (hmm-semantics.md 10.4).
   */
  uffdRetryMajor: boolean;
}

/** The v5.8+ hmm_range_fault() and how this generation's mm/hmm.c differs in it. */
export interface ModernHmm {
  /**
   * 7.x: callbacks only record what needs a fault (hmm_record_fault) and the walk unwinds before
   * hmm_do_fault() faults; before, hmm_vma_fault() faulted inside the callback.
   */
  recordThenFault: boolean;
  /** 7.x: guard and poison pte markers are -EFAULT when requested (not faulted), uffd-wp as none. */
  markers: boolean;
  /** 7.x: hmm_vma_handle_absent_pmd() reports or faults a device-private pmd. */
  devicePrivatePmd: boolean;
  /** The errno of a fault whose VM_FAULT_* word has an error bit. */
  faultErrno(code: number): number;
}

/** A pseudocode listing: source text whose lines may end in a ⟦...⟧ marker of statements (statements.ts). */
export interface Pseudocode {
  /** The kernel version the listing models, stated in the panel. */
  models: string;
  /**
   * The listing's text. Loaded when asked for: only the pseudocode panel shows it, and the
   * engine, the schema and every other view read the generation without it.
   */
  source: () => Promise<string>;
}

export interface Generation {
  /** The scenario file's "kernel" value. */
  readonly id: string;
  /** "Linux 6.12" */
  readonly label: string;
  /** The year the release came out. */
  readonly year: number;
  /** A short phrase for the picker: what this API is. */
  readonly tagline: string;
  /** One line: what changed from the generation before, for a reader of the picker. */
  readonly changed: string;
  /** The HMM entry points a scenario may call; the first is the default. */
  readonly calls: readonly CallName[];
  /**
   * The fixed hmm_pfns layout, or null for the 2019 API, where each driver chooses its bits
   * (flags[] / values[] / pfn_shift) and the scenario's "driver" names them.
   */
  readonly pfns: PfnLayout | null;
  readonly faults: FaultModel;
  /** CPU states that exist only in this generation's model (the schema rejects them elsewhere). */
  readonly extraStates: readonly CpuState[];
  readonly pseudocode: Pseudocode;
}
