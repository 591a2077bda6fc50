/**
 * Every trace event's sentence, written once: the narration (aria-live), the event log, the stage
 * export, the compare view and the predict reasons show them, and `npm run sim -- --trace` prints
 * them as each event's "text". The engine records events without building their sentences (a
 * 4096-page run's thousands of sentences were built, and posted from the worker, whether anyone
 * read them or not); a sentence is a pure function of its event: its fields, and `say` for what
 * the fields do not tell (types.ts Say). Only the events shown ask for theirs, each once.
 */
import { VM_FAULT_ERROR, vmFaultNames } from '../mm/faultBits.ts';
import { NEED_FAULT, NEED_WRITE_FAULT, V6 } from '../hmm/words.ts';
import type {
  ConcurrentStep,
  DriverStep,
  FillEvent,
  HoleEvent,
  InvalidateEvent,
  LockEvent,
  PmdEvent,
  PteEvent,
  Say,
  TraceEvent,
  WalkStart,
} from '../types.ts';

const NONE: Say = {};

const span = (from: number, to: number): string => `${from}-${to - 1}`;
const rw = (need: number): string => (need & NEED_WRITE_FAULT ? 'write' : 'read');
const entries = (n: number): string => `${n} device entr${n === 1 ? 'y' : 'ies'}`;

const made = new WeakMap<TraceEvent, string>();

/** The event's sentence (made once per event, then kept while the event lives). */
export function eventText(ev: TraceEvent): string {
  let t = made.get(ev);
  if (t === undefined) {
    t = sentence(ev);
    made.set(ev, t);
  }
  return t;
}

function sentence(ev: TraceEvent): string {
  const s = ev.say ?? NONE;
  switch (ev.type) {
    case 'driver':
      return driverText(ev, s);
    case 'call':
      if (ev.fn === 'hmm_range_fault_unlocked_timeout') {
        const t = s.timeout ?? 0;
        return `Attempt ${ev.attempt}: the driver calls hmm_range_fault_unlocked_timeout(&range, ${t}) without holding mmap_lock${
          t === 0 ? ' (timeout 0: retry for ever)' : ` (a retry budget of ${t} jiffies)`
        }.`;
      }
      return s.v52 ? `The driver calls ${ev.fn}().` : 'The driver calls hmm_range_fault(&range).';
    case 'return':
      return `${ev.fn} returns ${ev.errno ? `-${ev.errno}` : ev.ret}.`;
    case 'walk':
      return walkText(ev, s);
    case 'vma':
      if (ev.fn === 'hmm_vma_walk_test')
        return ev.stmt === 'test.efault'
          ? `Pages ${span(ev.from, ev.to)} lie in ${ev.why} and one of them asks for a fault: -EFAULT.`
          : `Pages ${span(ev.from, ev.to)} lie in ${ev.why}; none asks for a fault, so they are reported as HMM_PFN_ERROR.`;
      if (ev.fn === 'find_vma')
        return ev.stmt === 'find_vma.eperm'
          ? `The vma at page ${s.page} has no VM_READ: every entry of the range is set to values[NONE], -EPERM.`
          : `find_vma(page ${ev.from}) finds ${
              ev.why === NO_VMA ? 'no vma' : 'a device vma (VM_IO / VM_PFNMAP / VM_MIXEDMAP)'
            }: -EFAULT.`;
      return `A write fault is needed at page ${ev.from} but its vma has no VM_WRITE: -EPERM.`;
    case 'hole':
      return holeText(ev, s);
    case 'pmd':
      return pmdText(ev, s);
    case 'pte':
      return pteText(ev, s);
    case 'fault': {
      const code = Number(ev.code);
      return `handle_mm_fault(page ${ev.page}, ${ev.write ? 'FAULT_FLAG_WRITE' : 'read'}): ${ev.path}; it returns ${vmFaultNames(
        code,
      )}${code === 0 ? '' : ` (${ev.code})`}${code & VM_FAULT_ERROR ? ', an error' : ''}.`;
    }
    case 'faults':
      return `handle_mm_fault × ${ev.count} (${ev.write ? 'write' : 'read'}) over pages ${span(ev.from, ev.to)}${
        ev.result === 'ok' ? '' : `, the last one ${ev.result}`
      }.`;
    case 'record':
      return `hmm_record_fault(): pages ${span(ev.from, ev.to)} need a ${rw(
        ev.need,
      )} fault; it records last, end and required_fault and returns HMM_FAULT_PENDING, so the walk unwinds first.`;
    case 'unwind':
      return 'walk_page_range() returns HMM_FAULT_PENDING: the walk has unwound (pte unmapped, page-table locks dropped) before any fault.';
    case 'dofault':
      return `hmm_do_fault(): ${ev.write ? 'write' : 'read'}-fault pages ${span(
        ev.from,
        ev.to,
      )} one by one, then walk again from last = page ${ev.from}.`;
    case 'fill':
      return fillText(ev, s);
    case 'invalidate':
      return invalidateText(ev, s);
    case 'concurrent':
      return concurrentText(ev, s);
    case 'lock':
      return lockText(ev, s);
    case 'program':
      return PROGRAM[s.k ?? 'loop'] ?? '';
  }
}

