import { create } from 'zustand';
import type { Scenario } from '../engine/types.ts';

/**
 * Where the learner is in the guided tour, kept across visits (localStorage), and the explorer's
 * scenario and undo history from before the tour, given back when the tour is left.
 */
export const TOUR_IDS = ['seed', 'today', 'locks'] as const;
export type TourId = (typeof TOUR_IDS)[number];

export function isTourId(v: string | null): v is TourId {
  return (TOUR_IDS as readonly (string | null)[]).includes(v);
}

export interface TourState {
  /** Which tour is on screen: the seed's 2019 wording, today's, or the mmap lock chapter. */
  tour: TourId;
  /** 0-based step on screen. */
  step: number;
  /** The explorer's state when the tour was entered. */
  before: { scenario: Scenario; past: Scenario[]; future: Scenario[] } | null;
  /** The step's scenario, as loaded (an edit, such as "try it", replaces it in the store). */
  loaded: Scenario | null;
  /** The step's "try it" change has been applied. */
  tried: boolean;
  setStep: (step: number, loaded: Scenario, tour?: TourId) => void;
  setTried: (tried: boolean) => void;
  setBefore: (b: TourState['before']) => void;
}

const KEY = 'hmm-explorer:tour-step';
/** The tour last seen, so entering the tour view resumes it. */
const TOUR_KEY = 'hmm-explorer:tour';
const stepKey = (tour: TourId) => (tour === 'seed' ? KEY : `${KEY}:${tour}`);

export function savedTour(): TourId {
  try {
    const v = localStorage.getItem(TOUR_KEY);
    return isTourId(v) ? v : 'seed';
  } catch {
    return 'seed';
  }
}

/** The step last seen in a tour, so the tour resumes there. */
export function savedStep(tour: TourId = 'seed'): number | null {
  try {
    const v = Number(localStorage.getItem(stepKey(tour)));
    return Number.isInteger(v) && v > 0 ? v - 1 : null;
  } catch {
    return null;
  }
}

function save(step: number, tour: TourId): void {
  try {
    localStorage.setItem(stepKey(tour), String(step + 1));
    localStorage.setItem(TOUR_KEY, tour);
  } catch {
    // Storage disabled: the tour starts at step 1 next time, and #tour=N links still work.
  }
}

export const useTour = create<TourState>()((set, get) => ({
  tour: 'seed',
  step: 0,
  before: null,
  loaded: null,
  tried: false,
  setStep: (step, loaded, tour = get().tour) => {
    save(step, tour);
    set({ step, loaded, tried: false, tour });
  },
  setTried: (tried) => set({ tried }),
  setBefore: (before) => set({ before }),
}));
