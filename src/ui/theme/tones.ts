import { TONES } from 'virtual:tones';
import type { Tone } from '../model/states.ts';
import type { ThemeName, ToneColors } from './palette.ts';

/** The state colours of a theme, derived when the app was built (see palette.ts). */
export function tones(theme: ThemeName): Record<Tone, ToneColors> {
  return TONES[theme];
}

/** CSS custom properties for one theme: --tone-<name>-bg / -fg / -border / -solid / -solid-fg. */
export function toneVariables(theme: ThemeName): string {
  return Object.entries(tones(theme))
    .map(
      ([name, c]) =>
        `--tone-${name}-bg:${c.bg};--tone-${name}-fg:${c.fg};--tone-${name}-border:${c.border};` +
        `--tone-${name}-solid:${c.solid};--tone-${name}-solid-fg:${c.solidFg};`,
    )
    .join('');
}
