import { useMode } from '../../state/mode.ts';
import type { ModeState } from '../../state/mode.ts';
import { Icon } from '../chrome/Icon.tsx';
import './present.css';

const selectPresent = (s: ModeState) => s.present;

/** Presentation mode on and off (also: the P key, and Escape to leave). */
export function PresentToggle() {
  const present = useMode(selectPresent);
  return (
    <>
      {present && (
        <span className="present-hint">
          <kbd>PgDn</kbd> <kbd>→</kbd> step · <kbd>Esc</kbd> leave
        </span>
      )}
      <button
        type="button"
        className="icon-button present-toggle"
        aria-label="Presentation mode"
        aria-pressed={present}
        aria-keyshortcuts="P"
        title={
          present
            ? 'Leave presentation mode (P or Escape)'
            : 'Presentation mode: large type, high contrast, clicker keys (P)'
        }
        onClick={() => useMode.getState().setPresent(!present)}
      >
        <Icon name="present" />
      </button>
    </>
  );
}
