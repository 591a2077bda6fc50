import { MODES, useMode } from '../../state/mode.ts';
import type { ModeState } from '../../state/mode.ts';
import { switchMode } from '../modes.ts';

const selectMode = (s: ModeState) => s.mode;

/** The app's views, one press away: explore, the tour, predict, compare. */
export function ModeSwitch() {
  const mode = useMode(selectMode);
  return (
    <nav className="mode-switch" aria-label="Views">
      {MODES.map((m) => (
        <button
          key={m.id}
          type="button"
          className="mode-button"
          aria-pressed={mode === m.id}
          title={m.hint}
          onClick={() => switchMode(m.id)}
        >
          {m.label}
        </button>
      ))}
    </nav>
  );
}
