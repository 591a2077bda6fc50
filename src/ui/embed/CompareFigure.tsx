import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCompare, compareLength, bothReady } from '../../state/compare.ts';
import type { CompareState } from '../../state/compare.ts';
import { PlayerBar } from '../player/PlayerBar.tsx';
import { CompareDrivers, CompareSide, compareActions, useDifferences } from '../compare/CompareView.tsx';
import { notice, resolveRange } from './figure.ts';
import type { FigureProps } from './figure.ts';

/** Both sides of a comparison, under one player. */
export function CompareFigure({ options, at }: FigureProps) {
  const { a, b, cursor, playing, speed } = useCompare(
    useShallow((s: CompareState) => ({
      a: s.a,
      b: s.b,
      cursor: s.cursor,
      playing: s.playing,
      speed: s.speed,
    })),
  );
  const ready = bothReady({ a, b });
  const { marked, marks } = useDifferences(a, b);
  const runA = a?.run ?? null;
  useEffect(() => {
    if (!ready || !runA) return;
    const r = resolveRange(runA, { ...options, to: null }, at, 0);
    useCompare.setState({ cursor: r.start, playing: options.autoplay });
    notice(r.notes, options.problems);
    // Once per pair of runs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, runA]);
  return (
    <>
      <CompareDrivers />
      {/* The sides' headings are h3, as in the app: an h2 keeps the outline in order. */}
      <h2 className="sr-only">Policies A and B</h2>
      <div className="compare-sides embed-compare">
        <CompareSide id="a" marked={marked} readOnly />
        <CompareSide id="b" marked={marked} readOnly />
      </div>
      <div className="embed-dock">
        <PlayerBar
          id="embed-player"
          cursor={cursor}
          max={compareLength({ a, b })}
          playing={playing}
          speed={speed}
          disabled={!ready}
          busy={!ready}
          marks={marks}
          actions={compareActions}
        />
      </div>
    </>
  );
}
