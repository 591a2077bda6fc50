import { useStore } from '../../state/store.ts';
import { useMode } from '../../state/mode.ts';
import { usePredict } from '../../state/predict.ts';
import { registerMode, switchMode } from '../modes.ts';
import { questionByNumber, questionScenario } from './questions.ts';

/**
 * Predict's place in the app: entering it starts a prediction for the explorer's scenario (or
 * keeps the one in progress); a ready question loads its scenario like a preset (undoable) and is
 * linkable as `#predict=N`; another scenario loaded meanwhile starts a fresh prediction.
 */

export function openQuestion(n: number): boolean {
  const q = questionByNumber(n);
  if (!q) return false;
  if (useMode.getState().mode !== 'predict') switchMode('predict');
  const s = questionScenario(q);
  useStore.getState().load(s, { watch: null });
  usePredict.getState().start(s, n);
  return true;
}

/** The explorer's own scenario, not a ready question. */
export function predictOwnScenario(): void {
  usePredict.getState().start(useStore.getState().scenario, null);
}

registerMode('predict', {
  enter: () => {
    if (usePredict.getState().scenario !== useStore.getState().scenario) predictOwnScenario();
    useStore.getState().toStart();
  },
});

// A scenario loaded while predicting (a preset, a file, an undo) is a new question.
useStore.subscribe((s, prev) => {
  if (s.scenario === prev.scenario || useMode.getState().mode !== 'predict') return;
  if (usePredict.getState().scenario === s.scenario) return;
  usePredict.getState().start(s.scenario, null);
});
