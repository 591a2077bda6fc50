/**
 * The run's fault log: appended to on every handle_mm_fault, kept as typed arrays that grow by
 * doubling (see FaultLog in types.ts), and read back as records at the edges.
 */
import { FAULT_RESULTS, type FaultLog, type FaultRecord, type FaultResult } from './types.ts';

/** A VM_FAULT_* word as the recordings write it (evidence.faultResults): "0", "0x8", ... */
export const faultCodeHex = (code: number): string => (code === 0 ? '0' : '0x' + code.toString(16));

const resultIndex = new Map<string, number>(FAULT_RESULTS.map((r, i) => [r, i]));

export class FaultLogBuilder {
  private log: FaultLog;

  /**
   * `capacity`: the faults the buffers hold before they first grow. The run sizes it from the
   * range (a large range makes tens of thousands of faults, and growing from 64 copied each
   * buffer a dozen times); a part never written costs nothing but address space.
   */
  constructor(capacity = 64) {
    this.log = FaultLogBuilder.alloc(Math.max(1, capacity));
  }

  /**
   * The five arrays as views of one buffer (one allocation per run and per growth, not five),
   * widest first so each view is aligned. A fresh buffer is all zeros, so push() stores only
   * what is not 0: most faults are reads that return 0, and their bytes are never touched.
   */
  private static alloc(n: number): FaultLog {
    const buf = new ArrayBuffer(10 * n);
    return {
      length: 0,
      page: new Int32Array(buf, 0, n),
      attempt: new Uint16Array(buf, 4 * n, n),
      code: new Uint16Array(buf, 6 * n, n),
      write: new Uint8Array(buf, 8 * n, n),
      result: new Uint8Array(buf, 9 * n, n),
    };
  }

  get length(): number {
    return this.log.length;
  }

  /** Faults made in one driver attempt (they are logged in attempt order). */
  countInAttempt(attempt: number): number {
    let n = 0;
    for (let i = this.log.length - 1; i >= 0 && this.log.attempt[i] === attempt; i--) n++;
    return n;
  }

  push(page: number, write: boolean, result: FaultResult | number, attempt: number, code = 0): void {
    if (this.log.length === this.log.page.length) this.grow();
    const log = this.log;
    const i = log.length++;
    log.page[i] = page;
    log.attempt[i] = attempt;
    // Zeros are already there (see alloc).
    if (write) log.write[i] = 1;
    const r = typeof result === 'number' ? result : resultIndex.get(result)!;
    if (r !== 0) log.result[i] = r;
    if (code !== 0) log.code[i] = code;
  }

  /**
   * `n` faults of pages page0, page0 + 1, ... with the same outcome (a run quickFaultRun() did),
   * as n push() calls would log them.
   */
  pushRun(page0: number, n: number, write: boolean, result: number, attempt: number, code: number): void {
    while (this.log.length + n > this.log.page.length) this.grow();
    const log = this.log;
    const i = log.length;
    const end = i + n;
    log.length = end;
    const { page } = log;
    for (let j = i, p = page0; j < end; j++, p++) page[j] = p;
    log.attempt.fill(attempt, i, end);
    if (write) log.write.fill(1, i, end);
    if (result !== 0) log.result.fill(result, i, end);
    if (code !== 0) log.code.fill(code, i, end);
  }

  private grow(): void {
    const old = this.log;
    const log = FaultLogBuilder.alloc(old.page.length * 2);
    log.length = old.length;
    log.page.set(old.page);
    log.attempt.set(old.attempt);
    log.code.set(old.code);
    log.write.set(old.write);
    log.result.set(old.result);
    this.log = log;
  }

  /**
   * The log as views of its own buffers trimmed to its length (no copy: the builder is done
   * with; each buffer is at most twice what the views show, and moves whole in a transfer list).
   */
  finish(): FaultLog {
    const { length, page, write, result, attempt, code } = this.log;
    return {
      length,
      page: page.subarray(0, length),
      write: write.subarray(0, length),
      result: result.subarray(0, length),
      attempt: attempt.subarray(0, length),
      code: code.subarray(0, length),
    };
  }
}

export function faultAt(log: FaultLog, i: number): FaultRecord {
  return {
    page: log.page[i],
    write: log.write[i] === 1,
    result: FAULT_RESULTS[log.result[i]],
    attempt: log.attempt[i],
    code: faultCodeHex(log.code[i]),
  };
}

export function faultRecords(log: FaultLog): FaultRecord[] {
  return Array.from({ length: log.length }, (_, i) => faultAt(log, i));
}
