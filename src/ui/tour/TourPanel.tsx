import { Fragment, useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import { useTour } from '../../state/tour.ts';
import type { TourState } from '../../state/tour.ts';
import { Icon } from '../chrome/Icon.tsx';
import { switchMode } from '../modes.ts';
import { openQuestion } from '../predict/predictMode.ts';
import { TOURS, tourById } from './tours.ts';
import { openStep, placeCursor } from './tourMode.ts';
import './tour.css';

/** Text with `code` in backticks, as the steps write it. */
export function Marked({ text }: { text: string }): ReactNode {
  return text
    .split('`')
    .map((part, i) => (i % 2 ? <code key={i}>{part}</code> : <Fragment key={i}>{part}</Fragment>));
}

const select = (s: TourState) => ({ step: s.step, tried: s.tried, tourId: s.tour });

/**
 * The guided tour beside the stage: the step's text and the seed's own words, where to look,
 * something to try, and next / back with the progress; each step's scenario is live on the
 * stage. The heading takes the focus when the step changes, so a screen reader reads it next.
 */
export function TourPanel() {
  const { step, tried, tourId } = useTour(useShallow(select));
  const tour = tourById(tourId);
  const TOUR = tour.steps;
  const st = TOUR[step] ?? TOUR[0];
  const n = step + 1;
  const total = TOUR.length;
  // The same section in another wording, and the first tour of every other section.
  const others = TOURS.filter(
    (t) =>
      t.id !== tourId && (t.section === tour.section || TOURS.find((u) => u.section === t.section) === t),
  );
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [step]);

  const tryIt = () => {
    if (!st.tryIt) return;
    const edit = st.tryIt.edit;
    useStore.getState().edit((s) => edit(s));
    useTour.setState({ loaded: useStore.getState().scenario, tried: true });
  };

  return (
    <aside className="side-panel tour-panel" id="tour" tabIndex={-1} aria-label="Guided tour">
      <p className="tour-kicker">
        Guided tour · <cite>{tour.section}</cite>, {tour.name}
      </p>
      <p className="tour-switch">
        {others.map((t) => (
          <button key={t.id} type="button" className="link-button" onClick={() => openStep(1, t.id)}>
            {t.section === tour.section ? `Read ${t.name} instead` : `Tour: ${t.section}`}
          </button>
        ))}
      </p>
      <div className="tour-progress">
        <progress max={total} value={n} aria-label="Tour progress" aria-valuetext={`step ${n} of ${total}`} />
        <span aria-hidden="true">
          {n} / {total}
        </span>
      </div>
      <nav aria-label="Tour steps">
        <ol className="tour-dots">
          {TOUR.map((t, i) => (
            <li key={t.id}>
              <button
                type="button"
                className="tour-dot"
                aria-label={`Step ${i + 1}: ${t.title}`}
                aria-current={i === step ? 'step' : undefined}
                title={t.title}
                onClick={() => openStep(i + 1)}
              >
                {i + 1}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <h2 ref={heading} tabIndex={-1} className="tour-title">
        <span className="tour-step-number">Step {n}.</span> {st.title}
      </h2>
      {st.quote && (
        <figure className="seed-quote">
          <blockquote>
            {st.quote.split('\n').map((l, i) => (
              <p key={i}>{l}</p>
            ))}
          </blockquote>
          <figcaption>{tour.source}</figcaption>
        </figure>
      )}
      {st.body.map((p, i) => (
        <p key={i} className="tour-text">
          <Marked text={p} />
        </p>
      ))}
      <p className="tour-look">
        <strong>Look:</strong> <Marked text={st.look} />
      </p>
      <div className="tour-actions">
        <button type="button" className="small-button" onClick={placeCursor}>
          Show me again
        </button>
        <button
          type="button"
          className="small-button"
          onClick={() => {
            useStore.getState().toStart();
            useStore.getState().play();
          }}
        >
          Play from the start
        </button>
        {st.tryIt && (
          <button type="button" className="small-button try-it" onClick={tryIt} disabled={tried}>
            Try it: {st.tryIt.label}
          </button>
        )}
      </div>
      {st.tryIt && tried && (
        <p className="tour-then" role="status">
          {st.tryIt.then}
        </p>
      )}
      {n === total && (
        <div className="tour-next-places">
          <button type="button" className="button" onClick={() => switchMode('explore')}>
            Back to the explorer
          </button>
          <button type="button" className="button" onClick={() => openQuestion(1)}>
            Predict: question 1
          </button>
          <button type="button" className="button" onClick={() => switchMode('compare')}>
            Compare two policies
          </button>
        </div>
      )}
      <nav className="tour-nav" aria-label="Tour">
        <button type="button" className="button" onClick={() => openStep(n - 1)} disabled={n === 1}>
          <Icon name="prev" /> Back
        </button>
        {n < total ? (
          <button type="button" className="button primary" onClick={() => openStep(n + 1)}>
            Next <Icon name="next" />
          </button>
        ) : (
          <button type="button" className="button primary" onClick={() => switchMode('explore')}>
            Finish
          </button>
        )}
      </nav>
    </aside>
  );
}
