import { useMode } from '../state/mode.ts';
import type { Mode } from '../state/mode.ts';

/**
 * Moving between views. Each view may load its own scenario on the way in (a tour step, a ready
 * question) and give the user's back on the way out; the hooks live with the views.
 */
export interface ModeHooks {
  enter?: () => void;
  leave?: (to: Mode) => void;
}

const hooks = new Map<Mode, ModeHooks>();

/**
 * The views that load on entry, not with the app: their modules (the tour's chapters, the ready
 * questions, and the scenarios they parse) register their hooks when loaded.
 */
const loaders: Partial<Record<Mode, () => Promise<unknown>>> = {
  tour: () => import('./tour/tourMode.ts'),
  predict: () => import('./predict/predictMode.ts'),
};
const modules = new Map<Mode, unknown>();

/** Loads a view's module (once); resolves to it. */
export async function loadMode<T>(mode: Mode): Promise<T | null> {
  const load = loaders[mode];
  if (!load) return null;
  if (!modules.has(mode)) modules.set(mode, await load());
  return modules.get(mode) as T;
}

/** A view's module if it has been loaded (the view has been entered, or a link opened it). */
export function loadedMode<T>(mode: Mode): T | null {
  return (modules.get(mode) as T | undefined) ?? null;
}

export function registerMode(mode: Mode, h: ModeHooks): void {
  hooks.set(mode, h);
}

export function switchMode(to: Mode): void {
  const from = useMode.getState().mode;
  if (from === to) return;
  // A view that loads on entry is switched to once it is there (its hooks open its scenario).
  // (A module registers its hooks when it runs, however it was imported.)
  if (loaders[to] && !hooks.has(to)) {
    void loadMode(to).then(() => switchMode(to));
    return;
  }
  hooks.get(from)?.leave?.(to);
  useMode.getState().setMode(to);
  hooks.get(to)?.enter?.();
}
