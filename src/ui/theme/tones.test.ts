import { describe, expect, test } from 'vitest';
import { contrast, deriveTones } from './palette.ts';
import { toneVariables, tones } from './tones.ts';

describe('the state colours the page reads', () => {
  test.each(['light', 'dark'] as const)('are the %s colours palette.ts derives', (theme) => {
    expect(tones(theme)).toEqual(deriveTones(theme));
  });

  test.each(['light', 'dark'] as const)('keep every %s text readable on its fill (WCAG AA)', (theme) => {
    for (const c of Object.values(tones(theme))) {
      expect(contrast(c.fg, c.bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c.solidFg, c.solid)).toBeGreaterThanOrEqual(4.5);
    }
  });

  test('become one CSS custom property per tone and part', () => {
    const css = toneVariables('dark');
    expect(css).toContain(`--tone-read-bg:${tones('dark').read.bg};`);
    expect(css.split(';').filter(Boolean)).toHaveLength(Object.keys(tones('dark')).length * 5);
  });
});
