import { useStore } from '../state/store.ts';
import type { Store } from '../state/store.ts';
import { TopBar } from './chrome/TopBar.tsx';
import { NoticeBanner } from './chrome/Notice.tsx';
import { ScenarioHeading } from './chrome/ScenarioHeading.tsx';
import { RecordedPanel } from './recorded/RecordedPanel.tsx';
import { Editor } from './editor/Editor.tsx';
import { Stage } from './stage/Stage.tsx';
import { Player } from './player/Player.tsx';
import { usePlayback, usePlayerKeys } from './player/usePlayback.ts';
import { Narration } from './explain/Narration.tsx';
import { CallStack } from './explain/CallStack.tsx';
import { Pseudocode } from './explain/Pseudocode.tsx';
import { EventLog } from './explain/EventLog.tsx';
import { FormulaPanel } from './explain/FormulaPanel.tsx';
import { ThemeStyle } from './theme/ThemeStyle.tsx';
import { SkipLinks } from './chrome/SkipLinks.tsx';
import { useApplyTheme } from './theme/useTheme.ts';

const selectEditorOpen = (s: Store) => s.editorOpen;

/**
 * The player's clock and keys, and the theme, as a leaf: the clock subscribes to the cursor, and
 * a subscription at the root would re-render the whole app on every step.
 */
function Drivers() {
  useApplyTheme();
  usePlayback();
  usePlayerKeys();
  return null;
}

export function App() {
  const editorOpen = useStore(selectEditorOpen);
  return (
    <div className="app">
      <Drivers />
      <ThemeStyle />
      <SkipLinks editor={editorOpen} />
      <TopBar />
      <NoticeBanner />
      <div className={editorOpen ? 'workspace' : 'workspace no-editor'}>
        {editorOpen && <Editor />}
        <main className="center">
          <div className="center-scroll">
            <ScenarioHeading />
            <RecordedPanel />
            <Stage />
            <div className="explain">
              <Pseudocode />
              <div className="explain-side">
                <CallStack />
                <EventLog />
              </div>
            </div>
            <FormulaPanel />
          </div>
          {/* The controls stay in view whatever is scrolled: a class watches, someone presses play. */}
          <div className="dock">
            <Player />
            <Narration />
          </div>
        </main>
      </div>
    </div>
  );
}
