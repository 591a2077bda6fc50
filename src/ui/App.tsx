import { Suspense, lazy, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../state/store.ts';
import type { Store } from '../state/store.ts';
import { useMode } from '../state/mode.ts';
import type { ModeState } from '../state/mode.ts';
import { TopBar } from './chrome/TopBar.tsx';
import { NoticeBanner } from './chrome/Notice.tsx';
import { ScenarioHeading } from './chrome/ScenarioHeading.tsx';
import { Editor } from './editor/Editor.tsx';
import { Stage } from './stage/Stage.tsx';
import { Player, mainActions } from './player/Player.tsx';
import { usePlayback, usePlayerKeys } from './player/usePlayback.ts';
import type { KeyOptions } from './player/usePlayback.ts';
import { Narration } from './explain/Narration.tsx';
import { CallStack } from './explain/CallStack.tsx';
import { Pseudocode } from './explain/Pseudocode.tsx';
import { EventLog } from './explain/EventLog.tsx';
import { FormulaPanel } from './explain/FormulaPanel.tsx';
import { ThemeStyle } from './theme/ThemeStyle.tsx';
import { SkipLinks } from './chrome/SkipLinks.tsx';
import type { SkipTarget } from './chrome/SkipLinks.tsx';
import type { Mode } from '../state/mode.ts';
import { MODES } from '../state/mode.ts';
import { ViewBoundary } from './chrome/ViewBoundary.tsx';
import { loadedMode, switchMode } from './modes.ts';
import { rerun } from '../state/store.ts';
import { useApplyTheme } from './theme/useTheme.ts';
import { usePresentKeys } from './present/usePresentKeys.ts';
import { cx } from './hooks.ts';
import { usePredict } from '../state/predict.ts';
import type * as TourMode from './tour/tourMode.ts';
import { useTour } from '../state/tour.ts';
import './compare/compareMode.ts';
import { useRoomPanels } from './present/roomPanels.ts';
import type { RoomPanels } from './present/roomPanels.ts';
import './layout.css';

// The views and panels beside the explorer are loaded when first shown: a first visit runs only
// the explorer's code.
const CompareView = lazy(() => import('./compare/CompareView.tsx').then((m) => ({ default: m.CompareView })));
const PredictPanel = lazy(() =>
  import('./predict/PredictView.tsx').then((m) => ({ default: m.PredictPanel })),
);
const PredictStage = lazy(() =>
  import('./predict/PredictView.tsx').then((m) => ({ default: m.PredictStage })),
);
const TourPanel = lazy(() => import('./tour/TourPanel.tsx').then((m) => ({ default: m.TourPanel })));
const RecordedPanel = lazy(() =>
  import('./recorded/RecordedPanel.tsx').then((m) => ({ default: m.RecordedPanel })),
);

const selectEditorOpen = (s: Store) => s.editorOpen;
const selectRecorded = (s: Store) => s.recorded !== null;
const selectView = (s: ModeState) => ({ mode: s.mode, present: s.present });
const selectRoom = (s: RoomPanels) => ({ legend: s.legend, formula: s.formula });

/**
 * The explorer player's clock and keys as a leaf: the clock subscribes to the cursor, and a
 * subscription at the root would re-render the whole app on every step.
 */
function MainDrivers({ keys }: { keys: KeyOptions }) {
  usePlayback();
  usePlayerKeys(
    useMemo(() => mainActions(null), []),
    keys,
  );
  return null;
}

/** The theme and presentation mode's keys, whatever the view. */
function RoomDrivers() {
  useApplyTheme();
  usePresentKeys();
  return null;
}

/**
 * A clicker in the tour: Page Down steps the run, and at its end turns to the next step; Page Up
 * steps back, and at the start turns back a step.
 */
function tourPageDown(): boolean {
  // Loaded on entering the tour, so always there while it is on screen.
  const tour = loadedMode<typeof TourMode>('tour');
  const s = useStore.getState();
  const n = useTour.getState().step + 1;
  if (
    !tour ||
    !s.run ||
    s.cursor < s.run.trace.length ||
    n >= tour.tourById(useTour.getState().tour).steps.length
  )
    return false;
  return tour.openStep(n + 1);
}
function tourPageUp(): boolean {
  const tour = loadedMode<typeof TourMode>('tour');
  const s = useStore.getState();
  const n = useTour.getState().step + 1;
  if (!tour || s.cursor > 0 || n <= 1) return false;
  return tour.openStep(n - 1);
}

function skipTargets(mode: Mode, editor: boolean): SkipTarget[] {
  if (mode === 'compare') return ['player', 'compare-a'];
  if (mode === 'tour') return ['player', 'stage', 'tour'];
  if (mode === 'predict') return ['predict', 'stage', 'player'];
  return editor ? ['player', 'stage', 'editor'] : ['player', 'stage'];
}

export function App() {
  const editorOpen = useStore(selectEditorOpen);
  const { mode, present } = useMode(useShallow(selectView));
  const revealed = usePredict((p) => p.revealed);
  const recorded = useStore(selectRecorded);
  const room = useRoomPanels(useShallow(selectRoom));
  const showEditor = mode === 'explore' && editorOpen && !present;
  // A prediction not yet revealed keeps the run hidden: no player, no counters, no keys.
  const hidden = mode === 'predict' && !revealed;
  const side =
    mode === 'predict' ? <PredictPanel /> : mode === 'tour' ? <TourPanel /> : showEditor ? <Editor /> : null;
  return (
    <div
      className={cx('app', `mode-${mode}`, present && 'presenting', present && room.legend && 'show-legend')}
    >
      <RoomDrivers />
      {mode !== 'compare' && !hidden && (
        <MainDrivers
          keys={{
            undo: mode === 'explore',
            pageKeys: present || mode === 'tour',
            onPageDown: mode === 'tour' ? tourPageDown : undefined,
            onPageUp: mode === 'tour' ? tourPageUp : undefined,
          }}
        />
      )}
      <ThemeStyle />
      <SkipLinks targets={skipTargets(mode, showEditor)} />
      <TopBar />
      <NoticeBanner />
      <ViewBoundary
        what={`The ${MODES.find((m) => m.id === mode)?.label ?? 'view'} view`}
        resetKey={mode}
        onRetry={rerun}
        back={
          mode === 'explore'
            ? { label: 'Undo the last change', onBack: () => useStore.getState().undo() }
            : { label: 'Back to the explorer', onBack: () => switchMode('explore') }
        }
      >
        {mode === 'compare' ? (
          <Suspense fallback={null}>
            <CompareView />
          </Suspense>
        ) : (
          <div className={side ? 'workspace' : 'workspace no-editor'}>
            {side && <Suspense fallback={null}>{side}</Suspense>}
            <main className="center">
              <div className="center-scroll">
                <ScenarioHeading spoiler={!hidden} />
                {mode === 'explore' && recorded && (
                  <Suspense fallback={null}>
                    <RecordedPanel />
                  </Suspense>
                )}
                {mode === 'predict' ? (
                  // Nothing until it loads: a stage with the run would give the answer away.
                  <Suspense fallback={null}>
                    <PredictStage />
                  </Suspense>
                ) : (
                  <Stage editable />
                )}
                {!present && !hidden && (
                  <>
                    <div className="explain">
                      <Pseudocode />
                      <div className="explain-side">
                        <CallStack />
                        <EventLog />
                      </div>
                    </div>
                    <FormulaPanel />
                  </>
                )}
                {present && room.formula && !hidden && <FormulaPanel />}
              </div>
              {/* The controls stay in view whatever is scrolled: a class watches, someone presses play. */}
              <div className="dock">
                <Player locked={hidden} />
                {hidden ? (
                  <p className="narration-bar predict-hint" role="status">
                    Make your prediction on the stage, then press Reveal: the run is hidden until then.
                  </p>
                ) : (
                  <Narration />
                )}
              </div>
            </main>
          </div>
        )}
      </ViewBoundary>
    </div>
  );
}
