/**
 * The trace's call stacks as they cross the worker boundary. The recorder shares one joined
 * string per stack (recorder.ts), but a structured clone copies a string once per event that
 * holds it: a 4096-page run posted ~1 MB of stacks, over a few dozen distinct ones. The worker
 * posts the trace's distinct stacks once (`packStacks`) with each event's `stack` set to its index
 * in that table; the main thread puts the shared strings back (`unpackStacks`), so every reader
 * keeps reading `ev.stack` as a string, and no string is made per event on either side.
 */
import type { TraceEvent } from '../types.ts';

/** An event as posted: its `stack` is an index into the table `packStacks` returned. */
type Packed = { stack: number | string };

/** Replaces each event's `stack` by its index in the returned table of distinct stacks. */
export function packStacks(trace: TraceEvent[]): string[] {
  const table: string[] = [];
  const index = new Map<string, number>();
  let last = '';
  let lastId = -1;
  for (const ev of trace) {
    const s = ev.stack;
    // Events come in runs under one stack: most need no lookup.
    if (s !== last || lastId < 0) {
      let id = index.get(s);
      if (id === undefined) {
        id = table.length;
        table.push(s);
        index.set(s, id);
      }
      last = s;
      lastId = id;
    }
    (ev as Packed).stack = lastId;
  }
  return table;
}

/** Undoes `packStacks`: each event's `stack` is the table's string again (shared, not copied). */
export function unpackStacks(trace: TraceEvent[], table: readonly string[]): void {
  for (const ev of trace) {
    const id = (ev as Packed).stack;
    if (typeof id === 'number') ev.stack = table[id];
  }
}
