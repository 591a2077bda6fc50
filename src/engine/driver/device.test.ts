/**
 * DevicePageTable.programFromHighBits decodes each output word without a branch; it must program
 * exactly what the plain reading of test_hmm does: none where the entry still holds its input or
 * is not VALID, rw where it is VALID and WRITE, ro where VALID alone.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { V6 } from '../hmm/modern.ts';
import { Recorder } from '../trace/recorder.ts';
import { DEV, DevicePageTable, deviceStatesText } from './device.ts';

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
          const expected = pages.map(([hi, h]) =>
            h || !(hi & V6.VALID) ? DEV.none : hi & V6.WRITE ? DEV.rw : DEV.ro,
          );
          // Untraced, and traced (the pass that also writes the trace's digits).
          for (const level of ['none', 'coarse'] as const) {
            const rec = new Recorder(level);
            const table = new DevicePageTable(new Uint8Array(pages.length).fill(DEV.rw), rec);
            table.programFromHighBits(w, holds, V6.VALID, V6.WRITE);
            expect([...table.entries]).toEqual(expected);
            rec.emit({ type: 'program', fn: 'program_device', from: 0, to: pages.length, text: '' });
            if (level === 'coarse')
              expect(rec.effects[0]).toEqual([{ kind: 'deviceSet', from: 0, states: expected.join('') }]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the device table as trace text', () => {
  test("is entries.join(''): one digit per entry, at any length", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(DEV.none, DEV.ro, DEV.rw), { maxLength: 3000 }), (states) => {
        const entries = Uint8Array.from(states);
        expect(deviceStatesText(entries)).toBe(entries.join(''));
      }),
      { numRuns: 200 },
    );
  });

  test("is entries.join('') for tables of long runs and of short ones", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(DEV.none, DEV.ro, DEV.rw), fc.integer({ min: 1, max: 9000 })), {
          maxLength: 12,
        }),
        fc.integer({ min: 0, max: 40 }),
        (runs, noise) => {
          const states = runs.flatMap(([state, length]) => Array<number>(length).fill(state));
          // A few single-page changes among the runs.
          for (let k = 0; k < noise && states.length; k++) states[(k * 7919) % states.length] = k % 3;
          const entries = Uint8Array.from(states);
          expect(deviceStatesText(entries)).toBe(entries.join(''));
        },
      ),
      { numRuns: 150 },
    );
  });

  test('a longer table after a shorter one reads only its own entries', () => {
    expect(deviceStatesText(Uint8Array.from([2, 2, 2, 2]))).toBe('2222');
    expect(deviceStatesText(Uint8Array.from([1]))).toBe('1');
    expect(deviceStatesText(new Uint8Array(0))).toBe('');
  });

  test('programming a large table records its states in the trace as join would', () => {
    const n = 70000;
    const w = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) w[2 * i + 1] = i % 3 === 0 ? 0 : i % 3 === 1 ? V6.VALID : V6.VALID | V6.WRITE;
    const rec = new Recorder('coarse');
    const table = new DevicePageTable(new Uint8Array(n), rec);
    table.programFromHighBits(w, new Uint8Array(n), V6.VALID, V6.WRITE);
    rec.emit({ type: 'program', fn: 'program_device', from: 0, to: n, text: '' });
    expect(rec.effects[0]).toEqual([{ kind: 'deviceSet', from: 0, states: table.entries.join('') }]);
  });
});
