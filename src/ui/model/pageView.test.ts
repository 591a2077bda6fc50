import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../engine/run.ts';
import { parseScenario } from '../../engine/scenario/parse.ts';
import { stateAtCursor } from '../../state/derived.ts';
import { pageViews, sameView, viewKeeper, type PageView } from './pageView.ts';

/** The stage's views kept from step to step: what the memoised cells are given. */
describe('viewKeeper', () => {
  const parsed = parseScenario(JSON.parse(readFileSync('public/scenarios/example-2.json', 'utf8')));
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const s = parsed.scenario;
  const r = run(s);
  const pages = s.range.pages;
  const fresh = (cursor: number, from = 0, to = pages) =>
    pageViews(s, r, cursor, stateAtCursor(s, r, cursor), from, to);

  it('gives the views pageViews gives, step by step through the run, and back', () => {
    const keep = viewKeeper();
    const cursors = [...Array(r.trace.length + 1).keys()];
    for (const cursor of [...cursors, ...cursors.reverse()]) {
      const views = fresh(cursor);
      expect(keep(fresh(cursor))).toEqual(views);
    }
  });

  it('keeps the object of each page a step leaves as it was, and only those', () => {
    const keep = viewKeeper();
    let kept = keep(fresh(0));
    let changedSome = false;
    for (let cursor = 1; cursor <= r.trace.length; cursor++) {
      const before = kept;
      kept = keep(fresh(cursor));
      for (let p = 0; p < pages; p++) {
        const same = sameView(before[p], kept[p]);
        expect(kept[p] === before[p]).toBe(same);
        if (!same) changedSome = true;
      }
    }
    expect(changedSome).toBe(true);
  });

  it('takes a window that moved: pages it held before keep their objects, the others are new', () => {
    const keep = viewKeeper();
    const first = keep(fresh(3, 0, 8));
    const moved = keep(fresh(3, 4, 12));
    expect(moved.map((v) => v.page)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    for (let k = 0; k < 4; k++) expect(moved[k]).toBe(first[k + 4]);
    expect(moved).toEqual(fresh(3, 4, 12));
  });

  it('tells a changed need, output or input apart', () => {
    const [v] = fresh(0, 0, 1);
    expect(sameView(v, { ...v })).toBe(true);
    expect(sameView(v, { ...v, need: { need: 1, earlier: false } })).toBe(false);
    expect(sameView(v, { ...v, input: v.input ^ 1n })).toBe(false);
    expect(sameView(v, { ...v, out: { word: 0n, text: '0', detail: '', tone: 'none' } })).toBe(false);
    expect(sameView(v, { ...v, cpu: v.cpu === 'rw' ? 'ro' : 'rw' })).toBe(false);
    // Inside the output too, and a field the comparison does not name (one added later).
    const out = { word: 0n, text: '0', detail: '', tone: 'none' as const };
    expect(sameView({ ...v, out }, { ...v, out: { ...out } })).toBe(true);
    expect(sameView({ ...v, out }, { ...v, out: { ...out, detail: 'kept' } })).toBe(false);
    expect(sameView({ ...v, later: 1 } as PageView, { ...v, later: 2 } as PageView)).toBe(false);
  });
});
