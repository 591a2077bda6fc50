import type { StoredRead } from './scenarioIO.ts';
import type { Notice } from './store.ts';
import { initStore, useStore } from './store.ts';
import type { AppLink, LinkRead } from './linkFormat.ts';
import type { Anchor } from './anchor.ts';
import { readStored, removeStored, writeStored } from './guard.ts';
import { KEEP_IT, somethingStored, store } from './saved.ts';
import { DEFAULT_WATCH, defaultScenario } from '../engine/scenario/defaultPreset.ts';

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
  open: (link: AppLink, first?: boolean) => boolean | Promise<boolean>;
  /**
   * The state on screen as a link (a hash; null when it cannot be linked, such as a scenario with
   * problems), and whether its scenario is the user's own (the explorer's, kept in localStorage)
   * rather than a view's (a tour step, a question). `unjudged`: a scenario the engine has not
   * checked yet is linked too (the page is going away; a reload must not lose the last edit).
   */
  current: (unjudged?: boolean) => { hash: string | null; own: boolean };
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

/** Whether a hash holds a state to read (a plain anchor, `#section`, does not). */
function holdsLink(hash: string): boolean {
  return hash.replace(/^#/, '').includes('=');
}

/**
 * Reads a hash. The reader validates the link's scenarios (the schema, the presets): it is loaded
 * only when there is a link to read, never for a plain start.
 */
async function readLink(hash: string): Promise<LinkRead> {
  if (!holdsLink(hash)) return { kind: 'none' };
  return (await import('./link.ts')).parseLink(hash);
}

/** The scenario last edited here, read (and validated) only when storage holds something. */
async function readSaved(): Promise<StoredRead> {
  if (!somethingStored()) return { scenario: null, problem: null };
  return (await import('./scenarioIO.ts')).loadStored();
}

/**
 * The first state: the URL's, else the scenario last edited here, else the default preset. A
 * link that cannot be read opens the user's last scenario (else the default preset) with a notice
 * saying what is wrong, never a blank page. Then the URL and localStorage follow every change.
 * Resolves once the first state is in place (the caller renders then: no flash of another one).
 *
 * `handlers` loads the link code (the views' link handlers, a chunk of the app's): a link waits
 * for it before anything is put in place (its state opens over the first scenario, in the same
 * task: one first run); a start without a link puts its scenario in place and sends it to the
 * engine first, then waits for it (to follow the state in the URL).
 */
export async function boot(handlers: () => Promise<LinkHandlers>): Promise<void> {
  const loading = handlers();
  const [saved, read] = await Promise.all([readSaved(), readLink(hashToOpen())]);
  const stored = saved.scenario;
  if (read.kind === 'ok') {
    const h = await loading;
    // The store starts on the user's own scenario (a view gives it back when it is left), then
    // the link's state opens over it.
    initStore(stored ?? defaultScenario(), { watch: stored ? null : DEFAULT_WATCH });
    if (!(await h.open(read.link, true)))
      useStore.getState().notify({
        kind: 'error',
        title: `${noPlace(read.link)} Opened the explorer instead.`,
        lines: [],
      });
  } else if (read.kind === 'error') {
    // The link is lost, the user's own work is not: the scenario last edited here, if any.
    if (stored) initStore(stored, { notice: brokenLink(read, 'Opened your last scenario instead.') });
    else
      initStore(defaultScenario(), {
        watch: DEFAULT_WATCH,
        notice: brokenLink(read, 'Opened the default scenario instead.'),
      });
  } else if (stored) initStore(stored);
  else initStore(defaultScenario(), { watch: DEFAULT_WATCH });
  storageNotice(saved);
  startSync(await loading);
}

/** A stored scenario that could not be read, or storage that cannot be used, is reported. */
function storageNotice(saved: StoredRead): void {
  // Storage that cannot be used is said once, here, not again at the first edit.
  if (saved.problem?.storage) unsavedSaid = true;
  if (!saved.problem) return;
  // About this browser's storage, not the scenario on screen: it stays when another one opens.
  const { title, lines } = saved.problem;
  useStore.getState().notify({ kind: 'error', title, lines, lasting: true });
}

/**
 * An embedded copy reads its state from the link once and never writes anywhere: two embeds on
 * one docs page share the origin's localStorage, and the page's URL belongs to the page. `open`
 * loads the link's state and says what kind of embed it is (null: the link names no place).
 * Resolves to that kind and the link's moment once the state is in place.
 */
export async function bootEmbed<K>(
  open: (link: AppLink) => K | null | Promise<K | null>,
  fallback: K,
): Promise<{ kind: K; at: Anchor | null }> {
  const read = await readLink(location.hash);
  initStore(defaultScenario(), {
    watch: DEFAULT_WATCH,
    notice: read.kind === 'error' ? brokenLink(read, 'Showing the default scenario.') : null,
  });
  if (read.kind !== 'ok') return { kind: fallback, at: null };
  const kind = await open(read.link);
  if (kind !== null) return { kind, at: read.link.at };
  useStore
    .getState()
    .notify({ kind: 'error', title: `${noPlace(read.link)} Showing the default scenario.`, lines: [] });
  return { kind: fallback, at: null };
}

let syncTimer: ReturnType<typeof setTimeout> | null = null;
/** The hash this app wrote last: a hashchange to it is our own echo, not a new link. */
let written = '';
/** A failed save has been reported; said once, not on every edit, until a save works again. */
let unsavedSaid = false;
let handlers: LinkHandlers | null = null;
/** The scenario storage holds, or the one the app opened on: nothing to save until it changes. */
let kept: unknown = null;

function writeHash(hash: string): void {
  if (hash === location.hash) return;
  written = hash;
  history.replaceState(null, '', hash);
}

/** Puts the state on screen in the URL, and the user's own scenario in storage. */
function save(leaving = false): void {
  syncTimer = null;
  if (!handlers) return;
  const { scenario, problems, checked } = useStore.getState();
  const { hash, own } = handlers.current(leaving);
  if (hash) writeHash(hash);
  // Storage keeps the scenario last edited here: one that is not new (the one the app opened
  // on, or already kept) is not written again at every step of a run. One the engine has not
  // checked yet waits for its verdict (the store's `checked` changing calls save again), unless
  // the page is going away: then it is kept as it is, and a next start that finds it invalid
  // sets it aside with a notice rather than dropping it.
  const judged = checked === scenario;
  if (!own || (judged ? problems.length > 0 : !leaving) || scenario === kept) return;
  kept = scenario;
  const r = store(scenario);
  if (r.ok) unsavedSaid = false;
  else if (!unsavedSaid) {
    unsavedSaid = true;
    useStore.getState().notify({
      kind: 'error',
      title: `Your edits are not being saved in this browser: ${r.problem}.`,
      lines: [KEEP_IT],
      lasting: true,
    });
  }
}

/**
 * A reload started right after an edit reloads the address the page had before the edit: the
 * browser picks it before the page hears that it is going away. So the page, as it goes, leaves
 * a note for its next load in this tab: "if you are opened at this stale hash, open this one".
 */
export const RELOAD_KEY = 'hmm-explorer:reload';

/** Saves now what is waiting to be saved (the page is being hidden or closed). */
function flush(): void {
  if (!syncTimer) return;
  clearTimeout(syncTimer);
  const stale = location.hash;
  save(true);
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

function startSync(h: LinkHandlers): void {
  handlers = h;
  kept = useStore.getState().scenario;
  // Typing, dragging and playing change the state many times a second; the URL can wait, and
  // the page going away flushes it (below).
  const changed = () => {
    if (syncTimer) clearTimeout(syncTimer);
    syncTimer = setTimeout(save, 250);
  };
  h.watch(changed);
  // What changed before the link code was loaded (the first run may already be in) is followed
  // too: the state on screen goes to the URL as it would on a change.
  changed();
  // A reload, a closed tab or a phone switching apps must not lose the last edit.
  window.addEventListener('pagehide', flush);
  window.addEventListener('beforeunload', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });
  window.addEventListener('hashchange', (ev) => {
    // The link as it was followed: a debounced write of our own may already have replaced
    // location.hash by the time this event is handled.
    const hash = new URL(ev.newURL).hash;
    if (hash === written) return;
    void followLink(h, hash);
  });
}

/** A link followed while the app is open (a hashchange): its state opens, or a notice says why not. */
async function followLink(h: LinkHandlers, hash: string): Promise<void> {
  const r = await readLink(hash);
  const st = useStore.getState();
  if (r.kind === 'ok') {
    if (!(await h.open(r.link))) st.notify({ kind: 'error', title: noPlace(r.link), lines: [] });
  } else if (r.kind === 'error')
    st.notify({
      kind: 'error',
      title: `${r.what} The state on screen is unchanged.`,
      lines: r.problems,
    });
}
