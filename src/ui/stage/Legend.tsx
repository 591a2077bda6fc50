import { memo } from 'react';
import { CPU_STATES } from '../../engine/types.ts';
import { CPU_STATE_ORDER, cpuLook } from '../model/states.ts';

/**
 * What the cell texts and colours mean: only the CPU states on screen (the scenario's, and the
 * ones the run has made so far), so the legend stays one line for most scenarios.
 */
export const Legend = memo(function Legend({
  codes,
  marks = { forced: false, earlier: false, other: false },
  unreadable = false,
}: {
  codes: number[];
  /** Some page on screen lies in a vma without VM_READ (its protnone pte is no NUMA hint). */
  unreadable?: boolean;
  /** Marks on screen beyond the states: `*` (hmm_vma_fault's registers), a reused input, other bits. */
  marks?: { forced: boolean; earlier: boolean; other: boolean };
}) {
  return (
    <div className="legend" role="note" aria-label="Legend">
      {codes.map((c) => {
        const look = cpuLook(CPU_STATES[c], !unreadable);
        return (
          <span key={c} className="legend-item">
            <span className={`legend-swatch tone-${look.tone}`}>{look.short}</span>
            <span className="legend-text">{look.brief}</span>
          </span>
        );
      })}
      <span className="legend-sep" aria-hidden="true" />
      <span className="legend-item">
        <span className="chip on">W</span>
        <span className="legend-text">bit set</span>
      </span>
      <span className="legend-item">
        <span className="chip on added">V</span>
        <span className="legend-text">from default_flags</span>
      </span>
      <span className="legend-item">
        <span className="chip struck">V</span>
        <span className="legend-text">masked off</span>
      </span>
      <span className="legend-item">
        <span className="need-key need-r">R</span>
        <span className="need-key need-w">W</span>
        <span className="legend-text">needs a read / write fault</span>
      </span>
      {marks.other && (
        <span className="legend-item">
          <span className="chip more">+</span>
          <span className="legend-text">other bits set</span>
        </span>
      )}
      {marks.earlier && (
        <span className="legend-item">
          <span className="legend-earlier">V</span>
          <span className="legend-text">input left by an earlier attempt, read again</span>
        </span>
      )}
      {marks.forced && (
        <span className="legend-item">
          <span className="forced">*</span>
          <span className="legend-text">register set by hmm_vma_fault()</span>
        </span>
      )}
    </div>
  );
});

/** The CPU state codes present in any of the arrays, in the palette's order (CPU_STATE_ORDER). */
export function presentCodes(...arrays: Uint8Array[]): number[] {
  const seen = new Uint8Array(CPU_STATES.length);
  for (const a of arrays) for (let i = 0; i < a.length; i++) seen[a[i]] = 1;
  return ORDER_CODES.filter((c) => seen[c]);
}

const ORDER_CODES = CPU_STATE_ORDER.map((s) => CPU_STATES.indexOf(s));
