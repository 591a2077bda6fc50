import { create } from 'zustand';
import type { DeviceState, Scenario } from '../engine/types.ts';

/**
 * A learner's prediction for the explorer's scenario: per page, whether handle_mm_fault will run
 * on it (0 none, 1 read, 2 write) and what the device will end with; then the reveal. The
 * prediction belongs to one scenario object: when the scenario changes, it starts over.
 */
export const DEVICE_GUESSES: readonly DeviceState[] = ['none', 'ro', 'rw'];

/** Predictions are page by page: past this many pages they stop being a quiz. */
export const MAX_PREDICT_PAGES = 64;

export interface PredictState {
  /** The scenario the guesses are for. */
  scenario: Scenario | null;
  /** 1-based number of the ready question on screen, or null (the explorer's own scenario). */
  question: number | null;
  faults: Uint8Array;
  /** Index into DEVICE_GUESSES per page. */
  device: Uint8Array;
  revealed: boolean;
  /** Starts a fresh prediction for `s` (all "no fault", device "none"). */
  start: (s: Scenario, question?: number | null) => void;
  cycleFault: (page: number) => void;
  cycleDevice: (page: number) => void;
  setAll: (what: 'faults' | 'device', value: number) => void;
  reveal: () => void;
  /** Back to guessing, the same guesses kept. */
  retry: () => void;
}

export const usePredict = create<PredictState>()((set, get) => ({
  scenario: null,
  question: null,
  faults: new Uint8Array(0),
  device: new Uint8Array(0),
  revealed: false,
  start: (s, question = null) =>
    set({
      scenario: s,
      question,
      faults: new Uint8Array(s.range.pages),
      device: new Uint8Array(s.range.pages),
      revealed: false,
    }),
  cycleFault: (page) => {
    const faults = get().faults.slice();
    faults[page] = (faults[page] + 1) % 3;
    set({ faults });
  },
  cycleDevice: (page) => {
    const device = get().device.slice();
    device[page] = (device[page] + 1) % 3;
    set({ device });
  },
  setAll: (what, value) => {
    const arr = get()[what].slice().fill(value);
    set({ [what]: arr } as Partial<PredictState>);
  },
  reveal: () => set({ revealed: true }),
  retry: () => set({ revealed: false }),
}));
