/**
 * The device's page table: one entry per range page, none / read-only / read-write. The driver
 * programs it from the pfns array after a successful call, and its mmu-notifier callback erases
 * the entries an invalidation covers. Spec: hmm-semantics.md 3.B step 5 (test_hmm: VALID maps
 * the page, WRITE makes it writable).
 */
import type { WrittenSpans } from '../hmm/written.ts';
import type { Recorder } from '../trace/recorder.ts';

export const DEV = { none: 0, ro: 1, rw: 2 } as const;

export class DevicePageTable {
  readonly entries: Uint8Array;
  private readonly rec: Recorder;
  /**
   * The trace's record of the last programming while it still shares `entries` (see
   * traceProgram): given its own copy just before the table next changes.
   */
  private shared: { states: Uint8Array } | null = null;

  /** `entries`: the table before the run, owned by this table from now on (the run's copy). */
  constructor(entries: Uint8Array, rec: Recorder) {
    this.entries = entries;
    this.rec = rec;
  }

  /** Erase the entries of range pages [from, to) (clipped to the range); returns how many were set. */
  erase(from: number, to: number): number {
    const a = Math.max(0, from);
    const b = Math.min(this.entries.length, to);
    if (a < b) this.unshare();
    let erased = 0;
    for (let i = a; i < b; i++) {
      if (this.entries[i] !== DEV.none) erased++;
      this.entries[i] = DEV.none;
    }
    if (a < b) this.rec.effect({ kind: 'device', from: a, to: b, state: 'none' });
    return erased;
  }

  /**
   * Program every range page from its output word: `entry(i)` decodes it to DEV.none / ro / rw
   * (the device mirrors what HMM reported, and unmaps what it did not report as valid).
   */
  program(entry: (i: number) => number): void {
    this.unshare();
    const { entries } = this;
    for (let i = 0; i < entries.length; i++) entries[i] = entry(i);
    this.traceProgram();
  }

  /**
   * Program from words whose VALID and WRITE bits are fixed high-half bits (v6): the same as
   * program(), without a call per page (a range may hold a million), and without a branch per
   * page: outputs mix valid, invalid and writable words page by page, which a branch predictor
   * guesses badly. DEV.none / ro / rw are 0 / 1 / 2: VALID counts one, WRITE one more when VALID,
   * and an entry still holding its input (outside every span of `written`) is none.
   */
  programFromHighBits(w: Int32Array, written: WrittenSpans, valid: number, write: number): void {
    this.unshare();
    const { entries } = this;
    const n = entries.length;
    const vs = 31 - Math.clz32(valid);
    const ws = 31 - Math.clz32(write);
    let at = 0;
    for (let k = 0; k < written.count; k++) {
      const to = written.to(k);
      entries.fill(DEV.none, at, written.from(k));
      for (let i = written.from(k); i < to; i++) {
        const hi = w[2 * i + 1];
        const v = (hi >>> vs) & 1;
        entries[i] = v + ((hi >>> ws) & v);
      }
      at = to;
    }
    entries.fill(DEV.none, at, n);
    this.traceProgram();
  }

  /**
   * A traced run records the table as programmed. The record shares the entries until the table
   * next changes (an invalidation's erase, a later attempt's programming), and takes a copy of
   * them then: the programming that ends a run, the usual case, costs no copy of a table that may
   * hold a million entries, and the record is the table the result returns.
   */
  private traceProgram(): void {
    if (!this.rec.on) return;
    const effect = { kind: 'deviceSet' as const, from: 0, states: this.entries };
    this.shared = effect;
    this.rec.effect(effect);
  }

  /** The trace's record of the last programming gets its own copy before the table changes. */
  private unshare(): void {
    if (this.shared === null) return;
    this.shared.states = this.entries.slice();
    this.shared = null;
  }
}
