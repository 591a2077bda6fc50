/**
 * The worker posts a trace's call stacks as one table (stacks.ts): packing then unpacking must
 * give every event the stack the recorder gave it, and the table must hold each stack once.
 */
import { describe, expect, test } from 'vitest';
import { run } from '../run.ts';
import { parseScenario } from '../scenario/parse.ts';
import { PRESETS } from '../scenario/presets.ts';
import { packStacks, unpackStacks } from './stacks.ts';

describe('packStacks / unpackStacks', () => {
  test.each(PRESETS.map((p) => [p.id, p.file] as const))(
    '%s: every event gets its stack back',
    (_id, file) => {
      const parsed = parseScenario(file);
      if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
      for (const trace of ['full', 'coarse'] as const) {
        const events = run(parsed.scenario, { trace }).trace;
        const want = events.map((e) => e.stack);
        const packed = packStacks(events);
        expect(packed.table).toEqual([...new Set(want)]);
        expect([...packed.ids]).toEqual(want.map((s) => packed.table.indexOf(s)));
        // Posted without their stacks: each event's is an empty string.
        expect(events.every((e) => e.stack === '')).toBe(true);
        unpackStacks(events, packed);
        expect(events.map((e) => e.stack)).toEqual(want);
      }
    },
  );
});
