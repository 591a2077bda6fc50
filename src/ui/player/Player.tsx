import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { activeRun, runIndex } from '../../state/derived.ts';
import { PlayerBar } from './PlayerBar.tsx';
import type { PlayerActions } from './PlayerBar.tsx';

/** Steps [from, to] a player is locked to (an embed showing one part of a run), or null. */
export type StepRange = readonly [number, number] | null;

function traceLength(s: Store): number {
  const run = activeRun(s.scenario, s.run, s.runScenario);
  return run ? run.trace.length : 0;
}

/** The cursor's bounds: the range, cut to the trace that is there. */
export function bounds(s: Store, range: StepRange): [number, number] {
  const n = traceLength(s);
  if (!range) return [0, n];
  const lo = Math.max(0, Math.min(range[0], n));
  return [lo, Math.max(lo, Math.min(range[1], n))];
}

/**
 * The explorer's player actions, kept inside a step range when there is one. They read the store
 * when called, so key handlers registered once stay current.
 */
export function mainActions(range: StepRange): PlayerActions {
  const s = () => useStore.getState();
  if (!range) {
    return {
      setCursor: (c) => s().setCursor(c),
      step: (d) => s().step(d),
      togglePlay: () => s().togglePlay(),
      toStart: () => s().toStart(),
      toEnd: () => s().toEnd(),
      setSpeed: (x) => s().setSpeed(x),
    };
  }
  const clamp = (c: number) => {
    const [lo, hi] = bounds(s(), range);
    return Math.max(lo, Math.min(hi, Math.round(c)));
  };
  return {
    setCursor: (c) => useStore.setState({ cursor: clamp(c) }),
    step: (d) => useStore.setState({ cursor: clamp(s().cursor + d), playing: false }),
    togglePlay: () => {
      const st = s();
      if (st.playing) return st.pause();
      if (!activeRun(st.scenario, st.run, st.runScenario)) return;
      const [lo, hi] = bounds(st, range);
      // Play at the end of the range starts it over, as media players do.
      const cursor = st.cursor >= hi || st.cursor < lo ? lo : st.cursor;
      useStore.setState({ playing: true, cursor, follow: true });
    },
    toStart: () => useStore.setState({ cursor: bounds(s(), range)[0], playing: false }),
    toEnd: () => useStore.setState({ cursor: bounds(s(), range)[1], playing: false }),
    setSpeed: (x) => s().setSpeed(x),
  };
}

const selectPlayer = (s: Store) => ({
  run: activeRun(s.scenario, s.run, s.runScenario),
  runState: s.runState,
  cursor: s.cursor,
  playing: s.playing,
  speed: s.speed,
});

/**
 * The explorer's player: the store's cursor over the store's run (within `range` if given).
 * `locked` keeps it at the start (a prediction not yet revealed).
 */
export function Player({
  range = null,
  id = 'player',
  locked = false,
}: {
  range?: StepRange;
  id?: string;
  locked?: boolean;
}) {
  const { run, runState, cursor, playing, speed } = useStore(useShallow(selectPlayer));
  const actions = useMemo(() => mainActions(range), [range]);
  const total = run ? run.trace.length : 0;
  const lo = range ? Math.max(0, Math.min(range[0], total)) : 0;
  const hi = range ? Math.max(lo, Math.min(range[1], total)) : total;
  // Locked, the marks would give the answer away (where the faults are).
  const marks = useMemo(() => (run && !locked ? [runIndex(run).marks] : []), [run, locked]);
  return (
    <PlayerBar
      id={id}
      cursor={cursor}
      min={lo}
      max={hi}
      playing={playing}
      speed={speed}
      disabled={!run || locked}
      busy={runState === 'running'}
      marks={marks}
      actions={actions}
    />
  );
}
