import { useMode } from '../../state/mode.ts';
import type { ModeState } from '../../state/mode.ts';
import { Icon } from '../chrome/Icon.tsx';
import { useRoomPanels } from './roomPanels.ts';
import './present.css';

const selectPresent = (s: ModeState) => s.present;

/** Presentation mode on and off (also: the P key, and Escape to leave). */
export function PresentToggle() {
  const present = useMode(selectPresent);
  const panels = useRoomPanels();
  return (
    <>
      {present && (
        <span className="present-hint">
          <kbd>PgDn</kbd> <kbd>→</kbd> step · <kbd>Esc</kbd> leave
        </span>
      )}
      {present && (
        <>
          <button
            type="button"
            className="small-button"
            aria-pressed={panels.legend}
            title="Show the stage's legend"
            onClick={() => panels.toggle('legend')}
          >
            Legend
          </button>
          <button
            type="button"
            className="small-button"
            aria-pressed={panels.formula}
            title="Show the formula worked out for the page under the pointer"
            onClick={() => panels.toggle('formula')}
          >
            Formula
          </button>
        </>
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