/** find_vma() found nothing at or after the address (a VmaTest's `why`). */
export const NO_VMA = 'no vma at or after this address';

function driverText(ev: DriverStep, s: Say): string {
  switch (ev.fn) {
    case 'hmm_range_register':
      return 'Attempt 1: hmm_range_register(); no invalidation is in progress, so range->valid is true.';
    case 'hmm_range_wait_until_valid':
      return `${
        ev.stmt === 'wrapper' ? 'The wrapper: ' : 'Before it starts again, '
      }hmm_range_wait_until_valid() waits for the invalidation in progress to end: invalidate_range_end() sets range->valid true again (pages ${s.pages}).`;
    case 'mmu_notifier_invalidate_range_end':
      return `The CPU thread’s invalidation ends: mmu_notifier_invalidate_range_end() (pages ${s.pages}).`;
    case 'mmu_interval_read_begin':
      if (s.pages !== undefined)
        return `mmu_interval_read_begin() waits for the invalidation in progress to end: mmu_notifier_invalidate_range_end() (pages ${s.pages}).`;
      if (s.pass !== undefined)
        return `Pass ${s.pass}: range->notifier_seq = mmu_interval_read_begin() = ${ev.value}${
          s.jiffies !== undefined
            ? `; jiffies ${s.jiffies}, deadline ${s.deadline}${s.fresh ? ' (set now)' : ''}`
            : ''
        }.`;
      return `Attempt ${ev.attempt}: mmu_interval_read_begin() returns sequence ${ev.value}.`;
    case 'driver_lock':
      return s.v52
        ? 'The driver takes the lock its sync_cpu_device_pagetables() takes.'
        : 'The driver takes its lock (the one its invalidate callback takes).';
    case 'mmu_interval_read_retry':
      if (s.unlocked)
        return ev.value
          ? 'mmu_interval_read_retry(range.notifier_seq): an invalidation ran since the last pass began, so the result may be stale: unlock and call again.'
          : 'mmu_interval_read_retry(range.notifier_seq): no invalidation since the last pass began, the result is good.';
      return ev.value
        ? 'mmu_interval_read_retry(): an invalidation ran since read_begin, so the result may be stale: unlock and retry.'
        : 'mmu_interval_read_retry(): no invalidation since read_begin, the result is good.';
    case 'mmu_interval_check_retry':
      return `mmu_interval_check_retry(): an invalidation ran since read_begin, so ${
        s.unlocked ? 'hmm_range_fault_locked' : 'hmm_range_fault'
      } returns -EBUSY.`;
    case 'hmm_range_valid':
      if (ev.stmt === 'valid.false')
        return s.k === 'snapshot'
          ? 'range->valid is false: hmm_range_snapshot returns -EAGAIN (mmap_sem still held).'
          : 'range->valid is false at the top of the vma loop: an invalidation is in progress.';
      return ev.value
        ? `${s.wrapper ? 'hmm_vma_range_done()' : 'hmm_range_valid()'} is true: program the device.`
        : 'range->valid is false: unlock and retry.';
    case 'retry':
      if (s.errno === undefined) return '-EBUSY: the driver starts again from mmu_interval_read_begin().';
      return s.dropped
        ? `${s.errno}: ${
            s.dropped === 'valid'
              ? 'hmm_range_fault found range->valid false and released mmap_sem itself'
              : 'a fault returned VM_FAULT_RETRY and released mmap_sem already'
          }, so the driver does not up_read; it starts again.`
        : `${s.errno}: the driver starts again.`;
    case 'give_up':
      return s.k === 'attempts'
        ? `The driver gives up after ${s.n} attempts: -EBUSY.`
        : (GIVE_UP[s.k ?? ''] ?? '');
    case 'fault_unlocked':
      return s.fatal
        ? 'hmm_do_fault() returns HMM_FAULT_UNLOCKED and a fatal signal is pending: -EINTR, with mmap_lock already released.'
        : 'hmm_do_fault() returns HMM_FAULT_UNLOCKED: the pass ends with -EBUSY and locked = false; the next pass walks again from range->start.';
    case 'retry_budget':
      return `time_after(jiffies ${s.jiffies}, deadline ${s.deadline}): the retry budget is spent; unlock and return -EBUSY without walking.`;
    case 'uffdio_copy':
      if (!ev.value)
        return `The handler's UFFDIO_COPY at page ${s.page} fails with -ENOENT: the vma is gone. It wakes nobody, and the selftest's handler thread exits on the error.`;
      return s.k === 'copied'
        ? `The handler's UFFDIO_COPY installs a new dirty page at page ${s.page} (${
            s.writable ? 'writable: the vma has VM_WRITE' : 'read-only: the vma has no VM_WRITE'
          }) and wakes the faulter.`
        : `The handler's UFFDIO_COPY finds page ${s.page} already mapped (-EEXIST); the faulter is woken all the same.`;
    case 'userfault_sleeps':
      return s.fatal
        ? 'A fatal signal is pending: the killable sleep ends at once and the fault returns VM_FAULT_RETRY.'
        : `The faulter sleeps in handle_userfault() for ever: nobody will resolve page ${s.page} (munmap does not wake it), and no fatal signal is pending.`;
    default:
      return '';
  }
}

