import { memo } from 'react';
import type { Scenario } from '../../engine/types.ts';
import { brackets, pageAddress, vmaLabel, vmaSpans } from '../model/geometry.ts';
import { hexShort } from '../model/bits.ts';
import { cx } from '../hooks.ts';
import type { Columns } from './geometry.ts';
import { gridStyle } from './geometry.ts';

const KIND_TEXT = {
  pud: { table: 'pmd table', huge: 'huge pud', none: 'none: a hole' },
  pmd: { table: 'pte table', huge: 'huge pmd (2 MiB page)', none: 'none: a hole' },
} as const;

/** Places a span of pages [from, to) on the grid (column 1 is the row header). */
export function spanStyle(cols: Columns, from: number, to: number): React.CSSProperties {
  const a = Math.max(from, cols.start) - cols.start;
  const b = Math.min(to, cols.start + cols.count) - cols.start;
  return { gridColumn: `${a + 2} / ${b + 2}` };
}

/** The page ruler, the pud and pmd entries over their pages, and the vmas. */
export const StructureRows = memo(function StructureRows({
  scenario,
  cols,
  cpu,
  focus,
  compact = false,
  marked = null,
}: {
  scenario: Scenario;
  cols: Columns;
  cpu: Uint8Array;
  focus: number | null;
  compact?: boolean;
  /** Pages a comparison marks as different: the ruler says so to screen readers too. */
  marked?: { pages: Set<number>; label: string } | null;
}) {
  const end = cols.start + cols.count;
  const pages = [];
  for (let p = cols.start; p < end; p++) pages.push(p);
  const br = brackets(scenario, cpu, cols.start, end);
  const vmas = vmaSpans(scenario, cols.start, end);
  return (
    <>
      <div className="row ruler" style={gridStyle(cols)}>
        <div className="row-head inline">
          page <span className="muted">of {scenario.range.pages}</span>
        </div>
        {pages.map((p) => {
          const mark = marked?.pages.has(p);
          return (
            <div
              // Keyed by column, as the rows below are: a jump of the window (a scrub across a
              // large range) then updates the cells in place instead of replacing them all.
              key={p - cols.start}
              data-page={p}
              className={cx('ruler-cell', p === focus && 'focus', mark && 'marked')}
              data-tip={`page ${p}: ${hexShort(pageAddress(scenario, p))}${mark ? ` (${marked?.label})` : ''}`}
            >
              {p}
              {mark && <span className="sr-only"> ({marked?.label})</span>}
            </div>
          );
        })}
      </div>
      {(['pud', 'pmd'] as const).map((level) => (
        <div key={level} className={cx('row brackets', level)} style={gridStyle(cols)}>
          <div className="row-head inline">
            {level}
            {!compact && <span className="muted">· {level === 'pud' ? '1 GiB' : '2 MiB'} each</span>}
          </div>
          {br
            .filter((b) => b.level === level)
            .map((b) => (
              <div
                key={`${b.from}`}
                className={cx(
                  'bracket',
                  `kind-${b.kind}`,
                  b.from === 0 && 'open-left',
                  b.to === scenario.range.pages && 'open-right',
                )}
                style={spanStyle(cols, b.from, b.to)}
                data-tip={`${level} entry for ${hexShort(b.address)}: ${KIND_TEXT[level][b.kind]}`}
              >
                <span className="bracket-label">
                  {KIND_TEXT[level][b.kind]}
                  {b.to - b.from > 3 && <span className="muted"> · {hexShort(b.address)}</span>}
                </span>
              </div>
            ))}
        </div>
      ))}
      <div className="row vmas" style={gridStyle(cols)}>
        <div className="row-head inline">vma</div>
        {vmas.map((v) => (
          <div
            key={v.from}
            className={cx('vma', v.vma ? `prot-${v.vma.prot || 'none'}` : 'gap')}
            style={spanStyle(cols, v.from, v.to)}
            data-tip={v.vma ? `vma ${v.index}: ${vmaLabel(v.vma)}` : 'no vma: an unmapped gap'}
          >
            <span className="vma-label">{v.vma ? vmaLabel(v.vma) : 'no vma'}</span>
          </div>
        ))}
      </div>
    </>
  );
});
