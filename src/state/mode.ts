import { create } from 'zustand';

/**
 * Which view of the app is on screen, apart from the scenario it shows: the explorer, the guided
 * tour, a prediction, or a comparison of two policies; and whether it is drawn for a room
 * (presentation mode). Kept out of the scenario store: switching views never edits the scenario
 * or its undo history, and an embed (which has one view) never loads it.
 */
export type Mode = 'explore' | 'tour' | 'predict' | 'compare';

export const MODES: readonly { id: Mode; label: string; hint: string }[] = [
  { id: 'explore', label: 'Explore', hint: 'Edit a scenario and watch every step' },
  { id: 'tour', label: 'Tour', hint: 'default_flags and pfn_flags_mask, step by step' },
  { id: 'predict', label: 'Predict', hint: 'Guess the faults, then check' },
  { id: 'compare', label: 'Compare', hint: 'Two policies on the same address space' },
];

export interface ModeState {
  mode: Mode;
  /** Presentation mode: large type, high contrast, clicker keys. */
  present: boolean;
  setMode: (m: Mode) => void;
  setPresent: (on: boolean) => void;
}

export const useMode = create<ModeState>()((set) => ({
  mode: 'explore',
  present: false,
  setMode: (mode) => set({ mode }),
  setPresent: (present) => set({ present }),
}));
