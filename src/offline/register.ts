import { useStore } from '../state/store.ts';

/**
 * Registers the offline service worker of the build (dist/sw.js, see src/offline/sw.ts), and says
 * when a newly deployed version has taken over, so the user reloads when it suits them. Not in
 * development: the dev server's modules are not files to cache.
 */
export function registerOffline(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol))
    return;
  const hadController = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // The first install takes control of a page that had none: nothing new to say then.
    if (!hadController) return;
    useStore.getState().notify({
      kind: 'info',
      title: 'A new version of HMM Explorer has been installed. Reload the page to use it.',
      lines: [],
      lasting: true,
    });
  });
  navigator.serviceWorker.register('./sw.js').catch((e: unknown) => {
    // Offline use is a bonus: the app works without it.
    console.warn('the offline service worker could not be registered', e);
  });
}
