import { startEngine } from './store.ts';

/*
 * Imported first by the page's entry (main.tsx), for its side effect: the engine's worker starts
 * loading before the rest of the entry evaluates (react-dom alone takes a few hundred ms), so the
 * worker's script is fetched and compiled while the page's own code loads, and the first run is
 * answered by the time the first render wants it.
 */
startEngine();
