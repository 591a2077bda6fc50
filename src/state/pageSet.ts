/**
 * Page selections typed by hand: "100-199", "pages 3, 7, 11-20", "every 4th page",
 * "every 4th page from 1", "every 2nd in 100-199", "0-511/4", "all". A selection reads as a list
 * of inclusive runs of pages, so an edit can be applied to a run at a time (one fill per run),
 * and a pattern over 512 pages is one action, not 512 clicks.
 */

/** Inclusive runs [from, to] of page indices, sorted, non-overlapping, not touching. */
export type Runs = [number, number][];

export type PageSetResult = { ok: true; runs: Runs; count: number } | { ok: false; error: string };

const INT = /^\d+$/;

function num(word: string, what: string): number | string {
  if (!INT.test(word)) return `"${word}" is not a page number (${what})`;
  return Number(word);
}

/** "4th", "4", "2nd", "3rd", "1st": the step of an "every" pattern. */
function ordinal(word: string): number | null {
  const m = /^(\d+)(?:st|nd|rd|th)?$/.exec(word);
  return m ? Number(m[1]) : null;
}

/** Runs from a set of single pages and spans, merged (adjacent runs join). */
export function normalize(spans: Runs): Runs {
  const sorted = spans.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Runs = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function countPages(runs: Runs): number {
  let n = 0;
  for (const [a, b] of runs) n += b - a + 1;
  return n;
}

/** One item ("7", "11-20", "0-511/4"): its spans, or what is wrong with it. */
function parseSpan(item: string, pages: number): Runs | string {
  const m = /^(\d+)\s*(?:-|\.\.|–)\s*(\d+)(?:\s*\/\s*(\d+))?$/.exec(item);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (a > b) return `"${item}" runs backwards: write the lower page first (${b}-${a})`;
    if (b >= pages) return `"${item}" goes past the last page (${pages - 1})`;
    if (step < 1) return `"${item}": the step after "/" must be at least 1`;
    if (step === 1) return [[a, b]];
    const out: Runs = [];
    for (let p = a; p <= b; p += step) out.push([p, p]);
    return out;
  }
  const n = num(item, 'write pages like 3, 11-20 or every 4th page');
  if (typeof n === 'string') return n;
  if (n >= pages) return `page ${n} is past the last page (${pages - 1})`;
  return [[n, n]];
}

/**
 * "every Kth [page[s]] [from N | starting at N] [in A-B]": every K-th page of A-B (default the
 * whole range) from N (default A).
 */
function parseEvery(item: string, pages: number): Runs | string {
  const words = item.split(/\s+/).slice(1);
  if (!words.length) return '"every" needs a step, as in "every 4th page"';
  const step = ordinal(words[0]);
  if (step === null) return `"every ${words[0]}": the step is a number, as in "every 4th page"`;
  if (step < 1) return `"every ${words[0]}": the step must be at least 1`;
  let i = 1;
  if (words[i] === 'page' || words[i] === 'pages') i++;
  let lo = 0;
  let hi = pages - 1;
  let first: number | null = null;
  while (i < words.length) {
    const w = words[i];
    if (w === 'from' || w === 'starting' || w === 'start') {
      i += w === 'starting' && words[i + 1] === 'at' ? 2 : 1;
      const v = words[i] === undefined ? '"from" needs a page number' : num(words[i], 'after "from"');
      if (typeof v === 'string') return v;
      if (v >= pages) return `page ${v} is past the last page (${pages - 1})`;
      first = v;
      i++;
    } else if (w === 'in' || w === 'of' || w === 'within') {
      const span = words[i + 1] === undefined ? `"${w}" needs pages, as in "in 100-199"` : null;
      if (span) return span;
      const r = parseSpan(words[i + 1], pages);
      if (typeof r === 'string') return r;
      lo = r[0][0];
      hi = r[r.length - 1][1];
      i += 2;
    } else {
      return `"${w}" is not understood in "${item}": write e.g. "every 4th page from 1 in 0-511"`;
    }
  }
  const start = first ?? lo;
  if (start < lo || start > hi) return `"${item}": page ${start} is outside ${lo}-${hi}`;
  const out: Runs = [];
  for (let p = start; p <= hi; p += step) out.push([p, p]);
  return out;
}

/**
 * Parses a selection of pages of a `pages`-page range. Items are separated by commas or
 * "and"; a leading "page"/"pages" is allowed; "all" is the whole range.
 */
export function parsePageSet(text: string, pages: number): PageSetResult {
  const src = text.trim().toLowerCase();
  if (!src) return { ok: false, error: 'type pages, as in 100-199, "3, 7, 11-20" or "every 4th page"' };
  const body = src.replace(/^pages?\b\s*:?\s*/, '');
  const items = body
    .split(/\s*(?:,|;|\band\b)\s*/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (!items.length) return { ok: false, error: 'no pages given: write e.g. "pages 3, 7, 11-20"' };
  const spans: Runs = [];
  for (const item of items) {
    let r: Runs | string;
    if (item === 'all') r = [[0, pages - 1]];
    else if (/^every\b/.test(item)) r = parseEvery(item, pages);
    else r = parseSpan(item, pages);
    if (typeof r === 'string') return { ok: false, error: r };
    for (const s of r) spans.push(s);
  }
  const runs = normalize(spans);
  return { ok: true, runs, count: countPages(runs) };
}

/** The shortest text for runs ("3, 7, 11-20"), the form the selection field shows. */
export function formatRuns(runs: Runs): string {
  return runs.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(', ');
}

/** Whether page `p` is in `runs` (binary search). */
export function inRuns(runs: Runs, p: number): boolean {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (p < runs[mid][0]) hi = mid - 1;
    else if (p > runs[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}
