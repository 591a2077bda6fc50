import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { run } from '../../engine/run.ts';
import { defaultPreset, presetScenario } from '../../state/scenarioIO.ts';
import { tones } from '../theme/tones.ts';
import { esc, stageSvg } from './stageSvg.ts';
import type { Ink } from './stageSvg.ts';

const INK: Ink = {
  bg: '#eef1f5',
  panel: '#ffffff',
  panel2: '#f6f8fa',
  border: '#dde2ea',
  text: '#141b26',
  muted: '#535d6d',
  walk: '#f5a524',
  fault: '#c2410c',
  faultSoft: '#ffedd5',
  inval: '#b91c1c',
  bitOn: '#3b49c8',
  bitAdded: '#0f766e',
  bitOff: '#dfe4ec',
  vma: '#e9eef6',
  vmaInk: '#334155',
  bracket: '#64748b',
};

/** Tags open and close in order, attributes are quoted, text has no bare "<" or "&". */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(xml))) {
    const between = xml.slice(last, m.index);
    if (/[<]|&(?!amp;|lt;|gt;|quot;|#\d+;)/.test(between)) return false;
    last = tag.lastIndex;
    if (m[4]) continue;
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]);
  }
  return stack.length === 0 && last === xml.length;
}

describe('the stage as SVG', () => {
  const s = presetScenario(defaultPreset());
  const r = run(s);

  it('is a well-formed SVG document of the size it says', () => {
    for (const cursor of [0, 11, r.trace.length]) {
      const out = stageSvg({ scenario: s, run: r, cursor, ink: INK, tones: tones('light') });
      expect(out.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(out.svg).toContain(`width="${out.width}" height="${out.height}"`);
      expect(wellFormed(out.svg)).toBe(true);
    }
  });

  it('draws what the stage shows at the cursor: the step, the CPU and the device', () => {
    const start = stageSvg({ scenario: s, run: r, cursor: 0, ink: INK, tones: tones('dark') }).svg;
    expect(start).toContain('Before the run');
    expect(start).not.toContain('>V W</text>');
    const end = stageSvg({ scenario: s, run: r, cursor: r.trace.length, ink: INK, tones: tones('dark') }).svg;
    expect(end).toContain(`step ${r.trace.length} of ${r.trace.length}`);
    // Example 2's device ends with 15 writable entries and one read-only one.
    expect(end.match(/>rw<\/text>/g)?.length).toBeGreaterThanOrEqual(15 * 2);
    expect(end).toContain(s.title);
  });

  it('leaves no character XML cannot hold, whatever the text', () => {
    const notXml = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
    expect(esc('a\u0007\u0000\u001b[31m\uffff\ud800b')).toBe('a\uFFFD\uFFFD\uFFFD[31m\uFFFD\uFFFDb');
    fc.assert(
      fc.property(
        fc
          .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 })
          // UTF-16 units, so lone surrogates and U+FFFE/U+FFFF come up as often as controls.
          .map((a) => String.fromCharCode(...a)),
        (t) => {
          expect(notXml.test(esc(t))).toBe(false);
        },
      ),
    );
  });

  it('escapes what the scenario says', () => {
    const out = stageSvg({
      scenario: { ...s, title: 'a <b> & "c"' },
      run: r,
      cursor: 3,
      ink: INK,
      tones: tones('light'),
    });
    expect(out.svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(wellFormed(out.svg)).toBe(true);
  });
});
