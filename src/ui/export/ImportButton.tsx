import { useEffect, useRef } from 'react';
import { useStore } from '../../state/store.ts';
import { useMode } from '../../state/mode.ts';
import { Icon } from '../chrome/Icon.tsx';
import { switchMode } from '../modes.ts';

/** Loads a checked file into the explorer (undoable), or says what is wrong and changes nothing. */
async function open(file: File): Promise<void> {
  // The reader validates with the schema: loaded when a file is opened, not with the app.
  const { importScenarioFile } = await import('./importFile.ts');
  const r = await importScenarioFile(file);
  const st = useStore.getState();
  if (!r.ok) {
    st.notify({
      kind: 'error',
      title: `“${r.name}” is not a scenario this app can open. Nothing was changed.`,
      lines: r.problems,
    });
    return;
  }
  // A file opens in the explorer, as a link does; a tour step is not the place to edit it.
  // Leaving the tour properly gives back the user's scenario (so Undo returns to it) and
  // takes the tour's link out of the URL, so the file and its edits are saved.
  if (useMode.getState().mode === 'tour') switchMode('explore');
  st.load(r.scenario, {
    notice: {
      kind: 'info',
      title: `Opened “${r.name}”. Undo (Ctrl+Z) brings back the scenario you had.`,
      lines: [],
    },
  });
}

/**
 * Import: a scenario file chosen with the button, or dropped anywhere on the window. It goes
 * through the scenario schema like any link; a bad file leaves everything as it was.
 */
export function ImportButton() {
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      e.preventDefault();
      void open(file);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);

  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label="Import a scenario file"
        title="Import a scenario file (.json), or drop one on the page"
        onClick={() => input.current?.click()}
      >
        <Icon name="upload" />
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = ''; // the same file chosen again is a new import
          if (file) void open(file);
        }}
      />
    </>
  );
}
