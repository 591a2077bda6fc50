import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressToEncodedURIComponent } from 'lz-string';
import type { Scenario } from '../engine/types.ts';
import { compactHash, PRESETS, presetScenario, readableHash } from './scenarioIO.ts';
import { setDefaultFlags, setMask } from './edits.ts';
import { formatLink, parseLink } from './link.ts';
import type { AppLink, LinkView } from './link.ts';
import type { Anchor } from './anchor.ts';

const presets = PRESETS.map((p) => presetScenario(p));

/** Scenarios a user could have on screen: a preset, retitled, with another policy. */
const scenario: fc.Arbitrary<Scenario> = fc
  .tuple(
    fc.constantFrom(...presets),
    fc.string({ maxLength: 30 }),
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  )
  .map(([s, title, mask, flags]) =>
    s.call === 'hmm_vma_fault' ? { ...s, title } : setDefaultFlags(setMask({ ...s, title }, mask), flags),
  );

const anchor: fc.Arbitrary<Anchor | null> = fc.option(
  fc.oneof(
    fc.nat(5000).map((step) => ({ kind: 'step' as const, step })),
    fc.constant({ kind: 'end' as const }),
    fc.record({
      kind: fc.constant('event' as const),
      what: fc.constantFrom('write-fault' as const, 'restart' as const, 'programmed' as const),
      nth: fc.integer({ min: 1, max: 9 }),
      page: fc.option(fc.nat(4095), { nil: null }),
    }),
  ),
  { nil: null },
);

const view: fc.Arbitrary<LinkView> = fc.oneof(
  scenario.map((s) => ({ view: 'explore' as const, scenario: s })),
  fc
    .tuple(
      fc.constantFrom('seed' as const, 'today' as const, 'locks' as const),
      fc.integer({ min: 1, max: 99 }),
    )
    .map(([tour, step]) => ({ view: 'tour' as const, tour, step })),
  fc.integer({ min: 1, max: 99 }).map((question) => ({ view: 'predict' as const, question })),
  scenario.map((s) => ({ view: 'predict' as const, question: null, scenario: s })),
  fc
    .tuple(scenario, scenario, fc.option(fc.string({ maxLength: 60 }), { nil: null }))
    .map(([a, b, caption]) => ({ view: 'compare' as const, a, b, caption: caption || null })),
);

function ok(hash: string): AppLink {
  const r = parseLink(hash);
  if (r.kind !== 'ok') throw new Error(`${hash}: ${JSON.stringify(r)}`);
  return r.link;
}

describe('links', () => {
  it('read back every state they write, compact or readable', () => {
    fc.assert(
      fc.property(view, anchor, fc.boolean(), (state, at, readable) => {
        const hash = formatLink({ state, at }, { readable });
        expect(hash).toMatch(/^#v=1&/);
        expect(parseLink(hash)).toEqual({ kind: 'ok', link: { version: 1, state, at, watch: null } });
      }),
      { numRuns: 150 },
    );
  });

  it('never throw, whatever the hash; a bad link says what is wrong', () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc
        .array(
          fc.tuple(
            fc.constantFrom(
              'v',
              'view',
              's',
              'a',
              'b',
              'at',
              'step',
              'question',
              'preset',
              'scenario',
              'caption',
              'tour',
              'predict',
              'x',
            ),
            fc.string({ maxLength: 12 }),
          ),
        )
        .map((kv) => kv.map(([k, v]) => `${k}=${v}`).join('&')),
    );
    fc.assert(
      fc.property(junk, (h) => {
        const r = parseLink(`#${h}`);
        if (r.kind === 'error') {
          expect(r.what.length).toBeGreaterThan(0);
          expect(r.problems.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keep opening the links written before the format had a version', () => {
    const ex2 = presets[0];
    expect(ok(compactHash(ex2))).toEqual({
      version: 0,
      state: { view: 'explore', scenario: ex2 },
      at: null,
      watch: null,
    });
    expect(ok(readableHash(ex2)).state).toEqual({ view: 'explore', scenario: ex2 });
    const p = ok('#preset=example-1');
    expect(p.state).toEqual({
      view: 'explore',
      scenario: presetScenario(PRESETS.find((x) => x.id === 'example-1')!),
    });
    expect(p.watch).toMatch(/read fault on page 4/);
    expect(ok('#tour=3').state).toEqual({ view: 'tour', tour: 'seed', step: 3 });
    expect(ok('#today=2').state).toEqual({ view: 'tour', tour: 'today', step: 2 });
    expect(ok('#v=1&view=tour&tour=today&step=4').state).toEqual({ view: 'tour', tour: 'today', step: 4 });
    expect(ok('#predict=2').state).toEqual({ view: 'predict', question: 2 });
    expect(parseLink('#section-2')).toEqual({ kind: 'none' });
    expect(parseLink('')).toEqual({ kind: 'none' });
  });

  it('say what is wrong with a link they cannot open', () => {
    expect(parseLink('#s=abc')).toMatchObject({ kind: 'error', what: expect.stringContaining('damaged') });
    expect(parseLink('#preset=nope')).toMatchObject({
      kind: 'error',
      what: 'There is no preset named “nope”.',
    });
    expect(parseLink('#tour=x')).toMatchObject({
      kind: 'error',
      problems: ['tour: expected a number from 1, got “x”'],
    });
    expect(parseLink('#v=2&s=x')).toMatchObject({ kind: 'error', what: expect.stringContaining('newer') });
    expect(parseLink('#v=1&preset=example-2&at=the-moment')).toMatchObject({
      kind: 'error',
      problems: [expect.stringMatching(/^at: “the-moment” is neither/)],
    });
    expect(parseLink('#v=1&view=compare&a=preset:example-1')).toMatchObject({
      kind: 'error',
      problems: ['b: missing (each side of a comparison is a scenario)'],
    });
    const bad = compressToEncodedURIComponent(JSON.stringify({ format: 1, title: 'x' }));
    const r = parseLink(`#v=1&s=${bad}`);
    expect(r.kind).toBe('error');
    if (r.kind === 'error') for (const line of r.problems) expect(line).toMatch(/^s: \S.*: /);
  });

  it('take hand-written moments and presets, as a docs author writes them', () => {
    const l = ok('#v=1&preset=example-2&at=1st-write-fault-on-5');
    expect(l.at).toEqual({ kind: 'event', what: 'write-fault', nth: 1, page: 5 });
    expect(l.watch).toMatch(/Page 5/);
    const c = ok('#v=1&view=compare&a=preset:example-1&b=preset:example-1-v5.2&at=2nd-restart');
    expect(c.state.view).toBe('compare');
  });
});
