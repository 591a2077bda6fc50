import type { Route } from '../state/boot.ts';
import { PREDICT_ROUTE } from './predict/predictMode.ts';
import { TOUR_ROUTE, TOUR_TODAY_ROUTE } from './tour/tourMode.ts';

/** The views' links (`#tour=3`, `#predict=2`), read by boot() and on every hash change. */
export const ROUTES: readonly Route[] = [TOUR_ROUTE, TOUR_TODAY_ROUTE, PREDICT_ROUTE];
