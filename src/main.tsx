// First: the feature stylesheets imported by the components below come after it and refine it.
import './ui/global.css';
// Second: starts the engine's worker before react-dom and the rest of this entry evaluate.
import './state/engineStart.ts';
import { StrictMode, startTransition, useLayoutEffect } from 'react';
import type { ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { boot, bootEmbed } from './state/boot.ts';
import type { EmbedKind } from './ui/links.ts';
import { isEmbed, readEmbedOptions } from './ui/embed/params.ts';
import { runSettled, useStore } from './state/store.ts';
import { registerOffline } from './offline/register.ts';

/**
 * The offline service worker registers once the first screen is up and the page is idle: its
 * install fetches every built file (the JSON editor, the recordings, every view), which would
 * otherwise compete with the first screen's own chunks for the network and the CPU.
 */
function registerOfflineLater(): void {
  const idle = () =>
    'requestIdleCallback' in window
      ? requestIdleCallback(() => registerOffline(), { timeout: 5000 })
      : setTimeout(registerOffline, 1000);
  if (document.readyState === 'complete') idle();
  else window.addEventListener('load', idle, { once: true });
}
/**
 * `hmm:first-frame` on the performance timeline as the app's first frame begins (the animation
 * frame after its first commit into #root: what that task committed, this frame paints; before
 * it, index.html paints the page's background, and on a phone's plain start the prerendered top
 * bar and heading, which this commit replaces in place: scripts/prerender/). The browser benchmark
 * measures the first run on the stage from it.
 */
function FirstFrame({ children }: { children: ReactNode }) {
  useLayoutEffect(() => {
    if (performance.getEntriesByName('hmm:first-frame').length) return;
    requestAnimationFrame(() => {
      if (!performance.getEntriesByName('hmm:first-frame').length) performance.mark('hmm:first-frame');
    });
  }, []);
  return children;
}

/**
 * The CSS animations and transitions the stage plays on every step send their events
 * (animationstart, transitionrun, transitioncancel...) to the document, and React's root listener
 * takes every bubbling event through its dispatch, a few tenths of a ms each, several per step.
 * Nothing in the app listens to them (no onAnimation* / onTransition* prop): they stop at the
 * window, before the root. An app handler for one of them would need its type taken off this list.
 */
const MOTION_EVENTS = [
  'animationstart',
  'animationiteration',
  'animationend',
  'transitionrun',
  'transitionstart',
  'transitionend',
  'transitioncancel',
];
function keepMotionEventsFromReact(): void {
  const stop = (e: Event) => e.stopPropagation();
  for (const type of MOTION_EVENTS) window.addEventListener(type, stop, { capture: true });
}

/**
 * The first render is a transition: React builds the first screen in slices of a few ms and lets
 * the browser in between (on a phone it was one task of several hundred ms). Only its commit, the
 * DOM writes, is still one piece.
 */
function renderFirst(root: HTMLElement, app: ReactNode): void {
  keepMotionEventsFromReact();
  startTransition(() => {
    createRoot(root).render(
      <StrictMode>
        <FirstFrame>{app}</FirstFrame>
      </StrictMode>,
    );
  });
}

/** How long the first render waits for the first run, to draw the stage once and with it. */
const FIRST_RUN_WAIT_MS = 250;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The store must hold a scenario before the first render.
// Each entry loads only its own code: an embed shows the stage, player and narration, never the
// explorer's editor, views or dialogs.
if (isEmbed(location.search)) {
  const [{ EmbedApp, loadFigure }, { openEmbedLink }] = await Promise.all([
    import('./ui/embed/EmbedApp.tsx'),
    import('./ui/links.ts'),
  ]);
  const options = readEmbedOptions(location.search);
  const { kind, at } = await bootEmbed<EmbedKind>(openEmbedLink, 'stage');
  const figure = await loadFigure(kind);
  useStore.getState().setTheme(options.theme);
  document.documentElement.classList.add('is-embed');
  // motion=reduce: the host asks for no animation (the reader's own setting is followed anyway).
  if (options.motion === 'reduce') document.documentElement.dataset.motion = 'reduce';
  await runSettled(FIRST_RUN_WAIT_MS);
  renderFirst(root, <EmbedApp options={options} kind={kind} figure={figure} at={at} />);
} else {
  // The app's code loads while boot puts the first scenario in place and sends it to the engine:
  // the run does not wait for the app's chunks, nor they for it. boot loads the link code
  // itself, before it opens a link (a tour step, a question: in place before the first render,
  // no flash), else after the first scenario is sent.
  const app = import('./ui/App.tsx');
  await boot(() =>
    import('./ui/links.ts').then((links) => ({
      open: links.openLink,
      current: links.currentHash,
      watch: links.watchLink,
    })),
  );
  // The pseudocode panel's listing for the first scenario's kernel (its own chunk, needed by the
  // first screen) loads beside the app's code, so the panel is drawn whole in the first render.
  // One that cannot load is the panel's to retry and report, not a reason to show nothing.
  const listing = import('./ui/explain/pseudocode.ts')
    .then((m) => m.loadListing(useStore.getState().scenario.kernel))
    .catch(() => null);
  const [{ App }] = await Promise.all([app, listing]);
  await runSettled(FIRST_RUN_WAIT_MS);
  renderFirst(root, <App />);
}
registerOfflineLater();
