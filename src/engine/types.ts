/**
 * The engine's contract: the normalized scenario it runs, the result it returns and the trace
 * events it records. Everything here is plain data (structured-clone safe), so it crosses the
 * worker boundary unchanged. The file format itself (JSON, flag names, "a-b" keys) lives in
 * `scenario/`, which parses into these types; spec: shared `scenario-format.md`.
 */

import type { Kernel } from './kernels/registry.ts';
import type { Statement } from './statements.ts';

export type { Kernel };
export type CallName =
  | 'hmm_range_fault'
  | 'hmm_range_snapshot'
  | 'hmm_vma_fault'
  /** Linux 7.3 only: takes mmap_lock itself, lets faults drop it, restarts from range->start. */
  | 'hmm_range_fault_unlocked_timeout';

/** CPU page-table state of one page, as the scenario format names it. */
export const CPU_STATES = [
  'none',
  'ro',
  'rw',
  'cow',
  'zero',
  'special',
  'protnone',
  'swap',
  'migration',
  'devpriv',
  'devpriv-rw',
  'devpriv-other',
  'devpriv-other-rw',
  'hwpoison',
  'thp-ro',
  'thp-rw',
  'thp-zero',
  'thp-protnone',
  'thp-migration',
  // Linux 7.3's table only (hmm-semantics.md 10.2, scenario-format.md "Additions"):
  'uffd-wp',
  'guard',
  'thp-devpriv',
  'thp-devpriv-rw',
  'thp-devpriv-other',
  // Appended (codes are indices): a writable migration entry; "migration" is the read-only one.
  'migration-rw',
  // Appended too: a writable THP migration entry; "thp-migration" is the read-only one.
  'thp-migration-rw',
] as const;
export type CpuState = (typeof CPU_STATES)[number];
/** Index into CPU_STATES; the engine keeps per-page states as these codes in a Uint8Array. */
export type CpuCode = number;

