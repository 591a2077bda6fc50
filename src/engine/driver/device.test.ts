/**
 * DevicePageTable.programFromHighBits decodes each output word without a branch; it must program
 * exactly what the plain reading of test_hmm does: none where the entry still holds its input or
 * is not VALID, rw where it is VALID and WRITE, ro where VALID alone.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { V6 } from '../hmm/modern.ts';
import { WrittenSpans } from '../hmm/written.ts';
import { Recorder } from '../trace/recorder.ts';
import { DEV, DevicePageTable } from './device.ts';

/** The written pages of a per-page holdsInput array, marked in the given order of pages. */
function writtenOf(holds: Uint8Array, order: number[] = [...holds.keys()]): WrittenSpans {
  const written = new WrittenSpans();
  for (const i of order) if (!holds[i]) written.add(i, i + 1);
  return written;
}

/** Every page written. */
const allWritten = (n: number): WrittenSpans => writtenOf(new Uint8Array(n));

describe('programming the device from v6 output words', () => {
  test('equals the page-by-page decoding on random words', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.boolean()), {
          minLength: 1,
          maxLength: 200,
        }),
        fc.boolean(),
        (pages, backwards) => {
          const w = new Int32Array(pages.length * 2);
          const holds = new Uint8Array(pages.length);
          pages.forEach(([hi, h], i) => {
            w[2 * i] = i * 7919;
            w[2 * i + 1] = hi;
            holds[i] = h ? 1 : 0;
          });
          const expected = pages.map(([hi, h]) =>
            h || !(hi & V6.VALID) ? DEV.none : hi & V6.WRITE ? DEV.rw : DEV.ro,
          );
          // Untraced, and traced (the trace records the table as programmed).
          for (const level of ['none', 'coarse'] as const) {
            const rec = new Recorder(level);
            const table = new DevicePageTable(new Uint8Array(pages.length).fill(DEV.rw), rec);
            const order = [...holds.keys()];
            if (backwards) order.reverse();
            table.programFromHighBits(w, writtenOf(holds, order), V6.VALID, V6.WRITE);
            expect([...table.entries]).toEqual(expected);
            rec.emit({ type: 'program', fn: 'program_device', from: 0, to: pages.length });
            if (level === 'coarse')
              expect(rec.effects[0]).toEqual([
                { kind: 'deviceSet', from: 0, states: Uint8Array.from(expected) },
              ]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the device table in the trace', () => {
  test('is a copy of the entries as programmed: later changes to the table leave it alone', () => {
    const n = 10000;
    const w = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) w[2 * i + 1] = i % 3 === 0 ? 0 : i % 3 === 1 ? V6.VALID : V6.VALID | V6.WRITE;
    const rec = new Recorder('coarse');
    const table = new DevicePageTable(new Uint8Array(n), rec);
    table.programFromHighBits(w, allWritten(n), V6.VALID, V6.WRITE);
    rec.emit({ type: 'program', fn: 'program_device', from: 0, to: n });
    const programmed = Uint8Array.from({ length: n }, (_, i) => i % 3);
    expect(rec.effects[0]).toEqual([{ kind: 'deviceSet', from: 0, states: programmed }]);
    // An invalidation after the programming erases entries of the table, not of the trace.
    table.erase(0, n);
    expect(rec.effects[0]).toEqual([{ kind: 'deviceSet', from: 0, states: programmed }]);
  });

  test('the last programming shares the table until it changes; each earlier one keeps its own', () => {
    const rec = new Recorder('coarse');
    const table = new DevicePageTable(new Uint8Array(4), rec);
    const w = Int32Array.from([0, V6.VALID, 0, V6.VALID | V6.WRITE, 0, 0, 0, V6.VALID]);
    table.programFromHighBits(w, allWritten(4), V6.VALID, V6.WRITE);
    rec.emit({ type: 'program', fn: 'program_device', from: 0, to: 4 });
    const first = rec.effects[0][0] as { states: Uint8Array };
    // Nothing changed since: the record is the table itself (the result's), no copy made.
    expect(first.states).toBe(table.entries);
    // A later attempt programs again: the first record keeps the table as it was programmed.
    w[3] = 0;
    table.programFromHighBits(w, allWritten(4), V6.VALID, V6.WRITE);
    rec.emit({ type: 'program', fn: 'program_device', from: 0, to: 4 });
    expect(first.states).not.toBe(table.entries);
    expect([...first.states]).toEqual([1, 2, 0, 1]);
    const second = rec.effects[1][0] as { states: Uint8Array };
    expect(second.states).toBe(table.entries);
    expect([...second.states]).toEqual([1, 0, 0, 1]);
    // An erase that touches nothing of the range leaves the sharing alone.
    table.erase(9, 12);
    expect(second.states).toBe(table.entries);
  });

  test('program() records the same copy', () => {
    const rec = new Recorder('full');
    const table = new DevicePageTable(new Uint8Array(5), rec);
    table.program((i) => [DEV.rw, DEV.none, DEV.ro, DEV.ro, DEV.none][i]);
    rec.emit({ type: 'program', fn: 'program_device', from: 0, to: 5 });
    table.erase(0, 5);
    expect(rec.effects[0]).toEqual([
      { kind: 'deviceSet', from: 0, states: Uint8Array.from([2, 0, 1, 1, 0]) },
    ]);
  });
});
