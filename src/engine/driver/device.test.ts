/**
 * DevicePageTable.programFromHighBits decodes each output word without a branch; it must program
 * exactly what the plain reading of test_hmm does: none where the entry still holds its input or
 * is not VALID, rw where it is VALID and WRITE, ro where VALID alone.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { V6 } from '../hmm/modern.ts';
import { Recorder } from '../trace/recorder.ts';
import { DEV, DevicePageTable } from './device.ts';

describe('programming the device from v6 output words', () => {
  test('equals the page-by-page decoding on random words', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.boolean()), {
          minLength: 1,
          maxLength: 200,
        }),
        (pages) => {
          const w = new Int32Array(pages.length * 2);
          const holds = new Uint8Array(pages.length);
          pages.forEach(([hi, h], i) => {
            w[2 * i] = i * 7919;
            w[2 * i + 1] = hi;
            holds[i] = h ? 1 : 0;
          });
          const table = new DevicePageTable(new Uint8Array(pages.length).fill(DEV.rw), new Recorder('none'));
          table.programFromHighBits(w, holds, V6.VALID, V6.WRITE);
          const expected = pages.map(([hi, h]) =>
            h || !(hi & V6.VALID) ? DEV.none : hi & V6.WRITE ? DEV.rw : DEV.ro,
          );
          expect([...table.entries]).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
