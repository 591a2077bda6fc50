import { parseScenario } from '../../engine/scenario/parse.ts';
import type { Run, Scenario } from '../../engine/types.ts';
import { useStore } from '../../state/store.ts';
import { parseAnchor, resolveAnchor } from '../../state/anchor.ts';
import { useMode } from '../../state/mode.ts';
import { savedStep, savedTour, useTour, type TourId } from '../../state/tour.ts';
import { registerMode, switchMode } from '../modes.ts';
import type { TourStep } from './steps.ts';
import { tourById } from './tours.ts';

export { tourById };

/**
 * The tour's place in the app: entering it resumes at the step last seen (or #tour=N), each step
 * loads its scenario into the explorer's store and puts the cursor at the step's moment, and
 * leaving gives back the scenario and undo history the user had.
 */

export function stepScenario(st: TourStep): Scenario {
  const r = parseScenario(st.file);
  if (!r.ok) throw new Error(`tour step ${st.id} does not parse: ${r.problems.join('; ')}`);
  return r.scenario;
}

/** The cursor a step opens at: its moment in the run (the start if it names none). */
export function stepCursor(st: TourStep, run: Run): number {
  const a = parseAnchor(st.at);
  return a.ok ? resolveAnchor(a.anchor, run.trace).cursor : 0;
}

/** Set while openStep enters the tour itself, so entering does not open the resumed step first. */
let opening = false;

/** Opens step `n` (1-based) of a tour (by default the one on screen); false when there is none. */
export function openStep(n: number, tourId: TourId = useTour.getState().tour): boolean {
  const tour = tourById(tourId);
  const st = tour.steps[n - 1];
  if (!st) return false;
  if (useMode.getState().mode !== 'tour') {
    opening = true;
    switchMode('tour');
    opening = false;
  }
  const s = stepScenario(st);
  useTour.getState().setStep(n - 1, s, tourId);
  useStore.getState().load(s, { watch: null });
  return true;
}

/** Puts the cursor at the step's moment once its run is there (the run arrives from the worker). */
export function placeCursor(): void {
  const { step, loaded, tour } = useTour.getState();
  const s = useStore.getState();
  if (!s.run || s.runScenario !== s.scenario || s.scenario !== loaded) return;
  s.setCursor(stepCursor(tourById(tour).steps[step], s.run));
}

registerMode('tour', {
  enter: () => {
    const s = useStore.getState();
    if (!useTour.getState().before)
      useTour.getState().setBefore({ scenario: s.scenario, past: s.past, future: s.future });
    // Resume where the learner was, unless a link (#tour=N) is opening its own step.
    // A saved step this tour no longer has (another version's, a damaged value) starts at 1.
    if (!opening) {
      const tour = savedTour();
      if (!openStep((savedStep(tour) ?? 0) + 1, tour)) openStep(1, tour);
    }
  },
  leave: () => {
    const b = useTour.getState().before;
    useTour.getState().setBefore(null);
    if (!b) return;
    useStore.getState().load(b.scenario);
    useStore.setState({ past: b.past, future: b.future });
  },
});

// Each run that arrives for a step's own scenario opens at the step's moment.
useStore.subscribe((s, prev) => {
  if (s.run === prev.run || useMode.getState().mode !== 'tour') return;
  placeCursor();
});
