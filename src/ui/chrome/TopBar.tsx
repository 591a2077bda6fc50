import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { Icon } from './Icon.tsx';
import { PresetMenu } from './PresetMenu.tsx';
import { CopyLink } from './CopyLink.tsx';
import { About } from './About.tsx';

const select = (s: Store) => ({
  canUndo: s.past.length > 0,
  canRedo: s.future.length > 0,
  running: s.runState === 'running',
  problems: s.problems.length,
  theme: s.theme,
  editorOpen: s.editorOpen,
});

const NEXT_THEME = { system: 'light', light: 'dark', dark: 'system' } as const;

export function TopBar() {
  const v = useStore(useShallow(select));
  const a = useStore.getState();
  return (
    <header className="topbar">
      <div className="brand">
        <h1>HMM Explorer</h1>
        <p className="tagline">how Linux HMM faults pages into a device page table</p>
      </div>
      <div className="toolbar" role="toolbar" aria-label="Scenario">
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
        <PresetMenu />
        <button
          type="button"
          className="button primary"
          onClick={() => a.requestRun({ play: true })}
          disabled={v.problems > 0}
          title="Run the scenario and play it from the start"
        >
          <Icon name="run" /> Run
        </button>
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
        <CopyLink />
        <button
          type="button"
          className="icon-button"
          aria-label={`Theme: ${v.theme}`}
          title={`Theme: ${v.theme} (click for ${NEXT_THEME[v.theme]})`}
          onClick={() => a.setTheme(NEXT_THEME[v.theme])}
        >
          <Icon name={v.theme === 'light' ? 'sun' : v.theme === 'dark' ? 'moon' : 'auto'} />
        </button>
        <About />
      </div>
    </header>
  );
}
