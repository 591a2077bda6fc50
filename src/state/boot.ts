import { defaultPreset, loadStored, presetScenario, readHash, compactHash, store } from './scenarioIO.ts';
import type { Notice } from './store.ts';
import { initStore, useStore } from './store.ts';

/**
 * The first scenario: the URL's, else the one last edited here, else the default preset. A link
 * that cannot be read opens the default preset with a notice saying what is wrong, never a blank
 * page. Then the URL and localStorage follow every change.
 */
export function boot(): void {
  const fromHash = readHash(location.hash);
  const def = defaultPreset();
  if (fromHash.kind === 'ok') {
    initStore(fromHash.scenario, { watch: fromHash.watch });
  } else if (fromHash.kind === 'error') {
    const notice: Notice = {
      kind: 'error',
      title: `${fromHash.what} Opened the default scenario instead.`,
      lines: fromHash.problems,
    };
    initStore(presetScenario(def), { watch: def.watch, notice });
  } else {
    const stored = loadStored();
    if (stored) initStore(stored);
    else initStore(presetScenario(def), { watch: def.watch });
  }
  startSync();
}

let syncTimer: ReturnType<typeof setTimeout> | null = null;
/** The hash this app wrote last: a hashchange to it is our own echo, not a new link. */
let written = '';

function startSync(): void {
  useStore.subscribe((s, prev) => {
    if (s.scenario === prev.scenario) return;
    if (syncTimer) clearTimeout(syncTimer);
    // Typing and dragging change the scenario many times a second; the URL can wait.
    syncTimer = setTimeout(() => {
      const { scenario, problems } = useStore.getState();
      if (problems.length) return;
      written = compactHash(scenario);
      history.replaceState(null, '', written);
      store(scenario);
    }, 250);
  });
  window.addEventListener('hashchange', () => {
    if (location.hash === written) return;
    const r = readHash(location.hash);
    const st = useStore.getState();
    if (r.kind === 'ok') st.load(r.scenario, { watch: r.watch });
    else if (r.kind === 'error')
      st.setNotice({
        kind: 'error',
        title: `${r.what} The scenario on screen is unchanged.`,
        lines: r.problems,
      });
  });
}
