import { useLayoutEffect } from 'react';
import { toneVariables } from './tones.ts';
import { useThemeName } from './useTheme.ts';

/** `--name:value;` pairs as [name, value]. */
function declarations(css: string): [string, string][] {
  return css
    .split(';')
    .filter(Boolean)
    .map((d) => {
      const i = d.indexOf(':');
      return [d.slice(0, i), d.slice(i + 1)];
    });
}

/**
 * The state colours of the theme in effect as CSS custom properties on <html> (derived with d3
 * when the app was built, see palette.ts).
 * Set through the CSSOM, not an inline <style>: a strict Content-Security-Policy
 * (`style-src 'self'`, see index.html) blocks inline style elements, and every cell would lose
 * its colour, while it allows a script of the page's own to set properties.
 */
export function ThemeStyle() {
  const theme = useThemeName();
  // Before paint, so the first frame already has its colours.
  useLayoutEffect(() => {
    const style = document.documentElement.style;
    for (const [name, value] of declarations(toneVariables(theme))) style.setProperty(name, value);
  }, [theme]);
  return null;
}
