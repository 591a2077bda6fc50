import { useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Effect, Run, TraceEvent } from '../../engine/types.ts';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { activeRun, currentEvent, eventSpan, stateAtCursor } from '../../state/derived.ts';
import { namedBits } from '../model/bits.ts';
import { pageViews } from '../model/pageView.ts';
import { useReducedMotion, useWidth } from '../hooks.ts';
import { fitColumns, followStart, HEAD_WIDTH } from './geometry.ts';
import type { Columns } from './geometry.ts';
import { StructureRows } from './StructureRows.tsx';
import { CpuTable, DeviceTable } from './PageTables.tsx';
import { RequestRows } from './RequestRows.tsx';
import { WalkRow, WalkBand } from './WalkBand.tsx';
import { Overview } from './Overview.tsx';
import { Legend, presentCodes } from './Legend.tsx';

const selectStage = (s: Store) => ({
  scenario: s.scenario,
  run: activeRun(s.scenario, s.run, s.runScenario),
  cursor: s.cursor,
  windowStart: s.windowStart,
  follow: s.follow,
});

const selectSetHover = (s: Store) => s.setHoverPage;

/** What changed at the cursor's step, so the rows can animate exactly those cells. */
export interface StepChanges {
  cpu: Set<number>;
  device: Set<number>;
  pfns: Set<number>;
}

function changesOf(effects: Effect[] | undefined): StepChanges {
  const c: StepChanges = { cpu: new Set(), device: new Set(), pfns: new Set() };
  for (const e of effects ?? []) {
    if (e.kind === 'cpu') c.cpu.add(e.page);
    else if (e.kind === 'pfn') c.pfns.add(e.page);
    else if (e.kind === 'pfnFill') for (let p = e.from; p < e.to; p++) c.pfns.add(p);
    else if (e.kind === 'device') for (let p = e.from; p < e.to; p++) c.device.add(p);
    else if (e.kind === 'deviceSet') for (let k = 0; k < e.states.length; k++) c.device.add(e.from + k);
  }
  return c;
}

/** The page the walk is on: the view follows it. */
function focusOf(ev: TraceEvent | null): number | null {
  const span = eventSpan(ev);
  if (!span || ev?.type === 'program' || ev?.type === 'return') return null;
  return span[0];
}

function lastFocus(run: Run | null, cursor: number): number {
  if (!run) return 0;
  for (let i = Math.min(cursor, run.trace.length) - 1; i >= 0; i--) {
    const f = focusOf(run.trace[i]);
    if (f !== null) return f;
  }
  return 0;
}

/**
 * The stage: one column per page, every row aligned on it, top to bottom the way a request
 * travels: the CPU side (pud, pmd, vma, pte), the request formula, the output entry, the device.
 */
export function Stage() {
  const { scenario, run, cursor, windowStart, follow } = useStore(useShallow(selectStage));
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const reduced = useReducedMotion();
  const pages = scenario.range.pages;
  const fit = fitColumns(width || 1000, pages);
  const ev = currentEvent(run, cursor);
  const focus = useMemo(() => lastFocus(run, cursor), [run, cursor]);
  const start = follow
    ? followStart(focus, fit.count, pages)
    : Math.min(windowStart, Math.max(0, pages - fit.count));
  const cols: Columns = { start, count: fit.count, width: fit.width, head: HEAD_WIDTH };
  const state = stateAtCursor(scenario, run, cursor);
  const views = useMemo(
    () => pageViews(scenario, run, cursor, state, cols.start, cols.start + cols.count),
    [scenario, run, cursor, state, cols.start, cols.count],
  );
  const changes = useMemo(
    () => changesOf(run && cursor > 0 ? run.effects[cursor - 1] : undefined),
    [run, cursor],
  );
  // The formula panel explains the page under the pointer or the keyboard focus.
  const setHoverPage = useStore(selectSetHover);
  const pointAt = (target: EventTarget) => {
    const el = target instanceof Element ? target.closest<HTMLElement>('[data-page]') : null;
    setHoverPage(el ? Number(el.dataset.page) : null);
  };
  const legendCodes = useMemo(() => presentCodes(scenario.cpu, state.cpu), [scenario, state]);
  const bits = useMemo(() => namedBits(scenario).filter((b) => b.role === 'request'), [scenario]);

  return (
    <section
      className="stage"
      id="stage"
      tabIndex={-1}
      aria-label="Stage: the range, page by page"
      data-reduced-motion={reduced || undefined}
    >
      <div className="stage-scroll" ref={ref}>
        <div
          className="stage-grid"
          style={{ width: cols.head + cols.count * cols.width }}
          onPointerOver={(e) => pointAt(e.target)}
          onPointerLeave={() => setHoverPage(null)}
          onFocus={(e) => pointAt(e.target)}
          onBlur={() => setHoverPage(null)}
        >
          <WalkRow cols={cols} run={run} cursor={cursor} ev={ev} />
          <StructureRows scenario={scenario} cols={cols} cpu={state.cpu} focus={ev ? focus : null} />
          <CpuTable views={views} cols={cols} changes={changes} ev={ev} />
          <RequestRows scenario={scenario} views={views} cols={cols} bits={bits} ev={ev} />
          <DeviceTable scenario={scenario} views={views} cols={cols} changes={changes} ev={ev} />
          <WalkBand cols={cols} ev={ev} />
        </div>
      </div>
      {pages > cols.count && (
        <Overview scenario={scenario} state={state} cols={cols} focus={focus} follow={follow} />
      )}
      <Legend codes={legendCodes} />
    </section>
  );
}