/** give_up's sentences (`say.k`), besides the attempts bound. */
const GIVE_UP: Record<string, string> = {
  bare: 'A single bare call, and it failed: the driver programs nothing.',
  v52: 'The call failed: the driver programs nothing.',
  modern: 'hmm_range_fault failed: the driver programs nothing.',
  busy: '-EBUSY is final here: the call has already retried until its budget ran out. The driver programs nothing.',
  unlocked: 'hmm_range_fault_unlocked_timeout failed: the driver programs nothing.',
};

/** program_device's sentences (`say.k`; "loop" when absent). */
const PROGRAM: Record<string, string> = {
  'bare-v52': 'A single bare call: the device is programmed from the entries HMM wrote.',
  'loop-v52':
    'The driver programs the device page table from range->pfns, unregisters the range and unlocks.',
  bare: 'A single bare call: the device is programmed from what it returned.',
  loop: 'The driver programs the device page table from hmm_pfns and unlocks.',
};

function walkText(ev: WalkStart, s: Say): string {
  if (s.pass !== undefined)
    return `Pass ${s.pass}: the walk starts again at range->start (page 0): mmap_lock was dropped, so nothing the last pass saw is trusted.`;
  if (ev.restart === 0) return `walk_page_range() over pages ${span(ev.from, ev.to)}.`;
  return s.v52
    ? `The walk restarts at last = page ${ev.from}.`
    : `The walk restarts at last = page ${ev.from}: pages before it already hold their output.`;
}

function holeText(ev: HoleEvent, s: Say): string {
  const pages = span(ev.from, ev.to);
  const level = ev.level === 'hugetlb' ? 'huge pte table' : ev.level + ' entry';
  if (s.v52) {
    const fault = (ev.need & NEED_FAULT) !== 0;
    return ev.level === 'novma'
      ? `Pages ${pages} are in no vma (walk->vma is NULL)${fault ? ': a fault is asked for, and handle_mm_fault will get a NULL vma' : ': values[NONE]'}.`
      : `Pages ${pages} are a hole (no ${level})${fault ? `: ${rw(ev.need)}-fault all of them` : ': values[NONE]'}.`;
  }
  return ev.level === 'novma'
    ? `Pages ${pages} are in no vma${ev.need ? ' and one asks for a fault: -EFAULT' : ': HMM_PFN_ERROR'}.`
    : `Pages ${pages} are a hole (no ${level})${
        ev.need
          ? `: the need is taken over the whole hole, ${rw(ev.need)}-fault it`
          : ': nothing asked, report 0'
      }.`;
}

