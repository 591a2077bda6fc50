import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../engine/types.ts';
import { run } from '../engine/run.ts';
import { TOURS, tourById } from '../ui/tour/tours.ts';
import { stepScenario } from '../ui/tour/tourMode.ts';
import { readEmbedOptions } from '../ui/embed/params.ts';
import { describeAnchor, formatAnchor, parseAnchor, resolveAnchor } from './anchor.ts';
import type { Anchor } from './anchor.ts';
import { parseLink } from './link.ts';
import { eventText } from '../engine/trace/text.ts';

/**
 * Every durable moment the project publishes, replayed against the engine as it is now: the tour
 * steps' moments, and the figures of the docs (docs/embedding.md, public/embed-demo.html, the
 * README). A change of the engine that moves or removes one fails here, not in a reader's page.
 */

const ROOT = join(import.meta.dirname, '..', '..');

function traceOf(s: Scenario) {
  return run(s).trace;
}

function exactly(a: Anchor, s: Scenario, where: string): string {
  const trace = traceOf(s);
  const r = resolveAnchor(a, trace);
  expect({ where, moment: formatAnchor(a), exact: r.exact, note: r.note }).toEqual({
    where,
    moment: formatAnchor(a),
    exact: true,
    note: null,
  });
  return r.cursor > 0 ? eventText(trace[r.cursor - 1]) : 'before the run';
}

/** The figures' addresses written in a file: `?embed...#...` or `#v=1&...`. */
function addresses(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/&amp;/g, '&');
  // A placeholder (`#v=1&s=<compressed>`) is a pattern, not an address.
  return [...text.matchAll(/(\?embed[^\s"'`)<]*)?#v=1&[^\s"'`)<]+/g)]
    .map((m) => m[0])
    .filter((a) => !/(=|\.\.\.|…)$/.test(a));
}

function replay(address: string, where: string): string[] {
  const hashAt = address.indexOf('#');
  const query = hashAt > 0 ? address.slice(0, hashAt) : '';
  const read = parseLink(address.slice(hashAt));
  if (read.kind !== 'ok') throw new Error(`${where}: ${address}: ${JSON.stringify(read)}`);
  const st = read.link.state;
  const scenario =
    st.view === 'explore'
      ? st.scenario
      : st.view === 'compare'
        ? st.a
        : st.view === 'tour'
          ? stepScenario(tourById(st.tour).steps[st.step - 1])
          : null;
  if (!scenario) return [];
  const options = query ? readEmbedOptions(query) : null;
  expect(options?.problems ?? [], `${where}: ${address}`).toEqual([]);
  const moments = [read.link.at, options?.from ?? null, options?.to ?? null].filter((a): a is Anchor => !!a);
  // A moment named by what happens, not a step number: only those survive an engine change.
  for (const a of moments) expect(a.kind, `${where}: ${formatAnchor(a)}`).not.toBe('step');
  return moments.map((a) => `${describeAnchor(a)}: ${exactly(a, scenario, `${where}: ${address}`)}`);
}

describe('every published moment', () => {
  it('of the tour opens at what its step explains', () => {
    const said = tourById('seed').steps.map((st) => {
      const a = parseAnchor(st.at);
      if (!a.ok) throw new Error(`${st.id}: ${a.problem}`);
      return exactly(a.anchor, stepScenario(st), `tour step ${st.id}`);
    });
    expect(said).toEqual([
      expect.stringMatching(/^Page 7 \(ro\) asks for write/),
      expect.stringMatching(/^handle_mm_fault\(/),
      expect.stringMatching(/^Page 5 \(ro\) asks for write/),
      expect.stringMatching(/programs the device|device is programmed/),
      expect.stringMatching(/^handle_mm_fault\(page 8, read\): pte present/),
      expect.stringMatching(/^The walk restarts at last = page 4/),
      expect.stringMatching(/^Invalidation \(MMU_NOTIFY_CLEAR\) of pages 0-3/),
      expect.stringMatching(/^Page 6 \(ro\) asks for read: no fault/),
      'before the run',
    ]);
  });

  it('of the tour of today’s wording opens at what each step explains', () => {
    const said = tourById('today').steps.map((st) => {
      const a = parseAnchor(st.at);
      if (!a.ok) throw new Error(`${st.id}: ${a.problem}`);
      return exactly(a.anchor, stepScenario(st), `today tour step ${st.id}`);
    });
    expect(said).toHaveLength(TOURS.find((t) => t.id === 'today')!.steps.length);
    // The second step opens where the walk records its first fault (7.3's hmm_record_fault).
    expect(said[1]).toMatch(/hmm_record_fault/);
  });

  it('of the mmap lock chapter opens at what each step explains', () => {
    const said = tourById('locks').steps.map((st) => {
      const a = parseAnchor(st.at);
      if (!a.ok) throw new Error(`${st.id}: ${a.problem}`);
      return exactly(a.anchor, stepScenario(st), `locks tour step ${st.id}`);
    });
    expect(said).toEqual([
      expect.stringMatching(/^The driver takes mmap_lock for read: mmap_read_lock/),
      expect.stringMatching(/^Invalidation \(MMU_NOTIFY_CLEAR\) of pages 0-1/),
      expect.stringMatching(/^mmu_interval_read_retry\(\): an invalidation ran since read_begin/),
      expect.stringMatching(
        /^Invalidation of pages 6-7: range->valid goes false, sync_cpu_device_pagetables\(\) erases 2/,
      ),
      expect.stringMatching(/^hmm_range_valid\(\) is true: program the device/),
      expect.stringMatching(/^handle_userfault\(\): page 0 is missing/),
    ]);
  });

  it('of the docs page example and the embedding guide resolves, at the moment it names', () => {
    const demo = addresses('public/embed-demo.html');
    expect(demo).toHaveLength(3);
    expect(demo.flatMap((a) => replay(a, 'public/embed-demo.html'))).toEqual([
      expect.stringMatching(/^the 1st write fault on page 5: handle_mm_fault\(page 5, FAULT_FLAG_WRITE\)/),
      expect.stringMatching(/^the end of attempt 1: -EBUSY: the driver starts again/),
      expect.stringMatching(/^the 1st restart: The walk restarts at last = page 4/),
      expect.stringMatching(/^the 1st write fault on page 5: handle_mm_fault\(page 5, FAULT_FLAG_WRITE\)/),
    ]);
    const guide = addresses('docs/embedding.md');
    expect(guide.length).toBeGreaterThan(0);
    for (const a of guide) replay(a, 'docs/embedding.md');
    for (const a of addresses('README.md')) replay(a, 'README.md');
  });
});
