/**
 * The embed's link: `?embed` in the query, the scenario in the hash as everywhere else
 * (`#s=`, `#scenario=`, `#preset=`), and optional `from` / `to` (the steps the player is locked
 * to), `autoplay` and `theme`. Pure, so the dialog that writes links and the embed that reads
 * them agree (tested together).
 */

export interface EmbedOptions {
  /** First step shown (the cursor starts here); 0 = before the run. */
  from: number;
  /** Last step the player reaches; null = the end of the run. */
  to: number | null;
  autoplay: boolean;
  theme: 'system' | 'light' | 'dark';
}

export const EMBED_DEFAULTS: EmbedOptions = { from: 0, to: null, autoplay: false, theme: 'system' };

/** True when the page was opened as an embed. */
export function isEmbed(search: string): boolean {
  return new URLSearchParams(search).has('embed');
}

function step(v: string | null): number | null {
  if (v === null || !/^\d{1,7}$/.test(v.trim())) return null;
  return Number(v.trim());
}

/** Reads the options; anything unreadable falls back to its default (an embed never fails). */
export function readEmbedOptions(search: string): EmbedOptions {
  const q = new URLSearchParams(search);
  const from = step(q.get('from')) ?? 0;
  let to = step(q.get('to'));
  if (to !== null && to < from) to = from;
  const auto = q.get('autoplay');
  const theme = q.get('theme');
  return {
    from,
    to,
    // `?autoplay` alone means yes, as HTML's boolean attributes do.
    autoplay: auto !== null && auto !== '0' && auto !== 'false',
    theme: theme === 'light' || theme === 'dark' ? theme : 'system',
  };
}

/** The query string of an embed link, shortest form (defaults left out). */
export function embedQuery(o: EmbedOptions): string {
  const parts = ['embed'];
  if (o.from > 0) parts.push(`from=${o.from}`);
  if (o.to !== null) parts.push(`to=${o.to}`);
  if (o.autoplay) parts.push('autoplay');
  if (o.theme !== 'system') parts.push(`theme=${o.theme}`);
  return `?${parts.join('&')}`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The `<iframe>` a docs page pastes. `base` is the app's address without query or hash; `hash`
 * holds the scenario. The title names the figure for screen readers (an iframe needs one).
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
    `<iframe src="${escapeAttr(src)}" title="${escapeAttr(opts.title)}" ` +
    `width="100%" height="${Math.round(opts.height)}" style="border:0; max-width:100%" loading="lazy"></iframe>`
  );
}
