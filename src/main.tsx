// First: the feature stylesheets imported by the components below come after it and refine it.
import './ui/global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { boot, bootEmbed } from './state/boot.ts';
import type { EmbedKind } from './ui/links.ts';
import { isEmbed, readEmbedOptions } from './ui/embed/params.ts';
import { runSettled, startEngine, useStore } from './state/store.ts';
import { registerOffline } from './offline/register.ts';

registerOffline();
// The engine's worker loads beside the page's code, so the first run is not queued behind it.
startEngine();
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
  createRoot(root).render(
    <StrictMode>
      <EmbedApp options={options} kind={kind} figure={figure} at={at} />
    </StrictMode>,
  );
} else {
  const [{ App }, links] = await Promise.all([import('./ui/App.tsx'), import('./ui/links.ts')]);
  // A link's state (a tour step, a question) is in place before the first render: no flash.
  await boot({ open: links.openLink, current: links.currentHash, watch: links.watchLink });
  await runSettled(FIRST_RUN_WAIT_MS);
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
