import { useEffect } from 'react';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { useMediaQuery } from '../hooks.ts';
import type { ThemeName } from './palette.ts';

const selectTheme = (s: Store) => s.theme;

/** The theme in effect: the user's choice, else the system's. */
export function useThemeName(): ThemeName {
  const choice = useStore(selectTheme);
  const dark = useMediaQuery('(prefers-color-scheme: dark)');
  return choice === 'system' ? (dark ? 'dark' : 'light') : choice;
}

/** Puts the theme on <html> so CSS (and the browser's own controls) follow it. */
export function useApplyTheme(): void {
  const theme = useThemeName();
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = theme;
    root.style.colorScheme = theme;
  }, [theme]);
}
