import { useId } from 'react';
import { scaleLinear } from 'd3-scale';
import { curveStepAfter, line } from 'd3-shape';

const W = 560;
const H = 150;
const M = { top: 10, right: 14, bottom: 26, left: 40 };

/** Where two cumulative series first part, or null when they never do. */
export function firstDivergence(a: number[], b: number[]): number | null {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return null;
}

/** The chart's text alternative: what a sighted reader takes from it, in one or two sentences. */
export function chartSummary(a: number[], b: number[]): string {
  const last = a.length - 1;
  if (last < 0) return 'No pages.';
  const part = firstDivergence(a, b);
  const ends = `By page ${last}, A has made ${a[last]} handle_mm_fault calls and B ${b[last]}.`;
  if (part === null) return `${ends} The two policies fault the same pages along the whole range.`;
  return `${ends} They part at page ${part}: A ${a[part]}, B ${b[part]} ${b[part] === 1 ? 'call' : 'calls'} so far.`;
}

/**
 * The cost of both policies along the range: handle_mm_fault calls summed from page 0, A solid
 * and B dashed (the dash tells them apart without the colour). A picture of the table's first
 * rows: where along the range one policy starts paying more than the other.
 */
export function CostChart({ a, b }: { a: number[]; b: number[] }) {
  const id = useId();
  const n = Math.max(a.length, b.length);
  const max = Math.max(1, a[a.length - 1] ?? 0, b[b.length - 1] ?? 0);
  const x = scaleLinear()
    .domain([0, Math.max(1, n)])
    .range([M.left, W - M.right]);
  const y = scaleLinear()
    .domain([0, max])
    .range([H - M.bottom, M.top])
    .nice();
  // Each page is a step: its count holds from the page's left edge to the next page's.
  const path = line<number>()
    .x((_, i) => x(i))
    .y((d) => y(d))
    .curve(curveStepAfter);
  const withEnd = (s: number[]) => (s.length ? [...s, s[s.length - 1]] : s);
  const yTicks = y.ticks(3);
  const xTicks = x.ticks(Math.min(6, n)).filter((t) => Number.isInteger(t) && t < n);
  return (
    <figure className="cost-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
      >
        <title id={`${id}-title`}>handle_mm_fault calls along the range, A and B</title>
        {yTicks.map((t) => (
          <g key={`y${t}`} className="tick">
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text x={M.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} className="tick" x={x(t)} y={H - M.bottom + 16} textAnchor="middle">
            {t}
          </text>
        ))}
        <text className="axis-label" x={W - M.right} y={H - 2} textAnchor="end">
          page
        </text>
        <path className="series-a" d={path(withEnd(a)) ?? ''} />
        <path className="series-b" d={path(withEnd(b)) ?? ''} />
      </svg>
      <figcaption>
        <span className="chart-key">
          <svg width="22" height="8" aria-hidden="true">
            <line className="series-a" x1="0" x2="22" y1="4" y2="4" />
          </svg>
          A
        </span>
        <span className="chart-key">
          <svg width="22" height="8" aria-hidden="true">
            <line className="series-b" x1="0" x2="22" y1="4" y2="4" />
          </svg>
          B
        </span>
        <span id={`${id}-desc`}>Cumulative handle_mm_fault calls by page. {chartSummary(a, b)}</span>
      </figcaption>
    </figure>
  );
}
