import { useShallow } from 'zustand/react/shallow';
import { DEVICE_GUESSES, usePredict } from '../../state/predict.ts';
import type { PredictState } from '../../state/predict.ts';
import type { Columns } from '../stage/geometry.ts';
import { gridStyle } from '../stage/geometry.ts';
import type { PageView } from '../model/pageView.ts';
import { FAULT_WORDS } from '../model/outcome.ts';
import type { FaultKind } from '../model/outcome.ts';
import { useRoving } from '../roving.ts';
import { cx } from '../hooks.ts';
import type { Score } from './score.ts';

const FAULT_GLYPH = ['—', 'R', 'W'] as const;

const select = (s: PredictState) => ({
  faults: s.faults,
  device: s.device,
  revealed: s.revealed,
  cycleFault: s.cycleFault,
  cycleDevice: s.cycleDevice,
});

/**
 * The learner's guesses as two rows of the stage, on the pages' own columns: press a cell to
 * cycle it (no fault → read → write; none → ro → rw). After the reveal each guess is marked right
 * or wrong, and a last row scores the page.
 */
export function PredictRows({
  cols,
  views,
  score,
}: {
  cols: Columns;
  views: PageView[];
  score: Score | null;
}) {
  const p = usePredict(useShallow(select));
  const faultRoving = useRoving(views.length);
  const deviceRoving = useRoving(views.length);
  const grid = gridStyle(cols);
  const shown = p.revealed && score;
  return (
    <div className="predict-rows" role="group" aria-label="Your prediction">
      <div className="row cells predict-row" style={grid}>
        <div className="row-head strong">
          your guess
          <span className="muted small">handle_mm_fault</span>
        </div>
        {views.map((v) => {
          const g = p.faults[v.page] as FaultKind;
          const s = shown ? score.pages[v.page] : null;
          return (
            <div
              key={v.page}
              data-page={v.page}
              className={cx('cell guess-cell', s && (s.fault.right ? 'right' : 'wrong'))}
            >
              <button
                type="button"
                className={cx('guess', `guess-fault-${g}`)}
                aria-label={`page ${v.page} fault guess: ${FAULT_WORDS[g]}${s ? (s.fault.right ? ', right' : `, wrong: it was a ${FAULT_WORDS[s.outcome.fault]}`) : ''}`}
                title={s?.fault.why ?? `page ${v.page}: ${FAULT_WORDS[g]} (press to change)`}
                disabled={p.revealed}
                onClick={() => p.cycleFault(v.page)}
                {...faultRoving.item(v.page - cols.start)}
              >
                {FAULT_GLYPH[g]}
              </button>
            </div>
          );
        })}
      </div>
      <div className="row cells predict-row" style={grid}>
        <div className="row-head strong">
          your guess
          <span className="muted small">device pte</span>
        </div>
        {views.map((v) => {
          const g = DEVICE_GUESSES[p.device[v.page]];
          const s = shown ? score.pages[v.page] : null;
          return (
            <div
              key={v.page}
              data-page={v.page}
              className={cx('cell guess-cell', s && (s.device.right ? 'right' : 'wrong'))}
            >
              <button
                type="button"
                className={cx('guess', `guess-device-${g}`)}
                aria-label={`page ${v.page} device guess: ${g}${s ? (s.device.right ? ', right' : `, wrong: it is ${s.outcome.device}`) : ''}`}
                title={s?.device.why ?? `page ${v.page}: device ${g} (press to change)`}
                disabled={p.revealed}
                onClick={() => p.cycleDevice(v.page)}
                {...deviceRoving.item(v.page - cols.start)}
              >
                {g}
              </button>
            </div>
          );
        })}
      </div>
      {shown && (
        <div className="row cells predict-row score-row" style={grid}>
          <div className="row-head strong">score</div>
          {views.map((v) => {
            const s = score.pages[v.page];
            const both = s.fault.right && s.device.right;
            return (
              <div
                key={v.page}
                data-page={v.page}
                className={cx('cell score-cell', both ? 'right' : 'wrong')}
              >
                <span aria-hidden="true">{both ? '✓' : '✗'}</span>
                <span className="sr-only">
                  page {v.page} {both ? 'right' : 'wrong'}
                </span>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
