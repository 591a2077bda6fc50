import { GENERATIONS, generation, type Kernel } from '../../engine/kernels/registry.ts';
import type { Pseudocode } from '../../engine/kernels/generation.ts';
import type { CpuState, TraceEvent } from '../../engine/types.ts';

/**
 * The pseudocode listing of each kernel generation, parsed for display. The text is the
 * generation module's (src/engine/kernels/listings/): lines that may carry a statement id (the
 * ⟦...⟧ marker at their end); `lineFor` maps a trace event to the line it executes.
 */

export interface CodeLine {
  id: string | null;
  text: string;
  /** The function this line belongs to (its header's name), for the fallback mapping. */
  fn: string | null;
}

export interface Listing {
  kernel: Kernel;
  /** The kernel version the listing models, stated in the panel. */
  models: string;
  lines: CodeLine[];
  /** Per CPU state, a pte decision's statement when it is not the default. */
  pteStatements: Partial<Record<CpuState, string>>;
}

const HEADER = /^(?:static\s+)?(?:int|long|void|bool|unsigned int)\s+(\w+)\(/;

function parse(kernel: Kernel, code: Pseudocode, src: string): Listing {
  let fn: string | null = null;
  const lines = src
    .replace(/^\n/, '')
    .replace(/\n$/, '')
    .split('\n')
    .map((raw): CodeLine => {
      const m = /\s*⟦([\w.]+)⟧\s*$/.exec(raw);
      const text = m ? raw.slice(0, m.index).replace(/\s+$/, '') : raw;
      const h = HEADER.exec(text);
      if (h) fn = h[1];
      else if (text.startsWith('/*') || text.startsWith('again:') || text.startsWith('munmap')) fn = null;
      return { id: m ? m[1] : null, text, fn };
    });
  return { kernel, models: code.models, lines, pteStatements: code.pteStatements ?? {} };
}

const loaded = new Map<Kernel, Promise<Listing>>();

/**
 * A kernel's listing, parsed: its text is loaded the first time it is asked for (only this
 * panel needs it, so the first paint does not wait for four kernels' code).
 */
export function loadListing(kernel: Kernel): Promise<Listing> {
  let p = loaded.get(kernel);
  if (!p) {
    const code = generation(kernel).pseudocode;
    p = code.source().then((src) => parse(kernel, code, src));
    loaded.set(kernel, p);
  }
  return p;
}

/** Every kernel's listing (the tests check each against the engine's trace). */
export const loadListings = (): Promise<Listing[]> => Promise.all(GENERATIONS.map((g) => loadListing(g.id)));

/** The ids a trace event may highlight, best first. */
function candidates(listing: Listing, e: TraceEvent): string[] {
  switch (e.type) {
    case 'driver':
      return [`drv.${e.fn}`];
    case 'call':
      return e.fn === 'hmm_vma_fault' ? ['wrapper'] : ['drv.call', 'call'];
    case 'return':
      if (e.fn === 'hmm_vma_fault') return ['wrapper.return'];
      if (e.fn === 'hmm_range_fault_unlocked_timeout') return ['return'];
      return e.errno ? ['return.err', 'return.busy', 'return'] : ['return'];
    case 'walk':
      return e.restart > 0 ? ['restart', 'walk'] : ['walk'];
    case 'vma':
      return e.fn === 'find_vma' ? ['find_vma'] : e.ok ? ['test'] : ['test.fill', 'test'];
    case 'hole':
      return e.fn === 'hmm_vma_walk_hole_' ? ['hole_'] : ['hole'];
    case 'pmd':
      if (e.fn === 'hmm_vma_handle_absent_pmd') return ['absent_pmd', 'absent'];
      return e.fn === 'hmm_vma_handle_pmd' ? ['handle_pmd'] : e.fn === 'hmm_vma_walk_pmd' ? ['pmd'] : [e.fn];
    case 'pte': {
      if (e.need > 0) return ['pte.fault', 'pte.goto'];
      if (e.cpuState === 'guard') return ['pte.marker', 'pte.none'];
      const byState: Partial<Record<string, string>> = {
        none: 'pte.none',
        swap: 'pte.swap',
        migration: 'pte.swap',
        devpriv: 'pte.devpriv',
        'devpriv-rw': 'pte.devpriv',
        hwpoison: 'pte.error',
        special: 'pte.special',
        'uffd-wp': 'pte.none',
        zero: 'pte.out',
        ...listing.pteStatements,
      };
      return [byState[e.cpuState] ?? 'pte.out', 'pte.out'];
    }
    case 'fault':
    case 'faults':
      if (e.type === 'fault' && e.result === 'RETRY') return ['fault.retry', 'fault'];
      return e.type === 'fault' && e.result !== 'ok' ? ['fault.err', 'fault'] : ['fault'];
    case 'record':
      return ['record', 'pte.fault'];
    case 'unwind':
      return ['unwind', 'walk'];
    case 'dofault':
      return ['do_fault', 'dofault'];
    case 'fill':
      // The engine names a fill after the function that makes it ("caller: helper" at times).
      if (e.fn.includes('hmm_pfns_clear')) return ['clear', 'eperm'];
      if (e.fn === 'hmm_vma_walk_hole_') return ['hole_.none'];
      if (e.fn === 'hmm_vma_walk_hole') return ['hmm_pfns_fill'];
      if (e.fn === 'hmm_vma_walk_test') return ['test.fill'];
      if (e.fn === 'hmm_vma_handle_pmd') return ['handle_pmd'];
      if (e.fn === 'hmm_vma_handle_absent_pmd') return e.pfnStep ? ['absent.own'] : ['absent.error'];
      return [e.fn];
    case 'invalidate':
      return ['inval'];
    case 'concurrent':
      return ['concurrent'];
    case 'lock':
      return [`drv.${e.fn}`];
    case 'program':
      return ['drv.program'];
  }
}

/**
 * 7.3's unlocked call has its own driver loop and outer loop: its steps (the stack starts in
 * its driver, dmirror_range_fault_unlocked) try that block's ids ("u." + id) first.
 */
const UNLOCKED_DRIVER = 'dmirror_range_fault_unlocked';

/** Index of the listing line the event executes, or -1. */
export function lineFor(listing: Listing, e: TraceEvent | null): number {
  if (!e) return -1;
  const ids = candidates(listing, e);
  const own = e.stack.startsWith(UNLOCKED_DRIVER) ? ids.map((id) => `u.${id}`) : [];
  for (const id of [...own, ...ids]) {
    const i = listing.lines.findIndex((l) => l.id === id);
    if (i >= 0) return i;
  }
  // Fall back to the header of the function the event is named after.
  return listing.lines.findIndex((l) => l.fn === e.fn && HEADER.test(l.text));
}
