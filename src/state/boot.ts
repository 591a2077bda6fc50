import { defaultPreset, loadStored, presetScenario, store } from './scenarioIO.ts';
import type { Notice } from './store.ts';
import { initStore, useStore } from './store.ts';
import { parseLink } from './link.ts';
import type { AppLink, LinkRead } from './link.ts';

/**
 * The app's start and its address. The URL holds the state on screen in the one link format
 * (link.ts): the view, its scenario or scenarios, the moment. The views live in the UI, so the
 * UI supplies how a link is opened and what the state on screen is as a link.
 */
export interface LinkHandlers {
  /**
   * Opens a link's view, scenario and moment; false when the view has no such place. `first`:
   * the app is starting, so the link's scenario is the first one, not an undoable load.
   */
  open: (link: AppLink, first?: boolean) => boolean;
  /**
   * The state on screen as a link (a hash; null when it cannot be linked, such as a scenario with
   * problems), and whether its scenario is the user's own (the explorer's, kept in localStorage)
   * rather than a view's (a tour step, a question).
   */
  current: () => { hash: string | null; own: boolean };
  /** Subscribes to every change that changes `current()`; returns the unsubscribe. */
  watch: (changed: () => void) => void;
}

function brokenLink(r: Extract<LinkRead, { kind: 'error' }>, then: string): Notice {
  return { kind: 'error', title: `${r.what} ${then}`, lines: r.problems };
}

function noPlace(link: AppLink): string {
  const st = link.state;
  return st.view === 'tour'
    ? `There is no tour step “${st.step}”.`
    : st.view === 'predict' && st.question !== null
      ? `There is no question “${st.question}”.`
      : 'This link names a place the app does not have.';
}

/**
 * The first state: the URL's, else the scenario last edited here, else the default preset. A
 * link that cannot be read opens the default preset with a notice saying what is wrong, never a
 * blank page. Then the URL and localStorage follow every change.
 */
export function boot(h: LinkHandlers): void {
  const def = defaultPreset();
  const read = parseLink(location.hash);
  if (read.kind === 'ok') {
    // The store starts on the user's own scenario (a view gives it back when it is left), then
    // the link's state opens over it.
    initStore(loadStored() ?? presetScenario(def), { watch: def.watch });
    if (!h.open(read.link, true))
      useStore.getState().setNotice({
        kind: 'error',
        title: `${noPlace(read.link)} Opened the explorer instead.`,
        lines: [],
      });
  } else if (read.kind === 'error') {
    initStore(presetScenario(def), {
      watch: def.watch,
      notice: brokenLink(read, 'Opened the default scenario instead.'),
    });
  } else {
    const stored = loadStored();
    if (stored) initStore(stored);
    else initStore(presetScenario(def), { watch: def.watch });
  }
  startSync(h);
}

/**
 * An embedded copy reads its state from the link once and never writes anywhere: two embeds on
 * one docs page share the origin's localStorage, and the page's URL belongs to the page. `open`
 * loads the link's state and says what kind of embed it is (null: the link names no place).
 */
export function bootEmbed<K>(open: (link: AppLink) => K | null, fallback: K): K {
  const def = defaultPreset();
  const read = parseLink(location.hash);
  initStore(presetScenario(def), {
    watch: def.watch,
    notice: read.kind === 'error' ? brokenLink(read, 'Showing the default scenario.') : null,
  });
  if (read.kind !== 'ok') return fallback;
  const kind = open(read.link);
  if (kind !== null) return kind;
  useStore
    .getState()
    .setNotice({ kind: 'error', title: `${noPlace(read.link)} Showing the default scenario.`, lines: [] });
  return fallback;
}

let syncTimer: ReturnType<typeof setTimeout> | null = null;
/** The hash this app wrote last: a hashchange to it is our own echo, not a new link. */
let written = '';

function writeHash(hash: string): void {
  if (hash === location.hash) return;
  written = hash;
  history.replaceState(null, '', hash);
}

function startSync(h: LinkHandlers): void {
  const write = () => {
    syncTimer = null;
    const { scenario, problems } = useStore.getState();
    const { hash, own } = h.current();
    if (hash) writeHash(hash);
    if (own && !problems.length) store(scenario);
  };
  // Typing, dragging and playing change the state many times a second; the URL can wait.
  h.watch(() => {
    if (syncTimer) clearTimeout(syncTimer);
    syncTimer = setTimeout(write, 250);
  });
  window.addEventListener('hashchange', (ev) => {
    // The link as it was followed: a debounced write of our own may already have replaced
    // location.hash by the time this event is handled.
    const hash = new URL(ev.newURL).hash;
    if (hash === written) return;
    const r = parseLink(hash);
    const st = useStore.getState();
    if (r.kind === 'ok') {
      if (!h.open(r.link)) st.setNotice({ kind: 'error', title: noPlace(r.link), lines: [] });
    } else if (r.kind === 'error')
      st.setNotice({
        kind: 'error',
        title: `${r.what} The state on screen is unchanged.`,
        lines: r.problems,
      });
  });
}
