import type { Route } from '../state/boot.ts';

/** The views' links (`#tour=3`, `#predict=2`), read by boot() and on every hash change. */
export const ROUTES: readonly Route[] = [];
