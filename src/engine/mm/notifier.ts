/**
 * The mm's notifier chain: every CPU page-table change that can make a device's copy stale calls
 * invalidate on each subscriber before it takes effect. Spec: hmm-semantics.md 3.A (v5.2's HMM
 * mirror) and 3.B (v5.5+ interval notifiers); mmu_notifier_invalidate_range_start().
 */

export type InvalidateReason =
  'CLEAR' | 'UNMAP' | 'PROTECTION_VMA' | 'PROTECTION_PAGE' | 'MIGRATE' | 'SOFT_DIRTY' | 'RELEASE';

/** Whose device memory a migration moves (MMU_NOTIFY_MIGRATE's `owner`), or null. */
export type InvalidateOwner = 'this' | 'other' | null;

export interface Invalidation {
  /** Absolute vpns [from, to). */
  from: number;
  to: number;
  event: InvalidateReason;
  owner: InvalidateOwner;
}

export interface NotifierSubscriber {
  /** mmu_notifier_invalidate_range_start(): the page table is about to change. */
  invalidate(inv: Invalidation): void;
  /** mmu_notifier_invalidate_range_end(): the change is done. */
  end?(inv: Invalidation): void;
}

export class MmuNotifierChain {
  private readonly subscribers: NotifierSubscriber[] = [];

  subscribe(s: NotifierSubscriber): void {
    this.subscribers.push(s);
  }

  /**
   * While true, an invalidation's _end() is held back (a CPU thread whose invalidation started
   * and has not ended yet: the scenario's `"lasts": true`); endHeld() ends them.
   */
  holding = false;
  private held: Invalidation[] = [];

  invalidateRange(inv: Invalidation): void {
    for (const s of this.subscribers) s.invalidate(inv);
    if (this.holding) this.held.push(inv);
    else for (const s of this.subscribers) s.end?.(inv);
  }

  /** Invalidations started and not yet ended. */
  get inProgress(): number {
    return this.held.length;
  }

  /** invalidate_range_end() of every held invalidation, in order; returns them. */
  endHeld(): Invalidation[] {
    const done = this.held.splice(0);
    for (const inv of done) for (const s of this.subscribers) s.end?.(inv);
    return done;
  }
}
