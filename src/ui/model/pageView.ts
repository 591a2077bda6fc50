import { shallow } from 'zustand/shallow';
import type { Run, Scenario, TraceEvent } from '../../engine/types.ts';
import { CPU_STATES, DEVICE_STATES } from '../../engine/types.ts';
import type { PageState } from '../../state/derived.ts';
import { lastPteIndex, wordBefore } from '../../state/derived.ts';
import { decodeWord, effectivePolicy, effectiveRequest, hexShort, requestFlags } from './bits.ts';

/** Everything one stage column shows for one page at the cursor. */
export interface PageView {
  page: number;
  cpu: (typeof CPU_STATES)[number];
  device: (typeof DEVICE_STATES)[number];
  /** The input word the walk reads (the caller's, or what an earlier attempt left). */
  input: bigint;
  /** True when `input` came from an earlier attempt's output rather than the caller. */
  inputFromEarlier: boolean;
  masked: bigint;
  request: bigint;
  /** The decision of this page's latest visit, or null when the walk has not reached it. */
  need: { need: number; earlier: boolean } | null;
  /** Whether the page's vma grants VM_READ at this step (a protnone pte is a NUMA hint only then). */
  vmaReadable: boolean;
  /** The output entry, or null while the entry still holds the input. */
  out: {
    word: bigint;
    text: string;
    detail: string;
    tone: 'valid' | 'write' | 'none' | 'error' | 'special';
  } | null;
}

/**
 * The decisions the walk has taken per page in the current attempt, latest first: pte visits
 * decide for one page, holes and huge entries for their whole span. `earlier` marks a decision
 * taken before the latest restart of the walk.
 */
export function decisions(
  run: Run | null,
  cursor: number,
  from: number,
  to: number,
): Map<number, { need: number; earlier: boolean }> {
  const out = new Map<number, { need: number; earlier: boolean }>();
  if (!run || cursor <= 0) return out;
  let earlier = false;
  for (let i = Math.min(cursor, run.trace.length) - 1; i >= 0; i--) {
    const e: TraceEvent = run.trace[i];
    if (e.type === 'call') break; // decisions of an earlier attempt no longer apply
    if (e.type === 'walk') {
      earlier = true;
      continue;
    }
    if (e.type === 'pte') {
      if (e.page >= from && e.page < to && !out.has(e.page)) out.set(e.page, { need: e.need, earlier });
    } else if (e.type === 'hole' || e.type === 'pmd') {
      for (let p = Math.max(from, e.from); p < Math.min(to, e.to); p++)
        if (!out.has(p)) out.set(p, { need: e.need, earlier });
    }
    if (out.size >= to - from) break;
  }
  return out;
}

/**
 * Whether a page's vma grants VM_READ at the cursor: the scenario's vma, less what an
 * mprotect(PROT_NONE) or a munmap of the run has taken away by then.
 */
export function readableVmas(s: Scenario, run: Run | null, cursor: number): (page: number) => boolean {
  const lost: [number, number][] = [];
  if (run)
    for (let i = 0; i < Math.min(cursor, run.trace.length); i++) {
      const e = run.trace[i];
      if (e.type === 'concurrent' && (e.fn === 'mprotect-none' || e.fn === 'munmap'))
        lost.push([e.from, e.to]);
    }
  return (page) =>
    s.vmas.some((v) => page >= v.from && page < v.from + v.pages && v.prot.includes('r')) &&
    !lost.some(([a, b]) => page >= a && page < b);
}