function pmdText(ev: PmdEvent, s: Say): string {
  const pages = span(ev.from, ev.to);
  switch (ev.fn) {
    case 'hmm_vma_handle_absent_pmd':
      return ev.stmt === 'absent.own'
        ? `Pages ${pages} are this device's own device-private THP: reported page by page, order 9, never faulted.`
        : `Pages ${pages} are another device's device-private THP${
            ev.need
              ? ': asked for, so fault them (migrate the block back to RAM)'
              : ': not asked for, HMM_PFN_ERROR'
          }.`;
    case 'hmm_vma_walk_hugetlb_entry':
      return `Pages ${pages} are one hugetlb page (${s.state}); only page ${ev.from}'s request counts${
        s.v52 || !ev.need ? '' : `: ${rw(ev.need)}-fault them`
      }.`;
    default:
      if (s.v52)
        return `Pages ${pages} are mapped by one huge pmd (${s.state})${ev.need & NEED_FAULT ? ': fault them all' : ''}.`;
      return `Pages ${pages} are mapped by one huge pmd (${s.state})${
        ev.need ? `: the need is taken over all of them, ${rw(ev.need)}-fault them` : ''
      }.`;
  }
}

const ASKS: Record<NonNullable<Say['asks']>, string> = {
  snapshot: 'snapshot',
  read: 'asks for read',
  write: 'asks for write',
  nothing: 'asks for nothing',
};

/** Why a v5.2 pte that needs no fault is not reported from its pfn, by its statement. */
function why52(ev: PteEvent): string {
  switch (ev.stmt) {
    case 'pte.swap':
      return 'a swap entry: v5.2 never computes its need, so it is never faulted (values[NONE])';
    case 'pte.migration':
      return 'a migration entry: never waited for in v5.2 (values[NONE])';
    case 'pte.error':
      return 'not a swap, device or migration entry: values[ERROR], -EFAULT';
    case 'pte.special':
      return `${ev.cpuState === 'zero' ? 'the zero page is' : 'a special pte is'} reported as values[SPECIAL], and the walk stops with -EFAULT`;
    default:
      return `no fault, output ${ev.out}`;
  }
}

/** Why a 6.x / 7.x pte goes no further, by its statement; '' when it does (fault or output). */
function whyModern(ev: PteEvent, s: Say): string {
  switch (ev.stmt) {
    case 'pte.migration':
      return s.after === 'rw'
        ? 'a writable migration entry: wait for it (remove_migration_pte restores write access), then restart the walk here'
        : s.after === 'cow'
          ? 'a migration entry fork copied: wait for it (the page comes back shared with the child, read-only), then restart the walk here'
          : 'a migration entry: wait for it, then restart the walk here';
    case 'pte.marker':
      return 'a guard marker cannot be faulted in: -EFAULT, no handle_mm_fault';
    case 'pte.special.efault':
    case 'pte.error':
      return 'cannot be made valid: -EFAULT';
    default:
      return '';
  }
}

function pteText(ev: PteEvent, s: Say): string {
  const head = `Page ${ev.page} (${ev.cpuState})`;
  if (s.asks !== undefined) {
    const asks = ASKS[s.asks];
    return ev.out === null
      ? `${head} ${asks}: ${rw(ev.need)} fault from here to the end of the chunk, resetting each entry to values[NONE] first.`
      : `${head} ${asks}: ${why52(ev)}.`;
  }
  // The request's high half (every v5.8+ layout keeps REQ_FAULT and REQ_WRITE there).
  const reqHi = Number(BigInt(ev.req) >> 32n) | 0;
  const asks =
    reqHi & V6.REQ_FAULT ? (reqHi & V6.REQ_WRITE ? 'asks for write' : 'asks for read') : 'asks for nothing';
  const why = whyModern(ev, s);
  return why
    ? `${head} ${asks}: ${why}.`
    : ev.need
      ? `${head} ${asks}: ${rw(ev.need)} fault from here to the end of the chunk.`
      : `${head} ${asks}: no fault, output ${ev.out}.`;
}

