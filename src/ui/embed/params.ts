import { formatAnchor, parseAnchor } from '../../state/anchor.ts';
import type { Anchor } from '../../state/anchor.ts';

/**
 * The embed's link: `?embed` in the query, the state in the hash in the app's one link format
 * (state/link.ts: a scenario, a tour step or a comparison, and `at`), and the figure's options
 * in the query:
 *
 *   from, to    the moments the player is held between: a step number or a durable moment
 *               (1st-write-fault-on-5, 2nd-restart, end-of-attempt-1; see state/anchor.ts)
 *   pages=a-b   pins the stage to pages a..b (it does not follow the walk)
 *   legend      shows the legend of the cell states
 *   autoplay    plays once by itself when loaded
 *   theme       light | dark (default: the reader's system, or what the host page posts)
 *   motion      reduce: no animation (the reader's system setting is always followed too)
 *
 * Pure, so the dialog that writes links and the embed that reads them agree (tested together).
 */

export interface EmbedOptions {
  /** First moment shown (the cursor starts here); null: the link's `at`, else the view's own. */
  from: Anchor | null;
  /** Last moment the player reaches; null: the end of the run. */
  to: Anchor | null;
  /** Pages shown, first and last (inclusive); null: the stage follows the walk. */
  pages: [number, number] | null;
  legend: boolean;
  autoplay: boolean;
  theme: 'system' | 'light' | 'dark';
  motion: 'system' | 'reduce';
  /** What could not be read, one `KEY: what is wrong` line each (the embed shows them). */
  problems: string[];
}

export const EMBED_DEFAULTS: EmbedOptions = {
  from: null,
  to: null,
  pages: null,
  legend: false,
  autoplay: false,
  theme: 'system',
  motion: 'system',
  problems: [],
};

/** True when the page was opened as an embed. */
export function isEmbed(search: string): boolean {
  return new URLSearchParams(search).has('embed');
}

/** `?flag` alone means yes, as HTML's boolean attributes do. */
function flag(v: string | null): boolean {
  return v !== null && v !== '0' && v !== 'false';
}

/** Reads the options; what cannot be read falls back to its default and is listed in `problems`. */
export function readEmbedOptions(search: string): EmbedOptions {
  const q = new URLSearchParams(search);
  const problems: string[] = [];
  const moment = (key: 'from' | 'to'): Anchor | null => {
    const v = q.get(key);
    if (v === null || v === '') return null;
    const r = parseAnchor(v);
    if (r.ok) return r.anchor;
    problems.push(`${key}: ${r.problem}`);
    return null;
  };
  const from = moment('from');
  const to = moment('to');
  let pages: [number, number] | null = null;
  const p = q.get('pages');
  if (p !== null) {
    const m = /^(\d{1,7})-(\d{1,7})$/.exec(p.trim());
    if (m && Number(m[1]) <= Number(m[2])) pages = [Number(m[1]), Number(m[2])];
    else problems.push(`pages: expected first-last, such as 3-7, got “${p}”`);
  }
  const theme = q.get('theme');
  if (theme !== null && theme !== 'light' && theme !== 'dark' && theme !== 'system')
    problems.push(`theme: expected light or dark, got “${theme}”`);
  return {
    from,
    to,
    pages,
    legend: flag(q.get('legend')),
    autoplay: flag(q.get('autoplay')),
    theme: theme === 'light' || theme === 'dark' ? theme : 'system',
    motion: q.get('motion') === 'reduce' ? 'reduce' : 'system',
    problems,
  };
}

/** The query string of an embed link, shortest form (defaults left out). */
export function embedQuery(o: EmbedOptions): string {
  const parts = ['embed'];
  if (o.from) parts.push(`from=${formatAnchor(o.from)}`);
  if (o.to) parts.push(`to=${formatAnchor(o.to)}`);
  if (o.pages) parts.push(`pages=${o.pages[0]}-${o.pages[1]}`);
  if (o.legend) parts.push('legend');
  if (o.autoplay) parts.push('autoplay');
  if (o.theme !== 'system') parts.push(`theme=${o.theme}`);
  if (o.motion === 'reduce') parts.push('motion=reduce');
  return `?${parts.join('&')}`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The height an embed needs at a width when the host page does not size it (no host script), as
 * measured on the demo page's figures (public/embed-demo.html: seed example 2, tour step 6, a
 * comparison side by side from 620 px). The Embed dialog writes the height its preview measures
 * instead; the host script replaces either with the content's own height.
 */
export function defaultHeight(width: number, kind: 'stage' | 'tour' | 'compare' = 'stage'): number {
  const stage = width <= 360 ? 920 : width <= 520 ? 800 : 700;
  if (kind === 'tour') return stage + (width <= 520 ? 200 : 160);
  if (kind === 'compare') return width >= 620 ? 820 : 2 * stage - 160;
  return stage;
}

/**
 * The `<iframe>` a docs page pastes. `base` is the published app's address without query or
 * hash; `hash` holds the state. The title names the figure for screen readers (an iframe needs
 * one); `data-hmm-explorer` lets the host script find the frames it sizes.
 */
export function embedSnippet(opts: {
  base: string;
  hash: string;
  options: EmbedOptions;
  title: string;
  height: number;
}): string {
  const src = `${opts.base}${embedQuery(opts.options)}${opts.hash}`;
  return (
    `<iframe src="${escapeAttr(src)}" title="${escapeAttr(opts.title)}" data-hmm-explorer ` +
    `width="100%" height="${Math.round(opts.height)}" style="border:0; max-width:100%" loading="lazy"></iframe>`
  );
}

/** Messages between an embed and its host page (documented in docs/embedding.md). */
export const SIZE_MESSAGE = 'hmm-explorer:size';
export const THEME_MESSAGE = 'hmm-explorer:theme';
