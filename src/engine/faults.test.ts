import { describe, expect, test } from 'vitest';
import { FaultLogBuilder, faultRecords } from './faults.ts';

describe('FaultLogBuilder', () => {
  test('keeps every fault in order across growth, trimmed to its length', () => {
    const b = new FaultLogBuilder();
    for (let i = 0; i < 1000; i++)
      b.push(
        i,
        i % 3 === 0,
        i === 500 ? 'VM_FAULT_HWPOISON' : 'ok',
        1 + (i % 2),
        i === 500 ? 0x10 : i % 3 === 0 ? 0x8 : 0,
      );
    const log = b.finish();
    expect(log.length).toBe(1000);
    expect(log.page.length).toBe(1000);
    const records = faultRecords(log);
    expect(records[0]).toEqual({ page: 0, write: true, result: 'ok', attempt: 1, code: '0x8' });
    expect(records[500]).toEqual({
      page: 500,
      write: false,
      result: 'VM_FAULT_HWPOISON',
      attempt: 1,
      code: '0x10',
    });
    expect(records[999]).toEqual({ page: 999, write: true, result: 'ok', attempt: 2, code: '0x8' });
  });

  test('the same log from any starting capacity', () => {
    const fill = (b: FaultLogBuilder) => {
      for (let i = 0; i < 300; i++)
        b.push(i * 7, i % 2 === 0, i % 5 === 0 ? 'VM_FAULT_OOM' : 'ok', 1 + (i >> 7), i);
      return faultRecords(b.finish());
    };
    const expected = fill(new FaultLogBuilder());
    for (const capacity of [0, 1, 3, 299, 300, 301, 4096])
      expect(fill(new FaultLogBuilder(capacity))).toEqual(expected);
    const log = new FaultLogBuilder(4096);
    log.push(1, false, 'ok', 1);
    expect(log.finish().page.length).toBe(1);
  });

  test('pushRun logs what push() page by page logs, across growth', () => {
    const runs: [number, number, boolean, number, number, number][] = [
      [10, 3, false, 0, 1, 0],
      [13, 70, true, 0, 1, 0x8],
      [200, 1, false, 6, 2, 0x400],
      [201, 130, false, 0, 2, 0x4],
    ];
    const byPage = new FaultLogBuilder(4);
    const byRun = new FaultLogBuilder(4);
    for (const [page0, n, write, result, attempt, code] of runs) {
      for (let j = 0; j < n; j++) byPage.push(page0 + j, write, result, attempt, code);
      byRun.pushRun(page0, n, write, result, attempt, code);
    }
    expect(faultRecords(byRun.finish())).toEqual(faultRecords(byPage.finish()));
  });
});
