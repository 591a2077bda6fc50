import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { useMode } from '../../state/mode.ts';
import type { ModeState } from '../../state/mode.ts';
import { Icon } from './Icon.tsx';
import { PresetMenu } from './PresetMenu.tsx';
import { CopyLink } from './CopyLink.tsx';
import { About } from './About.tsx';
import { ModeSwitch } from './ModeSwitch.tsx';
import { ExportMenu } from '../export/ExportMenu.tsx';
import { ImportButton } from '../export/ImportButton.tsx';
import { EmbedDialog } from '../embed/EmbedDialog.tsx';
import { PresentToggle } from '../present/PresentToggle.tsx';
import { Shortcuts } from '../present/Shortcuts.tsx';

const select = (s: Store) => ({
  canUndo: s.past.length > 0,
  canRedo: s.future.length > 0,
  problems: s.problems.length,
  theme: s.theme,
  editorOpen: s.editorOpen,
});

const selectView = (s: ModeState) => ({ mode: s.mode, present: s.present });

const NEXT_THEME = { system: 'light', light: 'dark', dark: 'system' } as const;

/**
 * The app's bar: the views, then what acts on the scenario (presets, run, undo), then sharing
 * (link, embed, import, export) and the room (presentation mode, theme). In presentation mode
 * only the views and the room's controls stay: the class sees the stage, not the tools.
 */
export function TopBar() {
  const v = useStore(useShallow(select));
  const { mode, present } = useMode(useShallow(selectView));
  const a = useStore.getState();
  const scenarioTools = mode === 'explore' || mode === 'predict';
  return (
    <header className="topbar">
      <div className="brand">
        <h1>HMM Explorer</h1>
        <p className="tagline">how Linux HMM faults pages into a device page table</p>
      </div>
      <ModeSwitch />
      <div className="toolbar" role="toolbar" aria-label="Scenario">
        {!present && (
          <>
            {mode === 'explore' && (
              <button
                type="button"
                className="icon-button"
                aria-label={v.editorOpen ? 'Hide the editor' : 'Show the editor'}
                aria-pressed={v.editorOpen}
                title="Editor"
                onClick={() => a.setEditorOpen(!v.editorOpen)}
              >
                <Icon name="panel" />
              </button>
            )}
            {scenarioTools && <PresetMenu />}
            {mode === 'explore' && (
              <button
                type="button"
                className="button primary"
                onClick={() => a.requestRun({ play: true })}
                disabled={v.problems > 0}
                title="Run the scenario and play it from the start"
              >
                <Icon name="run" /> Run
              </button>
            )}
            {mode === 'explore' && (
              <>
                <span className="divider" aria-hidden="true" />
                <button
                  type="button"
                  className="icon-button"
                  aria-label="Undo"
                  title="Undo (Ctrl+Z)"
                  onClick={a.undo}
                  disabled={!v.canUndo}
                >
                  <Icon name="undo" />
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label="Redo"
                  title="Redo (Ctrl+Shift+Z)"
                  onClick={a.redo}
                  disabled={!v.canRedo}
                >
                  <Icon name="redo" />
                </button>
              </>
            )}
            {/* Sharing works from every view: a comparison is linked, embedded and exported too. */}
            <CopyLink />
            <EmbedDialog />
            {mode !== 'compare' && <ImportButton />}
            <ExportMenu />
            <span className="divider" aria-hidden="true" />
          </>
        )}
        <PresentToggle />
        <button
          type="button"
          className="icon-button"
          aria-label={`Theme: ${v.theme}`}
          title={`Theme: ${v.theme} (click for ${NEXT_THEME[v.theme]})`}
          onClick={() => a.setTheme(NEXT_THEME[v.theme])}
        >
          <Icon name={v.theme === 'light' ? 'sun' : v.theme === 'dark' ? 'moon' : 'auto'} />
        </button>
        <Shortcuts />
        <About />
      </div>
    </header>
  );
}
