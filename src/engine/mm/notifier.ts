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
  invalidate(inv: Invalidation): void;
}

export class MmuNotifierChain {
  private readonly subscribers: NotifierSubscriber[] = [];

  subscribe(s: NotifierSubscriber): void {
    this.subscribers.push(s);
  }

  invalidateRange(inv: Invalidation): void {
    for (const s of this.subscribers) s.invalidate(inv);
  }
}
