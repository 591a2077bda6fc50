import {
  KEEP_IT,
  defaultPreset,
  loadStored,
  presetScenario,
  readHash,
  compactHash,
  store,
} from './scenarioIO.ts';
import type { HashRead, StoredRead } from './scenarioIO.ts';
import type { Notice } from './store.ts';
import { initStore, useStore } from './store.ts';
import { useMode } from './mode.ts';
import { decodeComponent, quote, readStored, removeStored, writeStored } from './guard.ts';

/**
 * A link to a place in a view rather than to a scenario: `#tour=3` opens the tour at its third
 * step, `#predict=2` the second ready question. The view opens the place (loading its scenario);
 * while it is open the URL is the view's link, not `#s=...`, and localStorage keeps the scenario
 * the user edited last, not the view's.
 */
export interface Route {
  /** The hash key: `#<key>=<value>`. */
  key: string;
  /** Opens the place `value` names; false when there is no such place (the link is then broken). */
  open: (value: string) => boolean;
  /** What the link names, for the notice of a broken link ("tour step"). */
  what: string;
}

type Routed = { route: Route; value: string; problem?: undefined } | { route: Route; problem: string };

function routeOf(hash: string, routes: readonly Route[]): Routed | null {
  const m = /^#([a-z]+)=([\s\S]*)$/.exec(hash);
  if (!m) return null;
  const route = routes.find((r) => r.key === m[1]);
  if (!route) return null;
  const v = decodeComponent(m[2], `#${route.key}`);
  return v.ok ? { route, value: v.value } : { route, problem: v.problem };
}

/** What a view link that cannot be opened gets: a notice naming the problem; nothing else changes. */
function brokenRoute(r: Routed, then: string): Notice {
  if (r.problem !== undefined)
    return {
      kind: 'error',
      title: `This link’s ${r.route.what} cannot be read. ${then}`,
      lines: [r.problem],
    };
  return {
    kind: 'error',
    title: `There is no ${r.route.what} “${quote(r.value)}”. ${then}`.trim(),
    lines: [],
  };
}

/**
 * The first scenario: the URL's, else the one last edited here, else the default preset. A link
 * that cannot be read opens the default preset with a notice saying what is wrong, never a blank
 * page. Then the URL and localStorage follow every change.
 */
export function boot(
  routes: readonly Route[] = [],
  opts: {
    /** A scenario link opened while the app runs: the view may have to give way to the explorer. */
    onScenarioLink?: () => void;
  } = {},
): void {
  const def = defaultPreset();
  const saved = loadStored();
  const stored = saved.scenario;
  const hash = hashToOpen();
  const routed = routeOf(hash, routes);
  if (routed) {
    // The view loads its own scenario; the store starts on the user's own (for when they leave).
    initStore(stored ?? presetScenario(def), { watch: stored ? null : def.watch });
    if (routed.problem !== undefined || !routed.route.open(routed.value))
      useStore.getState().setNotice(brokenRoute(routed, 'Opened the explorer instead.'));
    startSync(routes, opts.onScenarioLink);
    storageNotice(saved);
    return;
  }
  const fromHash = readHash(hash);
  if (fromHash.kind === 'ok') {
    initStore(fromHash.scenario, { watch: fromHash.watch });
  } else if (fromHash.kind === 'error') {
    // The link is lost, the user's own work is not: the scenario last edited here, if any.
    if (stored) initStore(stored, { notice: brokenLink(fromHash, 'Opened your last scenario instead.') });
    else
      initStore(presetScenario(def), {
        watch: def.watch,
        notice: brokenLink(fromHash, 'Opened the default scenario instead.'),
      });
  } else {
    if (stored) initStore(stored);
    else initStore(presetScenario(def), { watch: def.watch });
  }
  startSync(routes, opts.onScenarioLink);
  storageNotice(saved);
}

/** A stored scenario that could not be read is reported, unless a link's problem is on screen. */
function storageNotice(saved: StoredRead): void {
  // Storage that cannot be used is said once, here, not again at the first edit.
  if (saved.problem?.storage) unsavedSaid = true;
  if (!saved.problem || useStore.getState().notice) return;
  useStore.getState().setNotice({ kind: 'error', title: saved.problem.title, lines: saved.problem.lines });
}

function brokenLink(r: Extract<HashRead, { kind: 'error' }>, then: string): Notice {
  return { kind: 'error', title: `${r.what} ${then}`, lines: r.problems };
}

/**
 * An embedded copy reads its scenario from the link once and never writes anywhere: two embeds
 * on one docs page share the origin's localStorage, and the page's URL belongs to the page.
 */
