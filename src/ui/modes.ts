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

export function registerMode(mode: Mode, h: ModeHooks): void {
  hooks.set(mode, h);
}

export function switchMode(to: Mode): void {
  const from = useMode.getState().mode;
  if (from === to) return;
  hooks.get(from)?.leave?.(to);
  useMode.getState().setMode(to);
  hooks.get(to)?.enter?.();
}
