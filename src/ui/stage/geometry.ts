/** Column geometry shared by every row of the stage, so all rows line up page by page. */
export interface Columns {
  /** First page shown. */
  start: number;
  /** Number of page columns shown. */
  count: number;
  /** Width of one page column, px. */
  width: number;
  /** Width of the row-header column, px. */
  head: number;
}

/**
 * How dense the stage is drawn: "normal" on a desktop, "compact" in a narrow box (a phone, an
 * embed in a docs column, one side of a comparison), "large" for a room (presentation mode).
 */
export type Density = 'normal' | 'compact' | 'large';

const SIZES: Record<Density, { head: number; min: number; max: number }> = {
  normal: { head: 184, min: 38, max: 88 },
  compact: { head: 108, min: 31, max: 80 },
  large: { head: 236, min: 56, max: 120 },
};

export const HEAD_WIDTH = SIZES.normal.head;

/** Below this stage width the normal row headers take too much room: the stage goes compact. */
export const COMPACT_BELOW = 720;

/** How many columns fit, and how wide each is, for a stage `width` px wide. */
export function fitColumns(
  width: number,
  pages: number,
  density: Density = 'normal',
  /** all: every page gets a column (a pinned window), narrower than usual if need be. */
  opts: { all?: boolean } = {},
): { count: number; width: number; head: number } {
  const { head, min, max } = SIZES[density];
  const avail = Math.max(0, width - head);
  const count = opts.all ? Math.max(1, pages) : Math.max(1, Math.min(pages, Math.floor(avail / min) || 1));
  const w = Math.max(min - 8, Math.min(max, Math.floor(avail / count)));
  return { count, width: w, head };
}

/**
 * The first page shown while following the walk: the view turns over like the pages of a book
 * (a quarter of a screen of look-back), so it is a pure function of the page the walk is on.
 */
export function followStart(focus: number, count: number, pages: number): number {
  if (pages <= count) return 0;
  const step = Math.max(1, count - Math.ceil(count / 4));
  const start = Math.floor(focus / step) * step;
  return Math.max(0, Math.min(pages - count, start));
}

export function gridStyle(c: Columns): React.CSSProperties {
  return {
    gridTemplateColumns: `${c.head}px repeat(${c.count}, ${c.width}px)`,
  };
}
