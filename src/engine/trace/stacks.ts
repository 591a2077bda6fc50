/**
 * The trace's call stacks as they cross the worker boundary. The recorder shares one joined
 * string per stack (recorder.ts), but a structured clone copies a string once per event that
 * holds it: a 4096-page run posted ~1 MB of stacks, over a few dozen distinct ones. The worker
 * posts the trace's distinct stacks once (`packStacks`: the table, and each event's index in it
 * as an Int32Array that moves in the transfer list), each event's `stack` left empty; the main
 * thread puts the shared strings back (`unpackStacks`), so every reader keeps reading `ev.stack`
 * as a string, and no string is made per event on either side.
 */
import type { TraceEvent } from '../types.ts';

/** A trace's distinct stacks, and each event's index among them. */
export interface StackTable {
  table: string[];
  ids: Int32Array;
}

/** Empties each event's `stack`, and returns the stacks as a table and an index per event. */
export function packStacks(trace: TraceEvent[]): StackTable {
  const table: string[] = [];
  const ids = new Int32Array(trace.length);
  const index = new Map<string, number>();
  let last = '';
  let lastId = -1;
  for (let i = 0; i < trace.length; i++) {
    const ev = trace[i];
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
    ids[i] = lastId;
    // A string still (an empty one is a byte to post): the field keeps its representation, so
    // putting the shared string back is a plain store.
    ev.stack = '';
  }
  return { table, ids };
}

/** Undoes `packStacks`: each event's `stack` is the table's string again (shared, not copied). */
export function unpackStacks(trace: TraceEvent[], { table, ids }: StackTable): void {
  for (let i = 0; i < trace.length; i++) trace[i].stack = table[ids[i]];
}
