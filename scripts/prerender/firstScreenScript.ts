/**
 * The page's first script, inline in dist/index.html (written by the build, see plugin.ts; the
 * Content-Security-Policy allows it by its hash): the page runs it twice, before anything is
 * painted.
 *
 * - In <head> (no #root yet): an explorer start fetches the explorer's first screen's chunks with
 *   the entry (modulepreload), instead of one round trip after the entry has run; an embed fetches
 *   the embed's own the same way. A plain start (see below) loads the explorer's stylesheet now instead, render-blocking, so
 *   the frame below is drawn with the app's own styles from its first paint, and fetches the
 *   chunks once the frame is painted.
 * - After #root: on a plain start, the prerendered frame (top bar and scenario heading, from a
 *   <template>, inert until the app renders over it) goes into #root. Anything else (a link with
 *   state, a stored scenario, a reload's note, an embed, a wider screen, a dark system theme) never
 *   shows it: the app renders as it does without it.
 *
 * Written as a plain function and shipped as its own text (the same text in both places, so one
 * hash): it must run before the app's modules, and a file of its own would cost a round trip
 * before the first paint.
 */
export interface FirstScreenConfig {
  /** The explorer's chunks for its first screen (App.tsx's, the default kernel's listing). */
  preload: string[];
  /** The explorer's stylesheets the frame needs (App.tsx's CSS chunk). */
  css: string[];
  /** An embed's chunks for its first screen (EmbedApp's, the stage figure's). */
  embed: string[];
  /** localStorage's key for the scenario last edited here (state/saved.ts). */
  stored: string;
  /** sessionStorage's key for the reload's note (state/boot.ts). */
  reload: string;
  /** The store's phone breakpoint: the editor starts closed below it (state/store.ts). */
  narrow: string;
}

export function firstScreen(cfg: FirstScreenConfig): void {
  const d = document;
  const html = d.documentElement;
  const root = d.getElementById('root');
  const add = (rel: string, href: string, blocking = false) => {
    const l = d.createElement('link');
    l.rel = rel;
    l.href = href;
    // Render-blocking as the page's own stylesheet link is: the frame never paints unstyled.
    if (blocking) l.setAttribute('blocking', 'render');
    d.head.appendChild(l);
  };
  const preload = (hrefs = cfg.preload) => {
    for (const href of hrefs) add('modulepreload', href);
  };
  if (!root) {
    if (new URLSearchParams(location.search).has('embed')) return preload(cfg.embed);
    let plain = false;
    try {
      plain =
        !location.hash.includes('=') &&
        localStorage.getItem(cfg.stored) === null &&
        sessionStorage.getItem(cfg.reload) === null &&
        matchMedia(cfg.narrow).matches &&
        !matchMedia('(prefers-color-scheme: dark)').matches;
    } catch {
      // Storage that cannot be read is reported by the app: not a plain start.
    }
    if (!plain) return preload();
    for (const href of cfg.css) add('stylesheet', href, true);
    html.dataset.firstScreen = 'frame';
    return;
  }
  const frame = d.getElementById('first-screen') as HTMLTemplateElement | null;
  if (frame && html.dataset.firstScreen === 'frame' && !root.firstChild) {
    root.appendChild(frame.content.cloneNode(true));
    // The chunks are fetched once the frame is on screen: before it, they would compete with
    // its stylesheets. The entry is still loading then, and finds them on their way.
    requestAnimationFrame(() => setTimeout(preload));
  }
  delete html.dataset.firstScreen;
  frame?.remove();
}
