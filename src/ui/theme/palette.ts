import { color, rgb } from 'd3-color';
import { interpolateRgb } from 'd3-interpolate';
import type { Tone } from '../model/states.ts';

/**
 * The state colours, derived with d3 from one base hue per tone so the light and dark themes stay
 * related. This runs when the app is built (vite.config.ts's `virtual:tones`), not in the page:
 * d3-color and d3-interpolate would be 6 KB gzip of the first load for 100 fixed colours; the
 * page reads them from ./tones.ts. Cell text must stay readable on a projector and pass WCAG AA (4.5:1), so every
 * foreground is pushed darker / brighter until it does.
 */
const BASE: Record<Tone, string> = {
  empty: '#8b95a5',
  read: '#2f6fe4',
  write: '#16a34a',
  shared: '#d97706',
  zero: '#7c3aed',
  special: '#db2777',
  away: '#8a6d4b',
  device: '#0d9488',
  error: '#dc2626',
  huge: '#4f46e5',
};

export interface ToneColors {
  bg: string;
  fg: string;
  border: string;
  /** A solid fill for emphasis (device entries, the overview strip). */
  solid: string;
  solidFg: string;
}

function luminance(c: string): number {
  const { r, g, b } = rgb(c);
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: string, b: string): number {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}

/** Darkens (on a light background) or brightens `fg` until it reaches `ratio` against `bg`. */
export function ensureContrast(fg: string, bg: string, ratio = 4.7): string {
  const darker = luminance(bg) > 0.25;
  let c = color(fg)!;
  for (let i = 0; i < 40 && contrast(c.formatHex(), bg) < ratio; i++) {
    c = darker ? c.darker(0.15) : c.brighter(0.15);
  }
  if (contrast(c.formatHex(), bg) < ratio) return darker ? '#000000' : '#ffffff';
  return c.formatHex();
}

export type ThemeName = 'light' | 'dark';
export const SURFACE: Record<ThemeName, string> = { light: '#ffffff', dark: '#141a24' };

export function deriveTones(theme: ThemeName): Record<Tone, ToneColors> {
  const surface = SURFACE[theme];
  const out = {} as Record<Tone, ToneColors>;
  for (const [tone, base] of Object.entries(BASE) as [Tone, string][]) {
    const mix = interpolateRgb(base, surface);
    const bg = rgb(mix(theme === 'light' ? 0.84 : 0.72)).formatHex();
    const fg = ensureContrast(
      theme === 'light' ? color(base)!.darker(0.8).formatHex() : color(base)!.brighter(1).formatHex(),
      bg,
    );
    const border = rgb(mix(theme === 'light' ? 0.45 : 0.35)).formatHex();
    // Solid fills carry white text: darken the fill until it reads (WCAG AA 4.5:1, with margin).
    let solidColor = color(base)!.darker(theme === 'light' ? 0.35 : 0.1);
    for (let k = 0; k < 30 && contrast('#ffffff', solidColor.formatHex()) < 4.7; k++)
      solidColor = solidColor.darker(0.1);
    const solid = solidColor.formatHex();
    const solidFg = '#ffffff';
    out[tone] = { bg, fg, border, solid, solidFg };
  }
  // An empty entry must look empty, not like a grey state.
  out.empty.solid = theme === 'light' ? '#eef1f5' : '#1d2533';
  out.empty.solidFg = ensureContrast(theme === 'light' ? '#5b6472' : '#9aa4b5', out.empty.solid);
  return out;
}