function fillText(ev: FillEvent, s: Say): string {
  const pages = span(ev.from, ev.to);
  if (ev.fn === 'hmm_vma_walk_hole_')
    return ev.stmt === 'hole_.none'
      ? `Pages ${pages} set to values[NONE].`
      : `Pages ${pages} were faulted; each entry was reset to values[NONE] first${
          s.restart ? `, and the walk restarts at page ${ev.from}` : ''
        }.`;
  if (ev.fn.endsWith(': hmm_pfns_clear')) return `hmm_pfns_clear(): pages ${pages} set to values[NONE].`;
  if (ev.pfnStep)
    return s.order === undefined
      ? `Pages ${pages} reported from one huge mapping.`
      : `Pages ${pages} reported from one huge mapping, order ${s.order}.`;
  return `hmm_pfns_fill(): pages ${pages} set to ${ev.value === '0x0' ? '0 (nothing mapped)' : 'HMM_PFN_ERROR'}${
    s.kept ? ', keeping their sticky DMA bits' : ''
  }.`;
}

function invalidateText(ev: InvalidateEvent, s: Say): string {
  const pages = span(ev.from, ev.to);
  if (ev.seq === undefined)
    return `Invalidation of pages ${pages}: range->valid goes false, sync_cpu_device_pagetables() erases ${entries(ev.erased)}, ${
      s.lasts
        ? 'and the invalidation is still in progress: range->valid stays false until it ends'
        : 'and valid is true again when it ends'
    }.`;
  return ev.ignored
    ? `Invalidation (MMU_NOTIFY_${ev.event}) of pages ${pages}: this device's own migration, the driver ignores it.`
    : `Invalidation (MMU_NOTIFY_${ev.event}) of pages ${pages}: the driver records its cur_seq (mmu_interval_set_seq)${
        ev.erased ? ` and erases ${entries(ev.erased)}` : ''
      }.`;
}

function concurrentText(ev: ConcurrentStep, s: Say): string {
  const pages = span(ev.from, ev.to);
  if (ev.phase === 'waits')
    return `Meanwhile on the CPU: ${ev.fn} of pages ${pages} is issued, and waits: it needs ${s.lock} for write and the driver holds it for read.`;
  return ev.waited
    ? `The driver side released ${s.lock}: the waiting ${ev.fn} of pages ${pages} runs now.`
    : `Meanwhile on the CPU: ${ev.fn} of pages ${pages}.`;
}

/** Why the v5.2 driver's up_read (`say.k`). */
const UP_READ: Record<string, string> = {
  done: 'the driver is done.',
  again: 'before the driver starts again.',
  give_up: 'the driver gives up.',
  programmed: 'the device is programmed.',
};

function lockText(ev: LockEvent, s: Say): string {
  switch (ev.fn) {
    case 'down_read':
      return ev.attempt === 1
        ? 'The driver takes mmap_sem for read: down_read(&mm->mmap_sem).'
        : `Attempt ${ev.attempt}: back at again:, the range still registered: down_read(&mm->mmap_sem).`;
    case 'up_read':
      return s.k === undefined
        ? 'range->valid is false: hmm_range_fault releases mmap_sem itself, up_read(&hmm->mm->mmap_sem), and returns -EAGAIN.'
        : `up_read(&mm->mmap_sem): ${UP_READ[s.k]}`;
    case 'mmap_read_lock':
      return 'The driver takes mmap_lock for read: mmap_read_lock(mm).';
    case 'mmap_read_unlock':
      return s.pass !== undefined
        ? `mmap_read_unlock(mm): pass ${s.pass} is over.`
        : s.k === 'budget'
          ? 'mmap_read_unlock(mm): the budget is spent.'
          : 'The driver releases mmap_lock: mmap_read_unlock(mm).';
    case 'mmap_read_lock_killable':
      return 'mmap_read_lock_killable(mm): the call takes mmap_lock for read itself.';
    case 'fault_dropped_lock':
      return `handle_userfault(): page ${s.page} is missing in a userfaultfd-registered vma; the fault queues a message for the handler and releases ${s.lock} while it waits.`;
  }
}

/**
 * An event as the output form prints it (`npm run sim -- --trace`): its sentence as "text" where
 * the engine's events had it (before "stack"; a lock event's after "waiting"), without `say`.
 */
export function outputEvent(ev: TraceEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const after = ev.type === 'lock' ? 'waiting' : null;
  let told = false;
  for (const [k, v] of Object.entries(ev)) {
    if (k === 'say') continue;
    if (!told && after === null && k === 'stack') {
      out.text = eventText(ev);
      told = true;
    }
    out[k] = v;
    if (!told && k === after) {
      out.text = eventText(ev);
      told = true;
    }
  }
  if (!told) out.text = eventText(ev);
  return out;
}
