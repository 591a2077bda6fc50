/**
 * The run's fault log: appended to on every handle_mm_fault, kept as typed arrays that grow by
 * doubling (see FaultLog in types.ts), and read back as records at the edges.
 */
import { FAULT_RESULTS, type FaultLog, type FaultRecord, type FaultResult } from './types.ts';

const resultIndex = new Map<string, number>(FAULT_RESULTS.map((r, i) => [r, i]));

export class FaultLogBuilder {
  private log: FaultLog = {
    length: 0,
    page: new Int32Array(64),
    write: new Uint8Array(64),
    result: new Uint8Array(64),
    attempt: new Uint16Array(64),
  };

  get length(): number {
    return this.log.length;
  }

  push(page: number, write: boolean, result: FaultResult | number, attempt: number): void {
    if (this.log.length === this.log.page.length) this.grow();
    const log = this.log;
    const i = log.length++;
    log.page[i] = page;
    log.write[i] = write ? 1 : 0;
    log.result[i] = typeof result === 'number' ? result : resultIndex.get(result)!;
    log.attempt[i] = attempt;
  }

  private grow(): void {
    const old = this.log;
    const size = old.page.length * 2;
    const page = new Int32Array(size);
    const write = new Uint8Array(size);
    const result = new Uint8Array(size);
    const attempt = new Uint16Array(size);
    page.set(old.page);
    write.set(old.write);
    result.set(old.result);
    attempt.set(old.attempt);
    this.log = { length: old.length, page, write, result, attempt };
  }

  /** The log trimmed to its length (own buffers, ready for a transfer list). */
  finish(): FaultLog {
    const { length, page, write, result, attempt } = this.log;
    return {
      length,
      page: page.slice(0, length),
      write: write.slice(0, length),
      result: result.slice(0, length),
      attempt: attempt.slice(0, length),
    };
  }
}

export function faultAt(log: FaultLog, i: number): FaultRecord {
  return {
    page: log.page[i],
    write: log.write[i] === 1,
    result: FAULT_RESULTS[log.result[i]],
    attempt: log.attempt[i],
  };
}

export function faultRecords(log: FaultLog): FaultRecord[] {
  return Array.from({ length: log.length }, (_, i) => faultAt(log, i));
}
