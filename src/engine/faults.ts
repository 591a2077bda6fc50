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
    const n = Math.max(1, capacity);
    this.log = {
      length: 0,
      page: new Int32Array(n),
      write: new Uint8Array(n),
      result: new Uint8Array(n),
      attempt: new Uint16Array(n),
      code: new Uint16Array(n),
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
    log.write[i] = write ? 1 : 0;
    log.result[i] = typeof result === 'number' ? result : resultIndex.get(result)!;
    log.attempt[i] = attempt;
    log.code[i] = code;
  }

  private grow(): void {
    const old = this.log;
    const size = old.page.length * 2;
    const page = new Int32Array(size);
    const write = new Uint8Array(size);
    const result = new Uint8Array(size);
    const attempt = new Uint16Array(size);
    const code = new Uint16Array(size);
    code.set(old.code);
    page.set(old.page);
    write.set(old.write);
    result.set(old.result);
    attempt.set(old.attempt);
    this.log = { length: old.length, page, write, result, attempt, code };
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
