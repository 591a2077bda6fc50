import { useId } from 'react';
import type { Run, TraceEvent } from '../../engine/types.ts';
import { eventSpan } from '../../state/derived.ts';
import { cx } from '../hooks.ts';
import type { Columns } from './geometry.ts';
import { gridStyle } from './geometry.ts';

/** A short label of what the event does, shown on the walk cursor. */
export function eventLabel(e: TraceEvent): string {
  switch (e.type) {
    case 'driver':
      return e.fn === 'retry' ? 'driver: retry' : e.fn === 'give_up' ? 'driver: give up' : e.fn;
    case 'call':
      return `${e.fn}()`;
    case 'return':
      return `return ${e.errno ? '-' + e.errno : e.ret}`;
    case 'walk':
      return e.restart > 0 ? `↩ restart at page ${e.from}` : 'walk_page_range';
    case 'vma':
      return e.ok ? `${e.fn}: ok` : `${e.fn}: ${e.why}`;
    case 'hole':
      return `${e.fn} (${e.level})`;
    case 'pmd':
      return e.fn;
    case 'pte':
      return 'hmm_vma_handle_pte';
    case 'fault':
      return `handle_mm_fault(${e.write ? 'WRITE' : 'READ'}) → ${e.after}`;
    case 'faults':
      return `${e.count} × handle_mm_fault(${e.write ? 'WRITE' : 'READ'})`;
    case 'record':
      return 'hmm_record_fault: pending';
    case 'unwind':
      return 'walk unwinds';
    case 'dofault':
      return `hmm_do_fault(${e.write ? 'WRITE' : 'READ'})`;
    case 'fill':
      return e.fn;
    case 'invalidate':
      return e.ignored ? 'invalidate (ignored)' : 'mmu notifier: invalidate';
    case 'concurrent':
      // Short: the chip sits over the op's pages, and the lock lane says what it waits for.
      return e.phase === 'waits' ? `CPU: ${e.fn} waits` : `CPU: ${e.fn}`;
    case 'lock':
      return e.fn === 'fault_dropped_lock' ? 'the fault dropped mmap_lock' : e.fn;
    case 'program':
      return 'driver programs the device';
  }
}

export function eventKind(e: TraceEvent | null): string {
  if (!e) return 'none';
  if (e.type === 'walk' && e.restart > 0) return 'restart';
  if (e.type === 'faults') return 'fault';
  return e.type;
}

function xOf(cols: Columns, page: number): number {
  return (Math.max(cols.start, Math.min(cols.start + cols.count, page)) - cols.start) * cols.width;
}

/** The page the walk was on just before event `i` (where a restart jumps back from). */
function previousFocus(run: Run, i: number): number | null {
  for (let k = i - 1; k >= 0; k--) {
    const e = run.trace[k];
    if (e.type === 'fault' || e.type === 'pte' || e.type === 'hole' || e.type === 'pmd') {
      const s = eventSpan(e);
      if (s) return e.type === 'fault' ? s[0] : s[0];
    }
  }
  return null;
}

/** The top row: the walk cursor's label, and the arc of a restart jumping back to `last`. */
export function WalkRow({
  cols,
  run,
  cursor,
  ev,
}: {
  cols: Columns;
  run: Run | null;
  cursor: number;
  ev: TraceEvent | null;
}) {
  // Two stages on one page (a comparison) must not share the arrowhead's id.
  const arrow = `arrow${useId().replace(/:/g, '')}`;
  const span = eventSpan(ev);
  const inView = span && span[1] > cols.start && span[0] < cols.start + cols.count;
  const left = span && inView ? xOf(cols, span[0]) : 0;
  const restart = ev?.type === 'walk' && ev.restart > 0 && run ? previousFocus(run, cursor - 1) : null;
  const total = cols.count * cols.width;
  // A restart's label sits over the middle of its arc, clear of the arrowhead at `last`.
  const chipX =
    restart !== null && ev?.type === 'walk'
      ? Math.max(0, (xOf(cols, restart) + xOf(cols, ev.from)) / 2 - 40)
      : left;
  return (
    <div className="row walk-row" style={gridStyle(cols)}>
      <div className="row-head">walk</div>
      <div className="walk-lane" style={{ gridColumn: `2 / ${cols.count + 2}` }}>
        {restart !== null && ev?.type === 'walk' && (
          // Its own key, apart from the chip's: two siblings with one key left React unable to
          // tell them apart, and the arc stayed on screen after the restart (until a reload).
          <svg
            key={`arc-${cursor}`}
            className="restart-arc"
            width={total}
            height="34"
            role="img"
            aria-label={`The walk jumps back from page ${restart} to page ${ev.from}`}
          >
            <defs>
              <marker
                id={arrow}
                viewBox="0 0 8 8"
                refX="6"
                refY="4"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
              >
                <path d="M0,0 L8,4 L0,8 z" className="arrow-head" />
              </marker>
            </defs>
            <path
              d={`M ${xOf(cols, restart) + cols.width / 2} 32 C ${xOf(cols, restart) + cols.width / 2} 4, ${xOf(cols, ev.from) + cols.width / 2} 4, ${xOf(cols, ev.from) + cols.width / 2} 30`}
              markerEnd={`url(#${arrow})`}
            />
          </svg>
        )}
        {ev && (
          <span
            key={`chip-${cursor}`}
            className={cx('walk-chip', `kind-${eventKind(ev)}`, !inView && 'unplaced')}
            style={{ transform: `translateX(${Math.min(chipX, Math.max(0, total - 220))}px)` }}
          >
            {eventLabel(ev)}
          </span>
        )}
      </div>
    </div>
  );
}

/** The cursor: a band over the pages the current event is about, across every row. */
export function WalkBand({ cols, ev }: { cols: Columns; ev: TraceEvent | null }) {
  const span = eventSpan(ev);
  if (!ev || !span) return null;
  const a = Math.max(span[0], cols.start);
  const b = Math.min(span[1], cols.start + cols.count);
  if (b <= a) return null;
  return (
    <div
      className={cx(
        'walk-band',
        `kind-${eventKind(ev)}`,
        span[0] < cols.start && 'clip-left',
        span[1] > cols.start + cols.count && 'clip-right',
      )}
      // Moved with a transform, which the compositor animates without a layout per frame.
      style={{
        transform: `translateX(${cols.head + (a - cols.start) * cols.width}px)`,
        width: (b - a) * cols.width,
      }}
      aria-hidden="true"
    />
  );
}
