/**
 * Records the trace: events named after the kernel functions that take each step, each with the
 * state changes it made (its effects), so that a player can replay to any cursor. Spec: DESIGN.md
 * "the trace is the contract between engine and UI".
 *
 * Levels: "full" records every step; "coarse" keeps the driver's steps, the calls, walks, faults,
 * invalidations and programming (the per-page walk steps are left out, so large ranges stay
 * linear); "none" records nothing.
 */
import type { Statement } from '../statements.ts';
import type { Effect, RunOptions, TraceEvent } from '../types.ts';

type Omit2<T> = T extends unknown ? Omit<T, 'stack' | 'attempt'> : never;
export type EventInput = Omit2<TraceEvent>;

export class Recorder {
  readonly level: NonNullable<RunOptions['trace']>;
  /** Per-page steps are recorded only at "full". */
  readonly full: boolean;
  readonly on: boolean;
  readonly events: TraceEvent[] = [];
  readonly effects: Effect[][] = [];
  attempt = 0;
  private readonly stack: string[] = [];
  /**
   * The stack joined with " > " up to each depth, and the name each was made with: events come
   * by the thousand between a few pushes and pops, and joining the whole stack for each of them
   * was most of what a coarse trace's event cost. A level is joined again only when a name below
   * or at it changed.
   */
  private readonly joined: string[] = [];
  private readonly joinedOf: string[] = [];
  /**
   * Per depth, the stacks of events whose function is not on the stack (a pte, a fill under
   * hmm_vma_walk_pmd): joined[k] + " > " + fn, by fn. Made once, not once per event: the worker
   * posts a trace's stacks as a table of distinct strings (stacks.ts), and a string made per event
   * was hashed per event to find its place there.
   */
  private readonly leaves: Map<string, string>[] = [];
  /** Effects made since the last event (CPU changes from the mm journal, device changes). */
  private pending: Effect[] = [];

  constructor(level: NonNullable<RunOptions['trace']>) {
    this.level = level;
    this.full = level === 'full';
    this.on = level !== 'none';
  }

  push(fn: string): void {
    if (this.on) this.stack.push(fn);
  }

  pop(): void {
    if (this.on) this.stack.pop();
  }

  /** Queue an effect for the next event (used by the mm and device, which know no events). */
  effect(e: Effect): void {
    if (this.on) this.pending.push(e);
  }

  /**
   * Give the effects queued since the last event to that event: they were made by it (a CPU op
   * changes the page tables after its invalidation is told), and nothing may follow them.
   */
  settle(): void {
    if (!this.pending.length || !this.effects.length) return;
    this.effects[this.effects.length - 1].push(...this.pending);
    this.pending = [];
  }

  /**
   * Name the statement of the event just emitted, for an event whose emitter cannot know it (the
   * run emits a call's return; the walk knows which return statement produced it).
   */
  stampLast(stmt: Statement | undefined): void {
    if (!this.on || !stmt || this.events.length === 0) return;
    this.events[this.events.length - 1].stmt = stmt;
  }

  /**
   * Record an event. The event object becomes the trace's: every caller passes a fresh literal,
   * and copying it (a spread over a hundred event shapes is a slow, megamorphic clone) cost more
   * than the rest of a coarse trace. `stack` and `attempt` are added last, as the copy had them.
   */
  emit(e: EventInput, effects: Effect[] = []): void {
    if (!this.on) return;
    // The stack names the callers and ends with the function that takes this step.
    const { stack: callers } = this;
    const depth = callers.length;
    const top = callers[depth - 1];
    const joined = this.joinedStack();
    const ev = e as TraceEvent;
    ev.stack = top === e.fn ? joined : depth ? this.leaf(depth - 1, joined, e.fn) : e.fn;
    ev.attempt = this.attempt;
    this.events.push(ev);
    this.effects.push(this.pending.length ? [...effects, ...this.pending] : effects);
    this.pending = [];
  }

  /** `${joined} > ${fn}`, where `joined` is the join at depth `k` (see `leaves`). */
  private leaf(k: number, joined: string, fn: string): string {
    const known = (this.leaves[k] ??= new Map());
    let s = known.get(fn);
    if (s === undefined) {
      s = `${joined} > ${fn}`;
      known.set(fn, s);
    }
    return s;
  }

  /**
   * stack.join(' > '), from the joins kept for each depth (see `joined`): joined[k] is always
   * joinedOf[0..k] joined, so where the names match the stack's, it is the stack's join too.
   */
  private joinedStack(): string {
    const { stack, joined, joinedOf } = this;
    const depth = stack.length;
    if (depth === 0) return '';
    let d = 0;
    while (d < depth && joinedOf[d] === stack[d]) d++;
    if (d < depth) {
      // From the first name that differs, every level above is joined again.
      joined.length = d;
      joinedOf.length = d;
      this.leaves.length = Math.min(this.leaves.length, d);
      for (; d < depth; d++) {
        joined.push(d === 0 ? stack[0] : `${joined[d - 1]} > ${stack[d]}`);
        joinedOf.push(stack[d]);
      }
    }
    return joined[depth - 1];
  }
}