export const DEVICE_STATES = ['none', 'ro', 'rw'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export type Prot = '' | 'r' | 'rw' | 'w';
export type VmaSpecial = 'io' | 'pfnmap' | 'mixedmap' | 'hugetlb';

export interface Vma {
  /** First page, relative to range.start (may be negative). */
  from: number;
  pages: number;
  prot: Prot;
  backing: 'anon' | 'file';
  shared: boolean;
  special: VmaSpecial | null;
  thp: boolean;
  /** Fault injection: every page allocation a fault here makes fails (VM_FAULT_OOM). */
  allocFails: boolean;
  /**
   * UFFDIO_REGISTER_MODE_MISSING on this private anonymous vma (hmm-semantics.md 10.4): a fault on
   * a none pte needs the userfaultfd handler (the kernel selftest's: one UFFDIO_COPY at once).
   */
  uffd: 'missing' | null;
}

/**
 * A private anonymous read-write mapping with nothing else set: the default preset's, and what
 * the editor adds where a selection covers no vma. (The parser's defaults are the same: its test
 * spells them out.)
 */
export function anonVma(from: number, pages: number): Vma {
  return {
    from,
    pages,
    prot: 'rw',
    backing: 'anon',
    shared: false,
    special: null,
    thp: false,
    allocFails: false,
    uffd: null,
  };
}

/** The v5.2 driver's flags[] / values[] / pfn_shift (spec 1.A). */
export interface DriverLayout {
  name: 'seed' | 'nouveau' | 'amdgpu' | 'custom';
  flags: { VALID: bigint; WRITE: bigint; DEVICE_PRIVATE: bigint };
  values: { ERROR: bigint; NONE: bigint; SPECIAL: bigint };
  pfnShift: number;
}

export type ConcurrentOp =
  | 'munmap'
  | 'mprotect-ro'
  | 'mprotect-none'
  | 'swap-out'
  | 'migrate-to-device'
  | 'fork'
  | 'invalidate'
  | 'madv-pageout'
  | 'sigkill';

/**
 * The moment a CPU-side event is ISSUED (scenario-format.md, lock model). An op that needs
 * mmap_lock for write and is issued while the driver side holds it waits, and runs at the first
 * moment the lock is free (hmm-semantics.md 10.5).
 */
export type ConcurrentAt = 'before-call' | 'after-fault' | 'before-program' | 'after-program';

export interface ConcurrentEvent {
  at: ConcurrentAt;
  /** For "after-fault": after the n-th handle_mm_fault of the run (1-based). */
  n: number;
  op: ConcurrentOp;
  /** Pages [from, to] inclusive, relative to range.start. */
  from: number;
  to: number;
  /** Issue it at this moment of every attempt or pass (a CPU thread in a loop). */
  repeat: boolean;
  /**
   * Its invalidation starts when it runs but ends later: at the first moment the driver waits for
   * invalidations to end (v5.2 hmm_range_wait_until_valid, 5.5+ mmu_interval_read_begin), or at
   * the end of the run. Only for ops that need no mmap write lock.
   */
  lasts: boolean;
}

/** A scenario after parsing: every default filled in, every name resolved to bits. */
export interface Scenario {
  format: 1;
  title: string;
  /** Free text about the scenario (what it shows, for whom); absent when there is none. */
  notes?: string;
  kernel: Kernel;
  call: CallName;
  /** v5.2 only: hmm_range_fault / hmm_vma_fault's `block` argument. */
  block: boolean;
  /**
   * hmm_range_fault_unlocked_timeout()'s retry budget in jiffies (0 = for ever); 0 for the other
   * calls. The engine's clock advances one jiffy per pass that ends -EBUSY without a lock drop.
   */
  timeout: number;
  range: { start: bigint; pages: number };
  /** Sorted by `from`, non-overlapping. */
  vmas: Vma[];
  /** Per range page, a CpuCode (index into CPU_STATES). */
  cpu: Uint8Array;
  /** v5.2 layout (for v6 the layout is fixed by the kernel and this is ignored). */
  layout: DriverLayout;
  /** v6: dev_private_owner is this device ("this") or NULL ("none"). */
  devicePrivateOwner: 'this' | 'none';
  defaultFlags: bigint;
  pfnFlagsMask: bigint;
  /** The caller's input pfns[i], one 64-bit word per range page. */
  requests: BigUint64Array;
  concurrent: ConcurrentEvent[];
  driverLoop: boolean;
  /** Per range page, an index into DEVICE_STATES: the device page table before the run. */
  device: Uint8Array;
}

export type Errno = 'EFAULT' | 'EPERM' | 'EBUSY' | 'EAGAIN' | 'EINVAL' | 'ENOMEM' | 'EINTR';
/**
 * "blocked": the modelled kernel would sleep for ever (a userfaultfd fault whose handler can no
 * longer resolve it: its UFFDIO_COPY found the vma gone, so nobody wakes the faulter).
 */
export type RunStatus = 'returned' | 'livelock' | 'oops' | 'blocked';

/** The results a handle_mm_fault can give, as the output format names them. */
export const FAULT_RESULTS = [
  'ok',
  'VM_FAULT_HWPOISON',
  'VM_FAULT_SIGBUS',
  'VM_FAULT_SIGSEGV',
  'VM_FAULT_OOM',
  'VM_FAULT_FALLBACK',
  // VM_FAULT_RETRY: the fault dropped mmap_lock (a userfaultfd fault, hmm-semantics.md 10.4).
  'RETRY',
] as const;
export type FaultResult = (typeof FAULT_RESULTS)[number];

/**
 * Every handle_mm_fault of the run, in call order, as parallel typed arrays: a large range can
 * make hundreds of thousands, and typed arrays cross the worker boundary in the transfer list.
 */
export interface FaultLog {
  length: number;
  /** Page relative to range.start. */
  page: Int32Array;
  /** 1 for FAULT_FLAG_WRITE. */
  write: Uint8Array;
  /** Index into FAULT_RESULTS. */
  result: Uint8Array;
  /** The driver attempt it belongs to (1-based). */
  attempt: Uint16Array;
  /** The raw VM_FAULT_* word handle_mm_fault returned. */
  code: Uint16Array;
}

/** One fault as an object (the output format's form). */
export interface FaultRecord {
  page: number;
  write: boolean;
  /** "ok" or the VM_FAULT_* error name (e.g. "VM_FAULT_HWPOISON"). */
  result: string;
  attempt: number;
  /** The raw VM_FAULT_* word as the recordings write it: "0", "0x8", "0x204", ... */
  code: string;
}

/**
 * One call of the HMM function (one driver attempt): what it returned and how many
 * walk_page_range() walks it made (the recordings' evidence.hmmRangeFaultCalls).
 */
export interface CallRecord {
  ret: number;
  walks: number;
}

/**
 * One mmu-notifier invalidation that hit the range (evidence.invalidations): its pages relative to
 * range.start, inclusive and not clipped to the range (a THP split reaches outside it), and its
 * MMU_NOTIFY_* event.
 */
export interface InvalidationRecord {
  from: number;
  to: number;
  event: 'CLEAR' | 'UNMAP' | 'PROTECTION_VMA' | 'PROTECTION_PAGE' | 'MIGRATE' | 'SOFT_DIRTY' | 'RELEASE';
}

/**
 * When one concurrent event was issued and when it ran (the lock model, hmm-semantics.md 10.5),
 * one record per issue (a repeating event is issued once per attempt). `faults` counts the
 * handle_mm_fault calls of the whole run at that moment.
 */
export interface ConcurrentRecord {
  /** Index of the event in scenario.concurrent. */
  event: number;
  op: ConcurrentOp;
  issued: { at: ConcurrentAt; attempt: number; faults: number };
  /**
   * null: the run ended (an oops, a livelock) while it still waited. `waited`: it needed mmap_lock
   * for write and waited for the driver side's release `after` (the kernel's name for it).
   */
  ran: { attempt: number; faults: number; waited: boolean; after: LockEvent['fn'] | null } | null;
}

export interface RunResult {
  status: RunStatus;
  /** Why the run stopped, when status is "livelock" or "oops". */
  reason: string | null;
  ret: number | null;
  errno: Errno | null;
  faults: FaultLog;
  restarts: number;
  attempts: number;
  /** Every call that returned, in order (a call stopped as a livelock or an oops has no entry). */
  calls: CallRecord[];
  /** Every invalidation that hit the range, in order, whoever handled or ignored it. */
  invalidations: InvalidationRecord[];
  /** Every concurrent event's issue, in issue order, and when it ran. */
  concurrent: ConcurrentRecord[];
  /** range->pfns / hmm_pfns after the run. */
  pfns: BigUint64Array;
  /** Per page: true where the entry still holds the caller's input (never written). */
  holdsInput: Uint8Array;
  /** Per page: the CPU page table after the run (CpuCode). */
  cpu: Uint8Array;
  /** Per page: the device page table after the run (index into DEVICE_STATES). */
  device: Uint8Array;
  /** Per page: physical frame number mapped by the CPU after the run, -1 if none. */
  cpuPfn: Int32Array;
}

/**
 * One step of the run. `fn` is the kernel function (or driver step) that takes it; `stack` is the
 * call stack at that point as kernel function names joined by " > ", outermost first, ending
 * with `fn`. Pages are relative to
 * range.start; spans are [from, to) with to exclusive. Hex words are "0x..." strings so the trace
 * prints as JSON unchanged.
 */
export type TraceEvent =
  | DriverStep
  | CallEnter
  | CallReturn
  | WalkStart
  | VmaTest
  | HoleEvent
  | PmdEvent
  | PteEvent
  | FaultEvent
  | FaultSpanEvent
  | RecordEvent
  | UnwindEvent
  | DoFaultEvent
  | FillEvent
  | InvalidateEvent
  | ConcurrentStep
  | LockEvent
  | ProgramEvent;

interface Base {
  stack: string;
  attempt: number;
  /**
   * What the event's sentence (trace/text.ts eventText: the narration, the event log) needs that
   * its fields do not say; absent where the fields say it all. The engine builds no sentence: a
   * run's thousands of events were built whether anyone read them or not.
   */
  say?: Say;
  /**
   * The kernel statement this step executes (statements.ts), set where the engine emits it; the
   * pseudocode panel highlights that statement's line. Absent on events the run itself emits
   * (handle_mm_fault, programming, concurrent CPU events), which the panel maps by type.
   */
  stmt?: Statement;
}

/**
 * The facts a sentence needs beyond its event's fields, set by the emitters that know them (see
 * trace/text.ts for what each one says): flags that tell a generation's sentence from another's,
 * the run's constants a sentence names, and values the event does not carry.
 */
export interface Say {
  /** The v5.2 (2019 API) wording of a sentence both generations say differently. */
  v52?: true;
  /** The kernel's name for mmap_lock: mmap_sem in the 2019 API. */
  lock?: 'mmap_sem' | 'mmap_lock';
  page?: number;
  /** Invalidations that ended, as "from-to" spans joined by ", ". */
  pages?: string;
  /** Which of a step's sentences (its meaning is the event's: see trace/text.ts). */
  k?: string;
  /** The unlocked call's pass (1-based) and its retry budget's clock. */
  pass?: number;
  jiffies?: number;
  deadline?: number;
  /** The deadline was set at this pass. */
  fresh?: boolean;
  /** hmm_range_fault_unlocked_timeout()'s timeout. */
  timeout?: number;
  /** The driver's attempts bound. */
  n?: number;
  /** The CPU state of a huge mapping. */
  state?: CpuState;
  /** The order a huge mapping is reported with. */
  order?: number;
  /** hmm_pfns_fill() kept the pages' sticky DMA bits. */
  kept?: true;
  /** The fault span ran to its end: the walk restarts at its first page. */
  restart?: true;
  /** A lasting invalidation: still in progress after its start. */
  lasts?: true;
  /** The errno a v5.2 driver starts again on, and who had released mmap_sem already. */
  errno?: '-EBUSY' | '-EAGAIN';
  dropped?: 'valid' | 'fault';
  /** What a v5.2 pte's request asks for ("snapshot": hmm_range_snapshot asks nothing). */
  asks?: 'snapshot' | 'read' | 'write' | 'nothing';
  /** After a migration entry is waited for: writable, a fork's copy, or read-only. */
  after?: 'rw' | 'cow' | 'other';
  writable?: boolean;
  /** A fatal signal is pending. */
  fatal?: true;
  /** 7.3's unlocked call (hmm_range_fault_locked, range.notifier_seq). */
  unlocked?: true;
  /** The old API's hmm_vma_fault() wrapper (hmm_vma_range_done). */
  wrapper?: true;
}

export interface DriverStep extends Base {
  type: 'driver';
  fn:
    | 'hmm_range_register'
    | 'hmm_range_wait_until_valid'
    | 'mmu_interval_read_begin'
    | 'mmap_read_lock'
    | 'driver_lock'
    | 'mmu_interval_read_retry'
    | 'mmu_interval_check_retry'
    | 'hmm_range_valid'
    // a "lasts" invalidation that ends at the end of the run, nobody waiting for it:
    | 'mmu_notifier_invalidate_range_end'
    | 'retry'
    | 'give_up'
    // 7.3's unlocked call and userfaultfd (hmm-semantics.md 10.3-10.4):
    | 'fault_unlocked'
    | 'retry_budget'
    | 'uffdio_copy'
    | 'userfault_sleeps';
  /** For read_begin / read_retry: the notifier sequence; for the valid checks: the answer. */
  value: number | boolean | null;
}

export interface CallEnter extends Base {
  type: 'call';
  fn: CallName;
}

export interface CallReturn extends Base {
  type: 'return';
  fn: CallName;
  ret: number;
  errno: Errno | null;
}

/** walk_page_range() from `from` (== last) to the range end; restart > 0 after -EBUSY. */
export interface WalkStart extends Base {
  type: 'walk';
  fn: 'walk_page_range';
  from: number;
  to: number;
  restart: number;
}

export interface VmaTest extends Base {
  type: 'vma';
  /** hmm_vma_fault / hmm_do_fault: a write fault refused in a vma without VM_WRITE (-EPERM). */
  fn: 'hmm_vma_walk_test' | 'find_vma' | 'hmm_vma_fault' | 'hmm_do_fault';
  from: number;
  to: number;
  ok: boolean;
  why: string;
}

export interface HoleEvent extends Base {
  type: 'hole';
  fn: 'hmm_vma_walk_hole' | 'hmm_vma_walk_hole_';
  from: number;
  to: number;
  /** Which page-table level is missing ("none" = no vma, "hugetlb" = no huge pte). */
  level: 'pgd' | 'p4d' | 'pud' | 'pmd' | 'novma' | 'hugetlb';
  /** 0 = nothing, 1 = fault, 3 = write fault (HMM_NEED_* bits). */
  need: number;
}

export interface PmdEvent extends Base {
  type: 'pmd';
  fn: 'hmm_vma_walk_pmd' | 'hmm_vma_handle_pmd' | 'hmm_vma_walk_hugetlb_entry' | 'hmm_vma_handle_absent_pmd';
  from: number;
  to: number;
  need: number;
}

/** hmm_vma_handle_pte / hmm_pte_need_fault for one page. */
export interface PteEvent extends Base {
  type: 'pte';
  fn: 'hmm_vma_handle_pte';
  page: number;
  /** pfns[i] as read (the caller's input, or what an earlier attempt left). */
  input: string;
  /** (input & pfn_flags_mask) | default_flags */
  req: string;
  /** CPU flags of the pte, in the output layout (VALID / WRITE bits). */
  cpuFlags: string;
  cpuState: CpuState;
  need: number;
  /** The word written to pfns[i], or null when the page goes on to a fault or an error return. */
  out: string | null;
  /** The branch hmm_pte_need_fault() took for this page, when it was called. */
  needStmt?: Statement;
}

export interface FaultEvent extends Base {
  type: 'fault';
  fn: 'handle_mm_fault';
  page: number;
  write: boolean;
  result: string;
  before: CpuState;
  after: CpuState;
  /** Short name of the kernel path taken (do_anonymous_page, wp_page_copy, ...). */
  path: string;
  /** The raw VM_FAULT_* word it returned ("0", "0x8", ...). */
  code: string;
}

/**
 * 7.x hmm_record_fault(): a callback found pages [from, to) that need a fault; it records them
 * (last, end, required_fault) and returns HMM_FAULT_PENDING so the walk unwinds first.
 */
export interface RecordEvent extends Base {
  type: 'record';
  fn: 'hmm_record_fault';
  from: number;
  to: number;
  need: number;
}

/** 7.x: walk_page_range() returned HMM_FAULT_PENDING; every page-table lock is released. */
export interface UnwindEvent extends Base {
  type: 'unwind';
  fn: 'walk_page_range';
  from: number;
  to: number;
}

/** 7.x hmm_do_fault(): the recorded span, faulted page by page after the walk unwound. */
export interface DoFaultEvent extends Base {
  type: 'dofault';
  fn: 'hmm_do_fault';
  from: number;
  to: number;
  write: boolean;
}

/**
 * A coarse trace's summary of one hmm_vma_fault span: `count` handle_mm_fault calls over pages
 * [from, to) (the full trace has one FaultEvent each instead).
 */
export interface FaultSpanEvent extends Base {
  type: 'faults';
  fn: 'hmm_vma_fault' | 'hmm_vma_walk_hole_' | 'hmm_do_fault';
  from: number;
  to: number;
  write: boolean;
  count: number;
  /** The result of the last fault ("ok" or a VM_FAULT_* error). */
  result: string;
}

/** Entries [from, to) set: to one word (value) or, with pfnStep, to consecutive pfns. */
export interface FillEvent extends Base {
  type: 'fill';
  fn: string;
  from: number;
  to: number;
  value: string;
  /** When true, page from+k gets value + k (a huge mapping's consecutive pfns). */
  pfnStep: boolean;
}

/** What every mmu_notifier_invalidate_range_start() event says, in every generation. */
interface InvalidateFields extends Base {
  type: 'invalidate';
  fn: 'mmu_notifier_invalidate_range_start';
  /** Pages [from, to) relative to range.start (may reach outside the range). */
  from: number;
  to: number;
  event: 'CLEAR' | 'UNMAP' | 'PROTECTION_VMA' | 'PROTECTION_PAGE' | 'MIGRATE' | 'SOFT_DIRTY' | 'RELEASE';
  /** The driver's callback skipped it (its own migration). */
  ignored: boolean;
  /** Device entries the callback erased (range pages). */
  erased: number;
}

/**
 * 5.8+: the interval notifier's callback took it. `seq` is the interval's sequence
 * (sub->invalidate_seq) after the callback, which the driver's next mmu_interval_read_retry
 * compares with its notifier_seq.
 */
export interface IntervalInvalidateEvent extends InvalidateFields {
  seq: number;
}

/** v5.2: hmm_mirror's callback took it; the driver reads range->valid, there is no sequence. */
export interface RangeInvalidateEvent extends InvalidateFields {
  seq?: undefined;
}

/** An invalidation start, told apart by `seq`: a number exactly when it is 5.8+'s. */
export type InvalidateEvent = IntervalInvalidateEvent | RangeInvalidateEvent;

export interface ConcurrentStep extends Base {
  type: 'concurrent';
  fn: ConcurrentOp;
  from: number;
  to: number;
  /**
   * "runs": the op changes the page tables now (issued now, or after waiting); "waits": issued
   * now, but it needs mmap_lock for write while the driver side holds it for read.
   */
  phase: 'runs' | 'waits';
  /** For "runs": it was issued earlier and waited for mmap_lock. */
  waited: boolean;
}

/** Who holds mmap_lock (mmap_sem in v5.2): the driver side for read, or nobody. */
export type MmapLockHolder = 'driver' | null;

/**
 * The driver side takes or releases mmap_lock for read, under the kernel's name for the call
 * (v5.2: down_read / up_read on mmap_sem; a fault that returns VM_FAULT_RETRY has released it).
 */
export interface LockEvent extends Base {
  type: 'lock';
  fn:
    | 'down_read'
    | 'up_read'
    | 'mmap_read_lock'
    | 'mmap_read_lock_killable'
    | 'mmap_read_unlock'
    | 'fault_dropped_lock';
  /** The holder after this event. */
  holder: MmapLockHolder;
  /** Write-locked ops still waiting after this event, in issue order. */
  waiting: ConcurrentOp[];
}

/** The driver programs (or clears) the device page table for [from, to). */
export interface ProgramEvent extends Base {
  type: 'program';
  fn: 'program_device';
  from: number;
  to: number;
}

/** A CPU page-table change is carried by the event that made it. */
export interface CpuChange {
  page: number;
  state: CpuState;
}

export interface RunOptions {
  /**
   * "full": every step; "coarse": driver steps, faults, restarts, invalidations and the final
   * state only (used for large ranges, so the cost stays linear). Default: full up to 4096 pages.
   */
  trace?: 'full' | 'coarse' | 'none';
  /**
   * The caller hands the scenario's `requests`, `device` and `cpu` arrays over to the run: the
   * result's `pfns` and `device` are those same arrays, written in place, instead of copies (8 MB
   * and 1 MB less to allocate at a million pages), and so is its `cpu` when the range is whole
   * 2 MiB blocks (the CPU page table's own layout; 1 MB). Only for a caller that drops the
   * scenario after the run: the worker, whose scenario is its own structured-clone copy. Default
   * false.
   */
  takeInputs?: boolean;
}

/** What engine.run returns. Each trace event's effects are in `effects` at the same index. */
export interface Run {
  result: RunResult;
  trace: TraceEvent[];
  /** Per trace event, the state changes it made, so a player can replay to any cursor. */
  effects: Effect[][];
}

export type Effect =
  | { kind: 'pfn'; page: number; value: string; input: boolean }
  | { kind: 'pfnFill'; from: number; to: number; value: string; step: boolean }
  | { kind: 'cpu'; page: number; state: CpuState }
  | { kind: 'device'; from: number; to: number; state: DeviceState }
  /**
   * The driver programmed the device: `states` holds the table as programmed, one entry per page
   * from `from` (0 none, 1 ro, 2 rw), as bytes (a million-page table as a string of digits cost
   * more to build than programming it).
   */
  | { kind: 'deviceSet'; from: number; states: Uint8Array };
