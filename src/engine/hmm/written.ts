/**
 * Which range pages the walk has written an output word to (the rest still hold the caller's
 * input), kept as sorted, disjoint, non-touching spans of page indices instead of a byte per page.
 *
 * Why spans: a walk writes its pages in address order, so a whole run's writes usually collapse
 * into one span, [0, npages), and marking a page costs a compare and a store, not a byte in a
 * fresh megabyte (at 2^20 pages, first writes into newly allocated memory are most of what a
 * per-page array costs). The per-page form the result carries (holdsInput) is made once at the
 * end, and when every page was written it is a zeroed array nothing writes to.
 */
export class WrittenSpans {
  /** starts[k] < ends[k] < starts[k + 1]: span k is pages [starts[k], ends[k]). */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** Number of spans (for tests and the device's per-span programming). */
  get count(): number {
    return this.starts.length;
  }

  /** Span k as [from, to). */
  from(k: number): number {
    return this.starts[k];
  }
  to(k: number): number {
    return this.ends[k];
  }

  /** Mark pages [from, to) written. */
  add(from: number, to: number): void {
    if (from >= to) return;
    const { starts, ends } = this;
    const last = starts.length - 1;
    // The walk's usual order: at or after the last span, or inside or extending it.
    if (last < 0 || from > ends[last]) {
      starts.push(from);
      ends.push(to);
      return;
    }
    if (from >= starts[last]) {
      if (to > ends[last]) ends[last] = to;
      return;
    }
    // Anywhere else (a later driver attempt walking the range again): merge every span that
    // overlaps or touches [from, to). `a`: the first span ending at or after from; `b`: the
    // first span starting after to.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    const a = lo;
    hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= to) lo = mid + 1;
      else hi = mid;
    }
    const b = lo;
    if (a === b) {
      starts.splice(a, 0, from);
      ends.splice(a, 0, to);
      return;
    }
    const s = Math.min(from, starts[a]);
    const e = Math.max(to, ends[b - 1]);
    starts.splice(a, b - a, s);
    ends.splice(a, b - a, e);
  }

  /** Whether page i was written. */
  has(i: number): boolean {
    const { starts, ends } = this;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] <= i) lo = mid + 1;
      else hi = mid;
    }
    return lo < starts.length && starts[lo] <= i;
  }

  /**
   * The per-page form: 1 where page i of [0, npages) still holds its input, 0 where written. Only
   * the unwritten pages are stored to: a fully written range is a zeroed array left untouched.
   */
  holdsInput(npages: number): Uint8Array {
    const out = new Uint8Array(npages);
    let at = 0;
    for (let k = 0; k < this.starts.length && at < npages; k++) {
      out.fill(1, at, Math.min(this.starts[k], npages));
      at = this.ends[k];
    }
    if (at < npages) out.fill(1, at);
    return out;
  }
}
