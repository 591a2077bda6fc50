import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMBED_DEFAULTS, embedQuery, embedSnippet, isEmbed, readEmbedOptions } from './params.ts';
import type { EmbedOptions } from './params.ts';

const moment = fc.option(
  fc.oneof(
    fc.nat(9999).map((step) => ({ kind: 'step' as const, step })),
    fc.record({
      kind: fc.constant('event' as const),
      what: fc.constantFrom('write-fault' as const, 'restart' as const),
      nth: fc.integer({ min: 1, max: 9 }),
      page: fc.option(fc.nat(99), { nil: null }),
    }),
  ),
  { nil: null },
);

const options: fc.Arbitrary<EmbedOptions> = fc.record({
  from: moment,
  to: moment,
  pages: fc.option(
    fc.tuple(fc.nat(100), fc.nat(100)).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]),
    { nil: null },
  ),
  legend: fc.boolean(),
  autoplay: fc.boolean(),
  theme: fc.constantFrom('system' as const, 'light' as const, 'dark' as const),
  motion: fc.constantFrom('system' as const, 'reduce' as const),
  problems: fc.constant([]),
});

describe('embed links', () => {
  it('read back the options they write', () => {
    fc.assert(
      fc.property(options, (o) => {
        expect(readEmbedOptions(embedQuery(o))).toEqual(o);
      }),
    );
    expect(readEmbedOptions(embedQuery(EMBED_DEFAULTS))).toEqual(EMBED_DEFAULTS);
    expect(embedQuery(EMBED_DEFAULTS)).toBe('?embed');
  });

  it('keep reading the step numbers of older links, and say what they cannot read', () => {
    expect(readEmbedOptions('?embed&from=5&to=20')).toMatchObject({
      from: { kind: 'step', step: 5 },
      to: { kind: 'step', step: 20 },
      problems: [],
    });
    const bad = readEmbedOptions('?embed&from=x-y&pages=7-3&theme=pink');
    expect(bad).toMatchObject({ from: null, pages: null, theme: 'system' });
    expect(bad.problems).toEqual([
      expect.stringMatching(/^from: “x-y” is neither/),
      'pages: expected first-last, such as 3-7, got “7-3”',
      'theme: expected light or dark, got “pink”',
    ]);
    expect(readEmbedOptions('?embed&autoplay').autoplay).toBe(true);
    expect(readEmbedOptions('?embed&autoplay=0').autoplay).toBe(false);
    expect(readEmbedOptions('?embed&legend&pages=3-7')).toMatchObject({ legend: true, pages: [3, 7] });
  });

  it('is recognised by ?embed', () => {
    expect(isEmbed('?embed')).toBe(true);
    expect(isEmbed('?embed&from=3')).toBe(true);
    expect(isEmbed('?embedded')).toBe(false);
    expect(isEmbed('')).toBe(false);
  });

  it('writes an iframe with a title, its attributes escaped', () => {
    const html = embedSnippet({
      base: 'https://docs.example/hmm/',
      hash: '#v=1&preset=example-2',
      options: { ...EMBED_DEFAULTS, from: { kind: 'event', what: 'write-fault', nth: 1, page: 5 } },
      title: 'HMM Explorer: "example" <2> & more',
      height: 540.4,
    });
    expect(html).toBe(
      '<iframe src="https://docs.example/hmm/?embed&amp;from=1st-write-fault-on-5#v=1&amp;preset=example-2" ' +
        'title="HMM Explorer: &quot;example&quot; &lt;2&gt; &amp; more" data-hmm-explorer width="100%" height="540" ' +
        'style="border:0; max-width:100%" loading="lazy"></iframe>',
    );
  });
});
