import { describe, expect, it } from 'vitest';
import { EMBED_DEFAULTS, embedQuery, embedSnippet, isEmbed, readEmbedOptions } from './params.ts';

describe('embed links', () => {
  it('reads what the dialog writes', () => {
    const o = { from: 11, to: 24, autoplay: true, theme: 'dark' as const };
    expect(readEmbedOptions(embedQuery(o))).toEqual(o);
    expect(readEmbedOptions(embedQuery(EMBED_DEFAULTS))).toEqual(EMBED_DEFAULTS);
    expect(embedQuery(EMBED_DEFAULTS)).toBe('?embed');
  });

  it('falls back to defaults on anything it cannot read, and keeps to >= from', () => {
    expect(readEmbedOptions('?embed&from=x&to=-3&theme=pink')).toEqual(EMBED_DEFAULTS);
    expect(readEmbedOptions('?embed&from=9&to=4')).toMatchObject({ from: 9, to: 9 });
    expect(readEmbedOptions('?embed&autoplay').autoplay).toBe(true);
    expect(readEmbedOptions('?embed&autoplay=0').autoplay).toBe(false);
    expect(isEmbed('?embed')).toBe(true);
    expect(isEmbed('?embedded')).toBe(false);
    expect(isEmbed('')).toBe(false);
  });

  it('writes an iframe with a title, its attributes escaped', () => {
    const html = embedSnippet({
      base: 'https://docs.example/hmm/',
      hash: '#preset=example-2',
      options: { ...EMBED_DEFAULTS, from: 3 },
      title: 'HMM Explorer: "example" <2> & more',
      height: 540.4,
    });
    expect(html).toBe(
      '<iframe src="https://docs.example/hmm/?embed&amp;from=3#preset=example-2" ' +
        'title="HMM Explorer: &quot;example&quot; &lt;2&gt; &amp; more" width="100%" height="540" ' +
        'style="border:0; max-width:100%" loading="lazy"></iframe>',
    );
  });
});
