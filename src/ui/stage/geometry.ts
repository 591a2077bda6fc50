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

export const HEAD_WIDTH = 184;
const MIN_COL = 38;
const MAX_COL = 88;

/** How many columns fit, and how wide each is, for a stage `width` px wide. */
export function fitColumns(width: number, pages: number): { count: number; width: number } {
  const avail = Math.max(0, width - HEAD_WIDTH);
  const count = Math.max(1, Math.min(pages, Math.floor(avail / MIN_COL) || 1));
  const w = Math.max(MIN_COL - 8, Math.min(MAX_COL, Math.floor(avail / count)));
  return { count, width: w };
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
