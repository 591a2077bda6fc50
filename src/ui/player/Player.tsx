import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { scaleLinear } from 'd3-scale';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { activeRun, runIndex } from '../../state/derived.ts';
import { Icon } from '../chrome/Icon.tsx';
import { count } from '../format.ts';

const SPEEDS = [0.25, 0.5, 1, 1.5, 2, 3, 4];

const selectPlayer = (s: Store) => ({
  run: activeRun(s.scenario, s.run, s.runScenario),
  runState: s.runState,
  cursor: s.cursor,
  playing: s.playing,
  speed: s.speed,
});

const selectActions = (s: Store) => ({
  setCursor: s.setCursor,
  step: s.step,
  togglePlay: s.togglePlay,
  toStart: s.toStart,
  toEnd: s.toEnd,
  setSpeed: s.setSpeed,
});

/** Marks of the notable steps along the scrubber, one path per kind. */
function Marks({ total }: { total: number }) {
  const run = useStore((s) => activeRun(s.scenario, s.run, s.runScenario));
  const paths = useMemo(() => {
    if (!run || total === 0) return null;
    const x = scaleLinear().domain([0, total]).range([0, 1000]);
    const m = runIndex(run).marks;
    const path = (list: number[]) => list.map((i) => `M${x(i + 1).toFixed(1)} 0V10`).join('');
    return {
      faults: path(m.faults),
      restarts: path(m.restarts),
      invalidations: path(m.invalidations),
      programs: path(m.programs),
    };
  }, [run, total]);
  if (!paths) return null;
  return (
    <svg className="marks" viewBox="0 0 1000 10" preserveAspectRatio="none" aria-hidden="true">
      <path className="mark-fault" d={paths.faults} />
      <path className="mark-restart" d={paths.restarts} />
      <path className="mark-invalidate" d={paths.invalidations} />
      <path className="mark-program" d={paths.programs} />
    </svg>
  );
}

/** Play / pause, step, jump, scrub and speed: the cursor over the trace. */
export function Player() {
  const { run, runState, cursor, playing, speed } = useStore(useShallow(selectPlayer));
  const a = useStore(useShallow(selectActions));
  const total = run ? run.trace.length : 0;
  const disabled = !run;
  return (
    <div
      className="player"
      id="player"
      tabIndex={-1}
      role="group"
      aria-label="Player"
      aria-keyshortcuts="Space ArrowLeft ArrowRight Home End"
    >
      <div className="player-buttons">
        <button
          type="button"
          className="icon-button"
          aria-label="To start"
          title="To start (Home)"
          onClick={a.toStart}
          disabled={disabled || cursor === 0}
        >
          <Icon name="start" />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Step back"
          title="Step back (←)"
          onClick={() => a.step(-1)}
          disabled={disabled || cursor === 0}
        >
          <Icon name="back" />
        </button>
        <button
          type="button"
          className="icon-button play"
          aria-label={playing ? 'Pause' : 'Play'}
          title={playing ? 'Pause (Space)' : 'Play (Space)'}
          onClick={a.togglePlay}
          disabled={disabled}
        >
          <Icon name={playing ? 'pause' : 'play'} />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Step forward"
          title="Step forward (→)"
          onClick={() => a.step(1)}
          disabled={disabled || cursor >= total}
        >
          <Icon name="forward" />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="To end"
          title="To end (End)"
          onClick={a.toEnd}
          disabled={disabled || cursor >= total}
        >
          <Icon name="end" />
        </button>
      </div>
      <div className="scrubber">
        <Marks total={total} />
        <input
          type="range"
          aria-label="Trace position"
          aria-valuetext={`step ${cursor} of ${total}`}
          min={0}
          max={total}
          value={cursor}
          disabled={disabled}
          onChange={(e) => a.setCursor(Number(e.target.value))}
        />
      </div>
      <output className="step-count" aria-label="Step">
        {runState === 'running' ? 'running…' : `${count(cursor)} / ${count(total)}`}
      </output>
      <label className="speed">
        <span>speed</span>
        <select value={speed} onChange={(e) => a.setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
