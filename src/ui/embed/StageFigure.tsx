import { useEffect, useMemo } from 'react';
import { useStore } from '../../state/store.ts';
import { useTour } from '../../state/tour.ts';
import { activeRun } from '../../state/derived.ts';
import { Stage } from '../stage/Stage.tsx';
import { Player, mainActions } from '../player/Player.tsx';
import type { StepRange } from '../player/Player.tsx';
import { usePlayback, usePlayerKeys } from '../player/usePlayback.ts';
import { Narration } from '../explain/Narration.tsx';
import { loadedMode } from '../modes.ts';
import type * as TourMode from '../tour/tourMode.ts';
import { notice, resolveRange } from './figure.ts';
import type { FigureProps } from './figure.ts';

/** Clock, keys and theme as a leaf (a subscription at the root would re-render everything). */
function Drivers({ range }: { range: StepRange }) {
  usePlayback(range);
  usePlayerKeys(useMemo(() => mainActions(range), [range]));
  return null;
}

/** The stage, the player and the narration of the store's run (a scenario or a tour step). */
export function StageFigure({ options, at, tour = false }: FigureProps & { tour?: boolean }) {
  const run = useStore((s) => activeRun(s.scenario, s.run, s.runScenario));
  const step = useTour((t) => t.step);
  const tourId = useTour((t) => t.tour);
  const resolved = useMemo(() => {
    // An embedded tour step: its link loaded the tour's module (links.ts, openEmbedLink).
    const tm = tour ? loadedMode<typeof TourMode>('tour') : null;
    const st = tm ? tm.tourById(tourId).steps[step] : undefined;
    return run ? resolveRange(run, options, at, tm && st ? tm.stepCursor(st, run) : 0) : null;
  }, [run, options, at, tour, step, tourId]);
  const range = resolved?.range ?? null;
  useEffect(() => {
    if (!run || !resolved) return;
    useStore.setState({
      cursor: resolved.start,
      playing: options.autoplay && resolved.start < run.trace.length,
    });
    notice(resolved.notes, options.problems);
  }, [run, resolved, options]);
  return (
    <>
      <Drivers range={range} />
      <Stage hover={false} legend={options.legend} pin={options.pages} />
      <div className="embed-dock">
        <Player range={range} id="embed-player" />
        <Narration />
      </div>
    </>
  );
}

/** A tour step's stage: it opens at the step's moment. */
export function TourStageFigure(props: FigureProps) {
  return <StageFigure {...props} tour />;
}
