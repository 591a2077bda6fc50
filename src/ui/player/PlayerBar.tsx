import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { Icon } from '../chrome/Icon.tsx';
import { count } from '../format.ts';
import { linear } from '../linear.ts';

const SPEEDS = [0.25, 0.5, 1, 1.5, 2, 3, 4];

/** Event indices of the notable steps of a trace, one list per kind of mark. */
export interface Marks {
  faults: number[];
  restarts: number[];
  invalidations: number[];
  programs: number[];
}

/** What a player acts on: the explorer's store, an embed's step range, a comparison's pair. */
export interface PlayerActions {
  setCursor: (c: number) => void;
  step: (delta: number) => void;
  togglePlay: () => void;
  toStart: () => void;
  toEnd: () => void;
  setSpeed: (x: number) => void;
}

/** Marks of the notable steps along the scrubber, one path per kind. */
function MarkPaths({ marks, min, max }: { marks: Marks[]; min: number; max: number }) {
  const paths = useMemo(() => {
    if (max <= min || marks.length === 0) return null;
    const x = linear([min, max], [0, 1000]);
    const path = (list: number[]) =>
      list
        .filter((i) => i + 1 >= min && i + 1 <= max)
        .map((i) => `M${x(i + 1).toFixed(1)} 0V10`)
        .join('');
    const all = (k: keyof Marks) => marks.map((m) => path(m[k])).join('');
    return {
      faults: all('faults'),
      restarts: all('restarts'),
      invalidations: all('invalidations'),
      programs: all('programs'),
    };
  }, [marks, min, max]);
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

/**
 * Play / pause, step, jump, scrub and speed over a cursor in [min, max]. Presentational: the
 * explorer, an embed (locked to a step range) and a comparison (two traces, one cursor) each
 * supply the cursor and the actions.
 */
/**
 * The trace slider. A hand on it sends input events faster than frames; each would render the
 * whole stage. The thumb follows every event (a render of this input alone) and the cursor moves
 * at most once per frame, to the latest position.
 */
function Scrubber({
  cursor,
  min,
  max,
  disabled,
  setCursor,
}: {
  cursor: number;
  min: number;
  max: number;
  disabled: boolean;
  setCursor: (c: number) => void;
}) {
  const [held, setHeld] = useState<number | null>(null);
  const frame = useRef(0);
  const latest = useRef(0);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  const shown = held ?? cursor;
  return (
    <input
      type="range"
      aria-label="Trace position"
      aria-valuetext={`step ${shown} of ${max}`}
      min={min}
      max={max}
      value={shown}
      disabled={disabled}
      onChange={(e) => {
        latest.current = Number(e.target.value);
        setHeld(latest.current);
        if (frame.current) return;
        frame.current = requestAnimationFrame(() => {
          frame.current = 0;
          setCursor(latest.current);
          setHeld(null);
        });
      }}
    />
  );
}

export function PlayerBar({
  cursor,
  min = 0,
  max,
  playing,
  speed,
  disabled,
  busy = false,
  marks,
  actions,
  id,
  label = 'Player',
}: {
  cursor: number;
  min?: number;
  max: number;
  playing: boolean;
  speed: number;
  disabled: boolean;
  /** The engine is computing: the step count says so. */
  busy?: boolean;
  marks: Marks[];
  actions: PlayerActions;
  id?: string;
  label?: string;
}) {
  const a = actions;
  return (
    <div
      className="player"
      id={id}
      tabIndex={id ? -1 : undefined}
      role="group"
      aria-label={label}
      aria-keyshortcuts="Space ArrowLeft ArrowRight Home End"
    >
      <div className="player-buttons">
        <button
          type="button"
          className="icon-button"
          aria-label="To start"
          title="To start (Home)"
          onClick={a.toStart}
          disabled={disabled || cursor <= min}
        >
          <Icon name="start" />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Step back"
          title="Step back (←)"
          onClick={() => a.step(-1)}
          disabled={disabled || cursor <= min}
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
          disabled={disabled || cursor >= max}
        >
          <Icon name="forward" />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="To end"
          title="To end (End)"
          onClick={a.toEnd}
          disabled={disabled || cursor >= max}
        >
          <Icon name="end" />
        </button>
      </div>
      <div className="scrubber">
        <MarkPaths marks={marks} min={min} max={max} />
        <Scrubber cursor={cursor} min={min} max={max} disabled={disabled} setCursor={a.setCursor} />
      </div>
      <output className="step-count" aria-label="Step">
        {busy ? 'running…' : `${count(cursor)} / ${count(max)}`}
      </output>
      <Speed speed={speed} setSpeed={a.setSpeed} />
    </div>
  );
}

/**
 * The speed menu, memoised: a step does not change it, and a controlled select that renders
 * again goes through its seven options to select its value (React's updateOptions), every step.
 */
const Speed = memo(function Speed({ speed, setSpeed }: { speed: number; setSpeed: (x: number) => void }) {
  return (
    <label className="speed">
      <span>speed</span>
      <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
        {SPEEDS.map((s) => (
          <option key={s} value={s}>
            {s}×
          </option>
        ))}
      </select>
    </label>
  );
});
