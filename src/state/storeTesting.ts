import { vi } from 'vitest';
import { useStore } from './store.ts';
import { activeRun } from './derived.ts';

/**
 * For the store's tests: until the run of the scenario on screen is in the store. No fixed wait:
 * loading the engine the first time takes over a second when the machine is busy.
 */
export const settle = () =>
  vi.waitFor(
    () => {
      const s = useStore.getState();
      if (!activeRun(s.scenario, s.run, s.runScenario)) throw new Error('no run yet');
    },
    { timeout: 30_000, interval: 20 },
  );
