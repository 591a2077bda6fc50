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
});
