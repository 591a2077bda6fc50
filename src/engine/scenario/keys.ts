/**
 * Page keys of the scenario format: a per-page map ("cpu", "requests", "device", and the output's
 * "cpu" / "device") is keyed by a page index "N" or an inclusive range "a-b", relative to
 * range.start (scenario-format.md, "cpu").
 */

/** "N" or "a-b", decimal, no leading zeros (so every page set has exactly one spelling). */
export const PAGE_KEY_RE = /^(0|[1-9][0-9]*)(?:-(0|[1-9][0-9]*))?$/;

export interface PageSpan {
  from: number;
  /** Inclusive. */
  to: number;
}

/** The span a key names, or null when it is not a key. `a-b` with a > b is returned as is. */
export function parseKey(key: string): PageSpan | null {
  const m = PAGE_KEY_RE.exec(key);
  if (!m) return null;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return { from, to };
}

export function spanKey(from: number, to: number): string {
  return from === to ? String(from) : `${from}-${to}`;
}

/** "page 5" / "pages 3-9", for messages. */
export function spanWords(from: number, to: number): string {
  return from === to ? `page ${from}` : `pages ${from}-${to}`;
}

/**
 * Runs of equal values, in page order: [from, to, value] with `to` inclusive. `skip` values
 * (e.g. "none" in an input map) start no run.
 */
export function runs<T>(n: number, at: (page: number) => T, skip?: (v: T) => boolean): [number, number, T][] {
  const out: [number, number, T][] = [];
  let p = 0;
  while (p < n) {
    const v = at(p);
    let q = p;
    while (q + 1 < n && at(q + 1) === v) q++;
    if (!skip?.(v)) out.push([p, q, v]);
    p = q + 1;
  }
  return out;
}

/** A range-compressed map from per-page values (every page listed unless `skip`). */
export function compressMap<T extends string>(
  n: number,
  at: (page: number) => T,
  skip?: (v: T) => boolean,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [from, to, v] of runs(n, at, skip)) out[spanKey(from, to)] = v;
  return out;
}

/**
 * One value per page from a page-keyed map: unlisted pages get `fill`, keys that are not page keys
 * are ignored, pages at or beyond `n` are dropped.
 */
export function expandMap<T>(map: Record<string, T>, n: number, fill: T): T[] {
  const out: T[] = new Array<T>(n).fill(fill);
  for (const [key, value] of Object.entries(map)) {
    const span = parseKey(key);
    if (!span) continue;
    for (let p = span.from; p <= span.to && p < n; p++) out[p] = value;
  }
  return out;
}
