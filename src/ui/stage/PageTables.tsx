import { memo } from 'react';
import type { TraceEvent } from '../../engine/types.ts';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { eventSpan } from '../../state/derived.ts';
import { CPU_LOOK, DEVICE_LOOK, cpuLook } from '../model/states.ts';
import type { PageView } from '../model/pageView.ts';
import { cx } from '../hooks.ts';
import type { Columns } from './geometry.ts';
import { gridStyle } from './geometry.ts';
import { usePainter } from './usePainter.ts';
import { useRovingRow } from '../roving.ts';
import type { StepChanges } from './Stage.tsx';

// Cells are keyed by their column on screen, not by page (here and in RequestRows): when the
// window jumps across a large range, React updates the same column's cell instead of removing
// one and creating another for every page that left and came in.

/** Column headers for screen readers: the visible ruler is not part of the tables. */
export const HiddenHeader = memo(function HiddenHeader({
  start,
  count,
  first,
}: {
  start: number;
  count: number;
  first: string;
}) {
  const heads = [];
  for (let col = 0; col < count; col++)
    heads.push(
      <div role="columnheader" key={col}>
        page {start + col}
      </div>,
    );
  return (
    <div role="rowgroup" className="sr-only">
      <div role="row">
        <div role="columnheader">{first}</div>
        {heads}
      </div>
    </div>
  );
});

function inSpan(ev: TraceEvent | null, page: number): boolean {
  const s = eventSpan(ev);
  return !!s && page >= s[0] && page < s[1];
}

const selectBrush = (s: Store) => s.cpuBrush;

/**
 * One CPU pte. Memoised, as every stage cell is: its props are the page's view (the same object
 * while the page draws the same, viewKeeper) and flags, so a step renders the cells it changed.
 * Clicks and keys are the row's (delegated), so no handler changes from one render to the next.
 */
const CpuCell = memo(function CpuCell({
  v,
  col,
  changed,
  faulting,
  span,
  editable,
  brush,
  tabbable,
}: {
  v: PageView;
  col: number;
  changed: boolean;
  faulting: boolean;
  span: boolean;
  editable: boolean;
  brush: string;
  tabbable: boolean;
}) {
  const look = cpuLook(v.cpu, v.vmaReadable);
  return (
    <div
      role="cell"
      className={cx(
        'cell',
        `tone-${look.tone}`,
        look.pattern && `pat-${look.pattern}`,
        changed && 'changed',
        faulting && 'faulting',
        span && 'in-span',
      )}
      data-page={v.page}
      data-tip={editable ? undefined : `page ${v.page}: ${look.long}`}
    >
      {editable ? (
        <button
          type="button"
          className="cell-button"
          data-tip={`page ${v.page}: ${look.long}. Click to paint “${brush}”.`}
          data-roving={col}
          tabIndex={tabbable ? 0 : -1}
        >
          {look.short}
        </button>
      ) : (
        look.short
      )}
    </div>
  );
});

/**
 * The CPU page table at the cursor: one pte per page. In the explorer each cell paints with the
 * CPU brush; elsewhere (a comparison, an embed) the cells are plain text.
 */
export const CpuTable = memo(function CpuTable({
  views,
  cols,
  changes,
  ev,
  editable,
  compact,
}: {
  views: PageView[];
  cols: Columns;
  changes: StepChanges;
  ev: TraceEvent | null;
  editable: boolean;
  compact: boolean;
}) {
  const painter = usePainter('cpu');
  const roving = useRovingRow(views.length);
  const brush = useStore(selectBrush);
  const faultPage = ev?.type === 'fault' ? ev.page : null;
  const faultSpan = ev?.type === 'faults' ? [ev.from, ev.to] : null;
  return (
    <div role="table" aria-label="CPU page table" className="ptable cpu-table">
      <HiddenHeader start={cols.start} count={views.length} first="level" />
      <div role="rowgroup">
        <div
          role="row"
          className="row cells"
          style={gridStyle(cols)}
          {...(editable ? { ...painter.row, ...roving.row } : {})}
        >
          <div role="rowheader" className="row-head strong">
            CPU pte
            {editable && !compact && <span className="muted small">click or drag to paint</span>}
          </div>
          {views.map((v, col) => (
            <CpuCell
              key={col}
              v={v}
              col={col}
              changed={changes.cpu.has(v.page)}
              faulting={
                faultPage === v.page || (!!faultSpan && v.page >= faultSpan[0] && v.page < faultSpan[1])
              }
              span={inSpan(ev, v.page)}
              editable={editable}
              brush={CPU_LOOK[brush].short}
              tabbable={col === roving.current}
            />
          ))}
        </div>
      </div>
    </div>
  );
});

/** One device pte (memoised as CpuCell). */
const DeviceCell = memo(function DeviceCell({
  v,
  changed,
  sweep,
  delay,
}: {
  v: PageView;
  changed: boolean;
  sweep: boolean;
  delay: number;
}) {
  const look = DEVICE_LOOK[v.device];
  return (
    <div
      role="cell"
      className={cx(
        'cell device',
        `tone-${look.tone}`,
        changed && (v.device === 'none' ? 'erased' : 'filled'),
        sweep && 'sweep',
      )}
      style={delay ? ({ '--delay': `${delay}ms` } as React.CSSProperties) : undefined}
      data-tip={`page ${v.page}: ${look.long}`}
      data-page={v.page}
    >
      {look.short}
    </div>
  );
});

/** The device page table at the cursor, as the driver programmed it. */
export const DeviceTable = memo(function DeviceTable({
  views,
  cols,
  changes,
  ev,
  compact,
}: {
  views: PageView[];
  cols: Columns;
  changes: StepChanges;
  ev: TraceEvent | null;
  compact: boolean;
}) {
  const sweeping = ev?.type === 'invalidate';
  const span = eventSpan(ev);
  return (
    <div role="table" aria-label="Device page table" className="ptable device-table">
      <HiddenHeader start={cols.start} count={views.length} first="level" />
      <div role="rowgroup">
        <div role="row" className="row cells" style={gridStyle(cols)}>
          <div role="rowheader" className="row-head strong">
            device pte
            {!compact && <span className="muted small">the GPU&apos;s page table</span>}
          </div>
          {views.map((v, col) => {
            const changed = changes.device.has(v.page);
            const sweep = sweeping && inSpan(ev, v.page);
            // Stagger the animation along the span so a fill or an erase reads as a sweep.
            const delay =
              span && (changed || sweep) ? Math.min(600, (v.page - Math.max(span[0], cols.start)) * 25) : 0;
            return <DeviceCell key={col} v={v} changed={changed} sweep={sweep} delay={delay} />;
          })}
        </div>
      </div>
    </div>
  );
});
