import { CPU_LOOK } from '../model/states.ts';
import type { CpuState } from '../../engine/types.ts';

const SHOWN: CpuState[] = [
  'none',
  'ro',
  'rw',
  'cow',
  'zero',
  'special',
  'swap',
  'migration',
  'devpriv',
  'hwpoison',
];

/** What the cell texts and colours mean, and the request letters. */
export function Legend() {
  return (
    <div className="legend" aria-label="Legend">
      {SHOWN.map((s) => (
        <span key={s} className="legend-item">
          <span className={`legend-swatch tone-${CPU_LOOK[s].tone}`}>{CPU_LOOK[s].short}</span>
          <span className="legend-text">{CPU_LOOK[s].long.split(':')[0].split(',')[0]}</span>
        </span>
      ))}
      <span className="legend-item">
        <span className="chip on">W</span>
        <span className="legend-text">bit set</span>
        <span className="chip on added">V</span>
        <span className="legend-text">set by default_flags</span>
        <span className="chip struck">V</span>
        <span className="legend-text">dropped by the mask</span>
      </span>
      <span className="legend-item">
        <span className="need-key need-r">R</span>
        <span className="need-key need-w">W</span>
        <span className="legend-text">needs a read / write fault</span>
      </span>
    </div>
  );
}
