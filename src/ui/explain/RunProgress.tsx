import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';

/** A run is "long" after this: the user then sees how long it has been, and can stop it. */
export const LONG_RUN_MS = 2_000;

const select = (s: Store) => ({ running: s.runState === 'running', started: s.runStarted });

/**
 * How long the engine has been running and a Cancel, once a run takes more than a moment (a
 * million pages with many concurrent events can take a minute). Not a live region: a counter
 * ticking every second would drown a screen reader; the narration says "Running" once.
 */
export function RunProgress() {
  const { running, started } = useStore(useShallow(select));
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [running]);
  if (!running || started === null || now - started < LONG_RUN_MS) return null;
  return (
    <div className="run-progress">
      <span>Running for {Math.floor((now - started) / 1000)} s</span>
      <button type="button" className="button" onClick={() => useStore.getState().cancelRun()}>
        Cancel the run
      </button>
    </div>
  );
}
