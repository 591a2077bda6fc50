/**
 * The explorer's first screen on a phone, as it stands before its code has loaded: the top bar and
 * the scenario's heading, rendered with react-dom/server from the app's own components, with the
 * store holding what a plain start holds (the default scenario, nothing stored, no link, the
 * editor closed on a narrow screen). Loaded by the build (plugin.ts) through Vite's SSR loader,
 * so the components' CSS and virtual modules resolve as in the app. Nothing here runs in the page.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { useStore } from '../../src/state/store.ts';
import { DEFAULT_WATCH, defaultScenario } from '../../src/engine/scenario/defaultPreset.ts';
import { TopBar } from '../../src/ui/chrome/TopBar.tsx';
import { NoticeBanner } from '../../src/ui/chrome/Notice.tsx';
import { ScenarioHeading } from '../../src/ui/chrome/ScenarioHeading.tsx';

// What makes a start not plain, for the page's first script (plugin.ts, firstScreenScript.ts).
export { STORAGE_KEY } from '../../src/state/saved.ts';
export { RELOAD_KEY } from '../../src/state/boot.ts';

/**
 * The frame's markup: App's own structure (App.tsx, explore mode, no editor) down to the heading.
 * The heading leaves out what to watch for: on a phone it sits below the stage and the player
 * (layout.css), which are not in the frame; the app adds it there.
 */
export function renderFrame(): string {
  // What boot's initStore puts in place for a plain start, without sending a run (no engine here).
  const scenario = defaultScenario();
  const state = {
    scenario,
    problems: [],
    checked: null,
    watch: DEFAULT_WATCH,
    watchScenario: scenario,
    notices: [],
    past: [],
    future: [],
    editorOpen: false,
  };
  useStore.setState(state);
  // zustand's hooks read the store's initial state on the server (React's server snapshot), so
  // that is where the state goes too. Only this build-time copy of the store is changed.
  Object.assign(useStore.getInitialState(), state);
  return renderToStaticMarkup(
    // Inert: a picture of the first screen until the app renders over it (its buttons do nothing yet).
    <div className="app mode-explore" inert>
      <TopBar />
      <NoticeBanner />
      <div className="workspace no-editor">
        <main className="center">
          <div className="center-scroll">
            <ScenarioHeading spoiler={false} />
          </div>
        </main>
      </div>
    </div>,
  );
}
