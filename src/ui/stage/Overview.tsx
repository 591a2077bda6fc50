import { useEffect, useRef } from 'react';
import { CPU_STATES, DEVICE_STATES } from '../../engine/types.ts';
import type { Scenario } from '../../engine/types.ts';
import type { PageState } from '../../state/derived.ts';
import { CPU_LOOK, DEVICE_LOOK } from '../model/states.ts';
import { tones } from '../theme/tones.ts';
import { useThemeName } from '../theme/useTheme.ts';
import type { Columns } from './geometry.ts';
import { linear } from '../linear.ts';

const HEIGHT = 30;
/** .overview-map's border, left and right (global.css): the map's drawing box is this much narrower than the stage. */
const MAP_BORDERS = 2;

/**
 * The whole range at one pixel (or less) per page, for ranges wider than the stage: CPU states on
 * top, the device table below, the stage's window as a frame. Drawn on a canvas, since thousands
 * of DOM cells would cost more than the stage itself; clicking or dragging moves the window.
 */
export function Overview({
  scenario,
  state,
  cols,
  focus,
  follow,
  onScroll,
  width: stageWidth,
}: {
  scenario: Scenario;
  state: PageState;
  cols: Columns;
  focus: number;
  follow: boolean;
  /** Moves the stage's window; `follow: true` hands it back to the walk. */
  onScroll: (page: number, opts?: { follow?: boolean }) => void;
  /**
   * The stage's width, measured by the stage: the map spans the same box (less its border), so it
   * is not measured again (a second measure forced a second layout of the fresh page).
   */
  width: number;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = Math.max(0, stageWidth - MAP_BORDERS);
  const theme = useThemeName();
  const pages = scenario.range.pages;
  const scrollTo = onScroll;
  const x = linear([0, pages], [0, width]);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !width) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(HEIGHT * dpr);
    const g = c.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, HEIGHT);
    const t = tones(theme);
    const sx = linear([0, pages], [0, width]);
    const half = (HEIGHT - 4) / 2;
    // Runs of equal state become one rectangle: a few dozen fills instead of thousands.
    const drawRow = (codes: Uint8Array, colour: (code: number) => string, y: number) => {
      let from = 0;
      for (let p = 1; p <= pages; p++) {
        if (p === pages || codes[p] !== codes[from]) {
          g.fillStyle = colour(codes[from]);
          g.fillRect(sx(from), y, Math.max(1, sx(p) - sx(from)), half);
          from = p;
        }
      }
    };
    drawRow(state.cpu, (code) => t[CPU_LOOK[CPU_STATES[code]].tone].solid, 1);
    drawRow(state.device, (code) => t[DEVICE_LOOK[DEVICE_STATES[code]].tone].solid, 3 + half);
  }, [state, theme, width, pages]);

  const move = (clientX: number) => {
    const r = wrap.current?.getBoundingClientRect();
    if (!r) return;
    const page = Math.floor(x.invert(clientX - r.left));
    scrollTo(Math.max(0, Math.min(pages - cols.count, page - Math.floor(cols.count / 2))));
  };

  return (
    <div className="overview">
      <div className="overview-head">
        <span>
          pages {cols.start}–{cols.start + cols.count - 1} of {pages}
        </span>
        <button
          type="button"
          className="small-button"
          aria-pressed={follow}
          onClick={() => onScroll(cols.start, { follow: !follow })}
        >
          Follow the walk
        </button>
        <label className="overview-slider">
          <span className="sr-only">First page shown</span>
          <input
            type="range"
            min={0}
            max={Math.max(0, pages - cols.count)}
            value={cols.start}
            onChange={(e) => scrollTo(Number(e.target.value))}
          />
        </label>
      </div>
      <div
        className="overview-map"
        ref={wrap}
        onPointerDown={(e) => {
          (e.target as HTMLElement).setPointerCapture?.(e.pointerId);
          move(e.clientX);
        }}
        onPointerMove={(e) => {
          if (e.buttons & 1) move(e.clientX);
        }}
        aria-hidden="true"
      >
        <canvas ref={canvas} style={{ width: '100%', height: HEIGHT }} />
        <div
          className="overview-window"
          style={{ left: x(cols.start), width: Math.max(2, x(cols.count) - x(0)) }}
        />
        <div className="overview-cursor" style={{ left: x(focus) }} />
      </div>
    </div>
  );
}
