import type { DeviceState } from '../../engine/types.ts';
import { FAULT_WORDS } from '../model/outcome.ts';
import type { PageOutcome } from '../model/outcome.ts';

/**
 * What two runs end with differently, said once per run of pages rather than once per page: a
 * 512-page comparison differs on hundreds of pages, in a handful of runs ("pages 12-267: device
 * A read-only, B writable").
 */

export interface DifferenceRun {
  from: number;
  /** Inclusive. */
  to: number;
  /** What differs on every page of the run, A's side first. */
  text: string;
}

const DEVICE_WORDS: Record<DeviceState, string> = { none: 'not mapped', ro: 'read-only', rw: 'writable' };

/** What differs on one page, or '' when both runs end the same there. */
export function pageDifference(a: PageOutcome, b: PageOutcome): string {
  const parts: string[] = [];
  if (a.device !== b.device) parts.push(`device A ${DEVICE_WORDS[a.device]}, B ${DEVICE_WORDS[b.device]}`);
  if (a.fault !== b.fault) parts.push(`A ${FAULT_WORDS[a.fault]}, B ${FAULT_WORDS[b.fault]}`);
  else if (a.faults !== b.faults) parts.push(`A ${a.faults} handle_mm_fault calls, B ${b.faults}`);
  if (a.out !== b.out) parts.push(`output A ${a.out}, B ${b.out}`);
  return parts.join('; ');
}

/** Consecutive pages that differ in the same way, as one run each, in page order. */
export function differenceRuns(a: PageOutcome[], b: PageOutcome[]): DifferenceRun[] {
  const out: DifferenceRun[] = [];
  const n = Math.min(a.length, b.length);
  for (let p = 0; p < n; p++) {
    const text = pageDifference(a[p], b[p]);
    if (!text) continue;
    const last = out[out.length - 1];
    if (last && last.to === p - 1 && last.text === text) last.to = p;
    else out.push({ from: p, to: p, text });
  }
  return out;
}

export function runWords(r: Pick<DifferenceRun, 'from' | 'to'>): string {
  return r.from === r.to ? `page ${r.from}` : `pages ${r.from}-${r.to}`;
}
