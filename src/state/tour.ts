import { create } from 'zustand';
import type { Scenario } from '../engine/types.ts';

/**
 * Where the learner is in the guided tour, kept across visits (localStorage), and the explorer's
 * scenario and undo history from before the tour, given back when the tour is left.
 */
export interface TourState {
  /** 0-based step on screen. */
  step: number;
  /** The explorer's state when the tour was entered. */
  before: { scenario: Scenario; past: Scenario[]; future: Scenario[] } | null;
  /** The step's scenario, as loaded (an edit, such as "try it", replaces it in the store). */
  loaded: Scenario | null;
  /** The step's "try it" change has been applied. */
  tried: boolean;
  setStep: (step: number, loaded: Scenario) => void;
  setTried: (tried: boolean) => void;
  setBefore: (b: TourState['before']) => void;
}

const KEY = 'hmm-explorer:tour-step';

/** The step last seen, so the tour resumes there. */
export function savedStep(): number | null {
  try {
    const v = Number(localStorage.getItem(KEY));
    return Number.isInteger(v) && v > 0 ? v - 1 : null;
  } catch {
    return null;
  }
}

function save(step: number): void {
  try {
    localStorage.setItem(KEY, String(step + 1));
  } catch {
    // Storage disabled: the tour starts at step 1 next time, and #tour=N links still work.
  }
}

export const useTour = create<TourState>()((set) => ({
  step: 0,
  before: null,
  loaded: null,
  tried: false,
  setStep: (step, loaded) => {
    save(step);
    set({ step, loaded, tried: false });
  },
  setTried: (tried) => set({ tried }),
  setBefore: (before) => set({ before }),
}));
