// First: the feature stylesheets imported by the components below come after it and refine it.
import './ui/global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App.tsx';
import { boot, bootEmbed } from './state/boot.ts';
import { ROUTES } from './ui/routes.ts';
import { EmbedApp } from './ui/embed/EmbedApp.tsx';
import { isEmbed, readEmbedOptions } from './ui/embed/params.ts';
import { useStore } from './state/store.ts';
import { useMode } from './state/mode.ts';
import { switchMode } from './ui/modes.ts';
import { registerOffline } from './offline/register.ts';

registerOffline();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The store must hold a scenario before the first render.
if (isEmbed(location.search)) {
  const options = readEmbedOptions(location.search);
  bootEmbed();
  useStore.getState().setTheme(options.theme);
  document.documentElement.classList.add('is-embed');
  createRoot(root).render(
    <StrictMode>
      <EmbedApp options={options} />
    </StrictMode>,
  );
} else {
  boot(ROUTES, {
    // A scenario link opens in the explorer when the tour or a comparison is on screen.
    onScenarioLink: () => {
      if (useMode.getState().mode === 'tour' || useMode.getState().mode === 'compare') switchMode('explore');
    },
  });
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
