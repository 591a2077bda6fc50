import { expect, test } from 'vitest';
import fc from 'fast-check';
import { ALIGNED, sim } from '../engine/testing/harness.ts';
import { stateAt } from '../engine/trace/replay.ts';
import { stateAtCursor } from './derived.ts';

// Long enough to cross replay checkpoints (every 256 events): faults, COW copies, zero pages.
const o = sim({
  kernel: 'v6',
  range: { start: ALIGNED, pages: 300 },
  vmas: [{ from: 0, pages: 300, prot: 'rw', backing: 'anon' }],
  cpu: { '0-100': 'rw', '101-150': 'ro', '200-210': 'zero' },
  defaultFlags: ['REQ_FAULT'],
  pfnFlagsMask: ['REQ_WRITE'],
  requests: { '5': ['REQ_WRITE'], '120-130': ['REQ_WRITE'] },
});
const n = o.run.trace.length;

// stateAtCursor steps on from the last state it computed (a player steps one event at a time):
// whatever the order of the cursors asked for, each state is the one replayed from the start.
test('the state at a cursor is the same whether stepped to or replayed', () => {
  expect(n).toBeGreaterThan(256);
  for (let c = 1; c <= n; c += 1 + (c % 3))
    expect(stateAtCursor(o.scenario, o.run, c)).toEqual(stateAt(o.scenario, o.run, c));
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: n }), { minLength: 1, maxLength: 30 }), (cursors) => {
      for (const c of cursors)
        expect(stateAtCursor(o.scenario, o.run, c)).toEqual(stateAt(o.scenario, o.run, c));
    }),
    { numRuns: 50 },
  );
});

test('a state handed out is never changed by the next step', () => {
  const at = stateAtCursor(o.scenario, o.run, 10);
  const copy = structuredClone(at);
  for (let c = 11; c < 30; c++) stateAtCursor(o.scenario, o.run, c);
  expect(at).toEqual(copy);
});
