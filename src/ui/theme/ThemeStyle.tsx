import { useMemo } from 'react';
import { toneVariables } from './palette.ts';

/** The state colours of both themes as CSS custom properties, computed once with d3. */
export function ThemeStyle() {
  const css = useMemo(
    () =>
      `:root[data-theme='light']{${toneVariables('light')}}` +
      `:root[data-theme='dark']{${toneVariables('dark')}}`,
    [],
  );
  return <style>{css}</style>;
}
