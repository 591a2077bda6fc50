/**
 * Every sentence a learner reads stays word for word what it was when the engine built each
 * event's `text` itself (text.ts builds them now, from the event). text.golden.json was made from
 * the engine before that change: per group of runs (each preset under every kernel generation at
 * the full and the coarse trace level; each recorded fixture folder; the UI's 4096-page range),
 * the number of sentences and a hash of all of them in order; and one literal sentence per kind
 * of step (type, function, statement, 2019 API or later), with the place it comes from and the
 * order of the fields the CLI prints it among. A changed, lost or added sentence fails here.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { LARGE_SCENARIO } from '../../../scripts/support/preview.ts';
import { KERNEL_IDS } from '../kernels/registry.ts';
import { run } from '../run.ts';
import { parseScenario } from '../scenario/parse.ts';
import { PRESETS } from '../scenario/presets.ts';
import type { TraceEvent } from '../types.ts';
import golden from './text.golden.json';
import { eventText, outputEvent } from './text.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures');
const LEVELS = ['full', 'coarse'] as const;

/** The runs of the golden, by name ("preset:ID:KERNEL", "fixture:FOLDER/FILE", "large"), in its order. */
function cases(): [name: string, group: string, file: unknown][] {
  const all: [string, string, unknown][] = [];
  for (const p of PRESETS)
    for (const k of KERNEL_IDS) all.push([`preset:${p.id}:${k}`, `preset ${p.id}`, { ...p.file, kernel: k }]);
  for (const folder of ['linux-6.1', 'linux-6.12'])
    for (const f of readdirSync(join(FIXTURES, folder))
      .filter((n) => n.endsWith('.json'))
      .sort())
      all.push([
        `fixture:${folder}/${f}`,
        `fixtures ${folder}`,
        (JSON.parse(readFileSync(join(FIXTURES, folder, f), 'utf8')) as { scenario: unknown }).scenario,
      ]);
  all.push(['large', 'large', LARGE_SCENARIO]);
  return all;
}

/** Each run's events, per level; a preset some generation cannot run (a v5.2-only call) has none. */
const traces = new Map<string, TraceEvent[]>();
const groups = new Map<string, string[]>();
for (const [name, group, file] of cases()) {
  const parsed = parseScenario(file);
  if (!parsed.ok) continue;
  for (const level of LEVELS) {
    const trace = run(parsed.scenario, { trace: level }).trace;
    traces.set(`${name} ${level}`, trace);
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group)!.push(...trace.map(eventText));
  }
}

const hash = (sentences: string[]): string =>
  createHash('sha256').update(sentences.join('\n')).digest('hex').slice(0, 32);

describe('the sentences of every run', () => {
  test('cover the groups the golden has', () => {
    expect([...groups.keys()].sort()).toEqual(Object.keys(golden.hashes).sort());
  });

  test.each(Object.entries(golden.hashes))('%s: the same sentences, in order', (group, want) => {
    const got = groups.get(group) ?? [];
    expect(got.length).toBe(want.sentences);
    expect(got.every((t) => t.length > 0)).toBe(true);
    expect(hash(got)).toBe(want.sha256);
  });
});

describe('one sentence per kind of step', () => {
  test.each(Object.entries(golden.literals))('%s', (_kind, want) => {
    const ev = traces.get(`${want.case} ${want.level}`)?.[want.index];
    expect(ev).toBeDefined();
    expect(eventText(ev!)).toBe(want.text);
    // The CLI prints it where the engine's events had it, among the same fields (an undefined
    // field is not printed).
    const printed = Object.entries(outputEvent(ev!)).filter(([, v]) => v !== undefined);
    expect(printed.map(([k]) => k).join(',')).toBe(want.keys);
  });
});

/*
 * The retry budget's sentence: no preset or recording spends a budget, so the golden above never
 * meets it. The run is unlocked.test.ts's: an invalidation before every pass, a budget of 2.
 */
test("the retry budget's sentence, which the golden's runs never reach", () => {
  const parsed = parseScenario({
    format: 1,
    kernel: 'v7.3',
    call: 'hmm_range_fault_unlocked_timeout',
    timeout: 2,
    range: { start: '0x7f0000000000', pages: 4 },
    vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon', uffd: 'missing' }],
    defaultFlags: ['REQ_FAULT'],
    concurrent: [{ at: 'before-call', op: 'invalidate', pages: '0-3', repeat: true }],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  const spent = run(parsed.scenario, { trace: 'full' }).trace.filter(
    (e) => e.type === 'driver' && e.fn === 'retry_budget',
  );
  expect(spent.map(eventText)).toEqual([
    'time_after(jiffies 3, deadline 2): the retry budget is spent; unlock and return -EBUSY without walking.',
  ]);
  // Not among the golden's sentences: this test is the only one that holds it.
  for (const sentences of groups.values())
    expect(sentences.some((t) => t.startsWith('time_after('))).toBe(false);
});
