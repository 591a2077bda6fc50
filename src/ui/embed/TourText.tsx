import { useTour } from '../../state/tour.ts';
import { Marked } from '../tour/TourPanel.tsx';
import { tourById } from '../tour/tours.ts';

/** The tour step's text above its stage. */
export function TourText() {
  const step = useTour((t) => t.step);
  const tourId = useTour((t) => t.tour);
  const st = tourById(tourId).steps[step];
  if (!st) return null;
  return (
    <section className="embed-tour" aria-labelledby="embed-tour-title">
      <h2 id="embed-tour-title">
        Step {step + 1}. {st.title}
      </h2>
      {st.body.map((p, i) => (
        <p key={i}>
          <Marked text={p} />
        </p>
      ))}
      <p className="embed-look">
        <strong>Look:</strong> <Marked text={st.look} />
      </p>
    </section>
  );
}
