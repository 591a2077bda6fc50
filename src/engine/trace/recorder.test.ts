/**
 * The recorder keeps the stack's join per depth instead of joining the whole stack for every
 * event: each event's `stack` must still be the callers joined with " > ", ending with the
 * function that takes the step, whatever pushes and pops came between two events.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Recorder } from './recorder.ts';

const NAMES = ['hmm_range_fault', 'walk_page_range', 'hmm_vma_walk_pmd', 'hmm_vma_fault', 'handle_mm_fault'];
const op = fc.oneof(
  fc.record({ kind: fc.constant('push' as const), name: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constant('pop' as const) }),
  fc.record({ kind: fc.constant('emit' as const), name: fc.constantFrom(...NAMES) }),
);

describe('the stack of each event', () => {
  test('is the callers joined, then the event’s function unless it is the top', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const rec = new Recorder('coarse');
        const callers: string[] = [];
        const want: string[] = [];
        for (const o of ops) {
          if (o.kind === 'push') {
            rec.push(o.name);
            callers.push(o.name);
          } else if (o.kind === 'pop') {
            if (!callers.length) continue;
            rec.pop();
            callers.pop();
          } else {
            // Any function name: the type is only the event's shape here.
            rec.emit({ type: 'program', fn: o.name as 'program_device', from: 0, to: 0 });
            const top = callers[callers.length - 1];
            const joined = callers.join(' > ');
            want.push(top === o.name ? joined : callers.length ? `${joined} > ${o.name}` : o.name);
          }
        }
        expect(rec.events.map((e) => e.stack)).toEqual(want);
      }),
      { numRuns: 500 },
    );
  });
});
