import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { MAX_PREDICT_PAGES, usePredict } from '../../state/predict.ts';
import type { PredictState } from '../../state/predict.ts';
import { activeRun } from '../../state/derived.ts';
import { Stage } from '../stage/Stage.tsx';
import { FAULT_WORDS } from '../model/outcome.ts';
import { QUESTIONS } from './questions.ts';
import { openQuestion, predictOwnScenario } from './predictMode.ts';
import { PredictRows } from './PredictRows.tsx';
import { scorePrediction } from './score.ts';
import type { Score } from './score.ts';
import './predict.css';

const selectRun = (s: Store) => ({
  scenario: s.scenario,
  run: activeRun(s.scenario, s.run, s.runScenario),
});

const selectPredict = (s: PredictState) => ({
  scenario: s.scenario,
  question: s.question,
  faults: s.faults,
  device: s.device,
  revealed: s.revealed,
});

/** The score of the prediction on screen, once revealed (null before, or while the run computes). */
export function usePredictScore(): Score | null {
  const { scenario, run } = useStore(useShallow(selectRun));
  const p = usePredict(useShallow(selectPredict));
  return useMemo(() => {
    if (!p.revealed || !run || p.scenario !== scenario || scenario.range.pages > MAX_PREDICT_PAGES)
      return null;
    return scorePrediction(scenario, run, p.faults, p.device);
  }, [p.revealed, p.scenario, p.faults, p.device, scenario, run]);
}

/** The stage with the learner's guesses under it (the explorer's stage, not paintable here). */
export function PredictStage() {
  const pages = useStore((st) => st.scenario.range.pages);
  const score = usePredictScore();
  return (
    <Stage
      extraRows={
        pages <= MAX_PREDICT_PAGES
          ? (cols, views) => <PredictRows cols={cols} views={views} score={score} />
          : undefined
      }
    />
  );
}

function Misses({ score }: { score: Score }) {
  const missed = score.pages.filter((p) => !p.fault.right || !p.device.right);
  if (missed.length === 0)
    return <p className="predict-perfect">Every page right: the faults and the device page table.</p>;
  return (
    <section aria-labelledby="misses-title" className="misses">
      <h3 id="misses-title">What happened instead</h3>
      <ul>
        {missed.map((p) => (
          <li key={p.page}>
            <strong>page {p.page}</strong>
            {!p.fault.right && (
              <p>
                <span className="miss-what">fault:</span> {p.fault.why}
              </p>
            )}
            {!p.device.right && (
              <p>
                <span className="miss-what">device:</span> {p.device.why}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Predict, then reveal: pick a ready question (or keep the explorer's scenario), mark on the stage
 * which pages handle_mm_fault will touch and what the device will hold, then reveal: the run is
 * scored page by page, and every miss says why, from the trace.
 */
export function PredictPanel() {
  const store = useStore(
    useShallow((s: Store) => ({
      scenario: s.scenario,
      runState: s.runState,
      run: s.run,
      runScenario: s.runScenario,
    })),
  );
  const p = usePredict(useShallow(selectPredict));
  const score = usePredictScore();
  const pages = store.scenario.range.pages;
  const ready = !!activeRun(store.scenario, store.run, store.runScenario);
  const q = p.question ? QUESTIONS[p.question - 1] : null;
  const a = usePredict.getState();
  const st = useStore.getState();
  return (
    <aside className="side-panel predict-panel" id="predict" tabIndex={-1} aria-labelledby="predict-title">
      <h2 id="predict-title">Predict, then reveal</h2>
      <label className="field">
        <span>Question</span>
        <select
          value={p.question ?? 0}
          onChange={(e) => {
            const n = Number(e.target.value);
            if (n) openQuestion(n);
            else predictOwnScenario();
          }}
        >
          <option value={0}>The scenario on the stage</option>
          {QUESTIONS.map((x, i) => (
            <option key={x.id} value={i + 1}>
              {i + 1}. {x.title} ({x.level})
            </option>
          ))}
        </select>
      </label>
      <p className="predict-prompt">
        {q
          ? q.prompt
          : `“${store.scenario.title || 'Untitled scenario'}”: the request and the page table are on the stage.`}
      </p>
      {pages > MAX_PREDICT_PAGES ? (
        <p className="note">
          Predictions go page by page: choose a scenario of at most {MAX_PREDICT_PAGES} pages (this one has{' '}
          {pages}).
        </p>
      ) : !p.revealed ? (
        <>
          <ol className="predict-steps">
            <li>
              In <strong>your guess: handle_mm_fault</strong>, mark each page that will be faulted: press a
              cell for <strong>R</strong> (read), again for <strong>W</strong> (write).
            </li>
            <li>
              In <strong>your guess: device pte</strong>, mark what the device will end with:{' '}
              <strong>ro</strong>, <strong>rw</strong> or <strong>none</strong>.
            </li>
            <li>Reveal: the run plays out and each page is scored.</li>
          </ol>
          <div className="quick" role="group" aria-label="Fill every page">
            <button type="button" className="small-button" onClick={() => a.setAll('faults', 0)}>
              all: no fault
            </button>
            <button type="button" className="small-button" onClick={() => a.setAll('device', 1)}>
              all: device ro
            </button>
            <button type="button" className="small-button" onClick={() => a.setAll('device', 2)}>
              all: device rw
            </button>
          </div>
          <button
            type="button"
            className="button primary reveal"
            disabled={!ready}
            onClick={() => {
              a.reveal();
              st.toEnd();
            }}
          >
            Reveal
          </button>
        </>
      ) : (
        score && (
          <>
            <div className="predict-score" role="status" aria-label="Score">
              <span>
                <strong>{score.faultsRight}</strong> / {score.total}{' '}
                <span className="muted">faults right</span>
              </span>
              <span>
                <strong>{score.deviceRight}</strong> / {score.total}{' '}
                <span className="muted">device entries right</span>
              </span>
            </div>
            <div className="quick">
              <button
                type="button"
                className="button"
                onClick={() => {
                  st.toStart();
                  st.play();
                }}
              >
                Watch it from the start
              </button>
              <button
                type="button"
                className="button"
                onClick={() => {
                  a.retry();
                  st.toStart();
                }}
              >
                Guess again
              </button>
              {p.question && p.question < QUESTIONS.length && (
                <button
                  type="button"
                  className="button primary"
                  onClick={() => openQuestion(p.question! + 1)}
                >
                  Next question
                </button>
              )}
            </div>
            <Misses score={score} />
          </>
        )
      )}
      <p className="muted small predict-legend">
        {FAULT_WORDS[1]}: R · {FAULT_WORDS[2]}: W. A page counts as write-faulted if any of its
        handle_mm_fault calls is a write.
      </p>
    </aside>
  );
}