export function bootEmbed(): void {
  const def = defaultPreset();
  const fromHash = readHash(location.hash);
  if (fromHash.kind === 'ok') initStore(fromHash.scenario, { watch: fromHash.watch });
  else if (fromHash.kind === 'error')
    initStore(presetScenario(def), {
      watch: def.watch,
      notice: brokenLink(fromHash, 'Showing the default scenario.'),
    });
  else initStore(presetScenario(def), { watch: def.watch });
}

let syncTimer: ReturnType<typeof setTimeout> | null = null;
/** The hash this app wrote last: a hashchange to it is our own echo, not a new link. */
let written = '';
/** A failed save has been reported; said once, not on every edit, until a save works again. */
let unsavedSaid = false;

function writeHash(hash: string): void {
  if (hash === location.hash) return;
  written = hash;
  history.replaceState(null, '', hash);
}

/** Puts the scenario in the URL and in storage (or the view's link in the URL). */
function save(): void {
  syncTimer = null;
  const { scenario, problems } = useStore.getState();
  if (problems.length) return;
  const link = useMode.getState().link;
  if (link) return writeHash(link);
  writeHash(compactHash(scenario));
  const r = store(scenario);
  if (r.ok) unsavedSaid = false;
  else if (!unsavedSaid) {
    unsavedSaid = true;
    useStore.getState().setNotice({
      kind: 'error',
      title: `Your edits are not being saved in this browser: ${r.problem}.`,
      lines: [KEEP_IT],
    });
  }
}

/**
 * A reload started right after an edit reloads the address the page had before the edit: the
 * browser picks it before the page hears that it is going away. So the page, as it goes, leaves
 * a note for its next load in this tab: "if you are opened at this stale hash, open this one".
 */
const RELOAD_KEY = 'hmm-explorer:reload';

/** Saves now what is waiting to be saved (the page is being hidden or closed). */
function flush(): void {
  if (!syncTimer) return;
  clearTimeout(syncTimer);
  const stale = location.hash;
  save();
  if (location.hash !== stale)
    writeStored(RELOAD_KEY, JSON.stringify({ stale, fresh: location.hash }), 'session');
}

/** The hash to open: the URL's, or the newer one the page left for its reload (see flush). */
function hashToOpen(): string {
  const note = readStored(RELOAD_KEY, 'session');
  removeStored(RELOAD_KEY, 'session');
  if (!note.ok || !note.value) return location.hash;
  try {
    const { stale, fresh } = JSON.parse(note.value) as { stale?: unknown; fresh?: unknown };
    if (stale !== location.hash || typeof fresh !== 'string') return location.hash;
    history.replaceState(null, '', fresh);
    return fresh;
  } catch {
    return location.hash;
  }
}

function startSync(routes: readonly Route[], onScenarioLink?: () => void): void {
  useStore.subscribe((s, prev) => {
    if (s.scenario === prev.scenario) return;
    if (syncTimer) clearTimeout(syncTimer);
    // Typing and dragging change the scenario many times a second; the URL can wait, and the
    // page going away flushes it (below).
    syncTimer = setTimeout(save, 250);
  });
  // A reload, a closed tab or a phone switching apps must not lose the last edit.
  window.addEventListener('pagehide', flush);
  window.addEventListener('beforeunload', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });
  // A view that opens or leaves a place (a tour step) puts its link in the URL at once.
  useMode.subscribe((m, prev) => {
    if (m.link === prev.link) return;
    const { scenario, problems } = useStore.getState();
    if (m.link) writeHash(m.link);
    else if (!problems.length) writeHash(compactHash(scenario));
  });
  window.addEventListener('hashchange', (ev) => {
    // The link as it was followed: a debounced write of our own may already have replaced
    // location.hash by the time this event is handled.
    const hash = new URL(ev.newURL).hash;
    if (hash === written) return;
    const routed = routeOf(hash, routes);
    const st = useStore.getState();
    if (routed) {
      if (routed.problem !== undefined || !routed.route.open(routed.value))
        st.setNotice(brokenRoute(routed, ''));
      return;
    }
    const r = readHash(hash);
    if (r.kind === 'ok') {
      onScenarioLink?.();
      useMode.getState().setLink(null);
      st.load(r.scenario, { watch: r.watch });
    } else if (r.kind === 'error')
      st.setNotice({
        kind: 'error',
        title: `${r.what} The scenario on screen is unchanged.`,
        lines: r.problems,
      });
  });
}