export function pageViews(
  s: Scenario,
  run: Run | null,
  cursor: number,
  st: PageState,
  from: number,
  to: number,
): PageView[] {
  const flags = requestFlags(s);
  const dec = decisions(run, cursor, from, to);
  const policy = effectivePolicy(s);
  const readable = readableVmas(s, run, cursor);
  const out: PageView[] = [];
  for (let p = from; p < to; p++) {
    let input = s.requests[p];
    let inputFromEarlier = false;
    if (run && cursor > 0) {
      // What the walk read at its latest visit: an earlier attempt may have left an output there.
      const at = lastPteIndex(run, cursor, p);
      if (at >= 0) {
        const read = wordBefore(s, run, at, p);
        if (read !== input) {
          input = read;
          inputFromEarlier = true;
        }
      }
    }
    const request = effectiveRequest(input, policy.mask, policy.defaults);
    out.push({
      page: p,
      cpu: CPU_STATES[st.cpu[p]],
      device: DEVICE_STATES[st.device[p]],
      input,
      inputFromEarlier,
      masked: input & policy.mask,
      request,
      need: dec.get(p) ?? null,
      vmaReadable: readable(p),
      out: st.holdsInput[p] ? null : describeOutput(s, st.pfns[p], flags.WRITE),
    });
  }
  return out;
}

/** Letters of 7.x's sticky DMA bits (DMA_MAPPED, P2PDMA, P2PDMA_BUS) in an output cell. */
const STICKY_SHORT: Partial<Record<string, string>> = { DMA_MAPPED: 'D', P2PDMA: 'P', P2PDMA_BUS: 'B' };

/** How an output entry reads on the stage: short text, tooltip detail and colour family. */
export function describeOutput(s: Scenario, word: bigint, _write: bigint): NonNullable<PageView['out']> {
  const d = decodeWord(s, word);
  if (d.value === 'NONE')
    return { word, text: 'NONE', detail: 'values[HMM_PFN_NONE]: no mapping', tone: 'none' };
  if (d.value === 'ERROR') return { word, text: 'ERROR', detail: 'values[HMM_PFN_ERROR]', tone: 'error' };
  if (d.value === 'SPECIAL')
    return { word, text: 'SPECIAL', detail: 'values[HMM_PFN_SPECIAL]: a special pte', tone: 'special' };
  if (d.flags.includes('ERROR'))
    return {
      word,
      text: 'ERROR',
      detail: d.flags.map((f) => (f === 'ERROR' ? 'HMM_PFN_ERROR' : f)).join(' | '),
      tone: 'error',
    };
  if (!d.flags.includes('VALID')) {
    return {
      word,
      text: word === 0n ? '0' : hexShort(word),
      detail: 'no VALID flag: nothing mapped',
      tone: 'none',
    };
  }
  const w = d.flags.includes('WRITE');
  const dp = d.flags.includes('DEVICE_PRIVATE');
  // 7.x's sticky DMA bits, kept from the input: shown in the cell, not only in the tooltip.
  const sticky = d.flags.map((f) => STICKY_SHORT[f]).filter((x) => x !== undefined);
  const pfn = d.pfn === null ? '' : `pfn ${hexShort(d.pfn)}`;
  const order = d.order ? ` order ${d.order}` : '';
  return {
    word,
    text: (w ? 'V W' : 'V') + (dp ? ' D' : '') + (sticky.length ? ` +${sticky.join('')}` : ''),
    detail: `${d.flags.join(' | ')}${pfn ? ', ' + pfn : ''}${order}`,
    tone: w ? 'write' : 'valid',
  };
}

/**
 * Whether two views of one page draw the same column: every field the same value, or an object
 * (the decision, the output) with the same fields. Read from the views themselves, so a field
 * added to PageView is compared without a change here.
 */
export function sameView(a: PageView, b: PageView): boolean {
  return (Object.keys(a) as (keyof PageView)[]).every((k) => {
    const x = a[k];
    const y = b[k];
    return x === y || (typeof x === 'object' && typeof y === 'object' && shallow(x, y));
  });
}

/**
 * A keeper of views from one call to the next: each page's view is the object it returned last
 * time when the page draws the same, so the stage's memoised cells render only the pages a step
 * changed (a step changes one or two of sixteen). Holds only the last call's views.
 */
export function viewKeeper(): (next: PageView[]) => PageView[] {
  let last: PageView[] = [];
  return (next) => {
    const first = last.length ? last[0].page : 0;
    const kept = next.map((v) => {
      const old = last[v.page - first];
      return old && sameView(old, v) ? old : v;
    });
    last = kept;
    return kept;
  };
}
