import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Effect, Run, Scenario, TraceEvent } from '../../engine/types.ts';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { activeRun, currentEvent, eventSpan, stateAtCursor } from '../../state/derived.ts';
import { effectivePolicy, namedBits } from '../model/bits.ts';
import { pageViews, viewKeeper } from '../model/pageView.ts';
import type { PageView } from '../model/pageView.ts';
import { cx, useReducedMotion, useWidth } from '../hooks.ts';
import { COMPACT_BELOW, fitColumns, followStart } from './geometry.ts';
import type { Columns, Density } from './geometry.ts';
import { StructureRows } from './StructureRows.tsx';
import { CpuTable, DeviceTable } from './PageTables.tsx';
import { RequestRows } from './RequestRows.tsx';
import { WalkRow, WalkBand } from './WalkBand.tsx';
import { Overview } from './Overview.tsx';
import { Legend, presentCodes } from './Legend.tsx';
import { LockLane, showsLocks } from './LockLane.tsx';
import { usePresent } from '../present/usePresent.ts';
import { parsePageSet } from '../../state/pageSet.ts';
import { setDefaultFlags, setMask, toggleBit } from '../../state/edits.ts';
import { refreshTip, showTip } from '../tips.ts';

const selectStage = (s: Store) => ({
  scenario: s.scenario,
  run: activeRun(s.scenario, s.run, s.runScenario),
  cursor: s.cursor,
  windowStart: s.windowStart,
  follow: s.follow,
  scrollTo: s.scrollTo,
  setHoverPage: s.setHoverPage,
  selection: s.selection,
  playing: s.playing,
});

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

export interface StageViewProps {
  scenario: Scenario;
  /** The run of `scenario`, or null while it is computed (the stage then shows the scenario). */
  run: Run | null;
  cursor: number;
  /** The first page shown when not following the walk (ranges wider than the stage). */
  windowStart: number;
  follow: boolean;
  onScroll: (page: number, opts?: { follow?: boolean }) => void;
  /** The region's accessible name. */
  label: string;
  /** The region's id (a skip link's target); one per page. */
  id?: string;
  /** Cells paint the scenario (the explorer's stage); elsewhere the stage is a picture. */
  editable?: boolean;
  onHoverPage?: (page: number | null) => void;
  /** Forces a density; by default it follows the stage's width and presentation mode. */
  density?: Density;
  /** Pages to mark (a comparison's differences), with what the mark means for screen readers. */
  marked?: { pages: Set<number>; label: string } | null;
  /** Rows of the caller's, under the device row, on the same columns (a prediction). */
  extraRows?: (cols: Columns, views: PageView[]) => ReactNode;
  legend?: boolean;
  /** Makes the stage's register chips toggles that edit the scenario. */
  onToggleBit?: (register: 'mask' | 'defaults', bit: number) => void;
  /** Told the pages on screen whenever they change (the explorer keeps them in the store). */
  onVisible?: (start: number, count: number) => void;
  /** Pages shown, first and last: the stage keeps to them, whatever the walk does (an embed's pages=a-b). */
  pin?: readonly [number, number] | null;
  /** Show the lock lane when locks matter (CPU-side events race the driver, a fault drops mmap_lock). */
  locks?: boolean;
  /** The lock lane's accessible name: unique on the page (a comparison has two stages). */
  locksLabel?: string;
  /**
   * The player is playing: the cells a step animates are put on layers of their own from the
   * step's frame (global.css, data-playing), not once their animation has started.
   */
  playing?: boolean;
}

/** The lane before the run arrives: nobody holds a lock yet. */
const NO_TRACE: readonly TraceEvent[] = [];

/** A pinned window, kept inside the range. */
function pinColumns(pin: readonly [number, number], pages: number): { start: number; count: number } {
  const start = Math.max(0, Math.min(pages - 1, pin[0]));
  const last = Math.max(start, Math.min(pages - 1, pin[1]));
  return { start, count: last - start + 1 };
}

/**
 * The stage: one column per page, every row aligned on it, top to bottom the way a request
 * travels: the CPU side (pud, pmd, vma, pte), the request formula, the output entry, the device.
 * A pure view of (scenario, run, cursor): the explorer, a comparison's two sides and an embed all
 * draw it from their own state.
 */
export function StageView({
  scenario,
  run,
  cursor,
  windowStart,
  follow,
  onScroll,
  label,
  id,
  editable = false,
  onHoverPage,
  density: forced,
  marked = null,
  extraRows,
  legend = true,
  onVisible,
  onToggleBit,
  pin = null,
  locks = true,
  locksLabel = 'Locks',
  playing = false,
}: StageViewProps) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const reduced = useReducedMotion();
  const present = usePresent();
  const pages = scenario.range.pages;
  const pinned = pin ? pinColumns(pin, pages) : null;
  const density: Density = forced ?? chooseDensity(width, pinned ? pinned.count : pages, present);
  // Until the stage's width is measured (in a layout effect, before the first paint) it draws no
  // columns: drawing them for a guessed width would lay out the whole stage once more, for nothing.
  const measured = width > 0;
  const fitted = pinned
    ? fitColumns(width || 1000, pinned.count, density, { all: true })
    : fitColumns(width || 1000, pages, density);
  const fit = measured ? fitted : { ...fitted, count: 0 };
  const ev = currentEvent(run, cursor);
  const focus = useMemo(() => lastFocus(run, cursor), [run, cursor]);
  const start = pinned
    ? pinned.start
    : follow
      ? followStart(focus, fit.count, pages)
      : Math.min(windowStart, Math.max(0, pages - fit.count));
  // One object while the geometry holds: the memoised rows take it as a prop.
  const cols: Columns = useMemo(
    () => ({ start, count: fit.count, width: fit.width, head: fit.head }),
    [start, fit.count, fit.width, fit.head],
  );
  useEffect(() => {
    if (measured) onVisible?.(start, Math.min(fit.count, pages));
  }, [measured, onVisible, start, fit.count, pages]);
  const state = stateAtCursor(scenario, run, cursor);
  // Each page's view is the same object while the page draws the same (the cells are memoised).
  const [keep] = useState(viewKeeper);
  const views = useMemo(
    () => keep(pageViews(scenario, run, cursor, state, cols.start, cols.start + cols.count)),
    [keep, scenario, run, cursor, state, cols.start, cols.count],
  );
  const changes = useMemo(
    () => changesOf(run && cursor > 0 ? run.effects[cursor - 1] : undefined),
    [run, cursor],
  );
  // The formula panel explains the page under the pointer or the keyboard focus.
  const pointAt = (target: EventTarget) => {
    if (!onHoverPage) return;
    const el = target instanceof Element ? target.closest<HTMLElement>('[data-page]') : null;
    onHoverPage(el ? Number(el.dataset.page) : null);
  };
  const legendCodes = useMemo(() => presentCodes(scenario.cpu, state.cpu), [scenario, state]);
  const bits = useMemo(() => namedBits(scenario).filter((b) => b.role === 'request'), [scenario]);
  // The marks the rows draw beyond the states, so the legend explains each one on screen.
  const marks = useMemo(() => {
    const named = bits.reduce((m, b) => m | (1n << BigInt(b.bit)), 0n);
    const policy = effectivePolicy(scenario);
    const other =
      (policy.mask & ~named) !== 0n ||
      (policy.defaults & ~named) !== 0n ||
      views.some((v) => (v.input & ~named) !== 0n || (v.request & ~named) !== 0n);
    return { forced: policy.forced, earlier: views.some((v) => v.inputFromEarlier), other };
  }, [bits, scenario, views]);
  // A protnone pte on screen in a PROT_NONE vma is said as such, not as a NUMA hint.
  const unreadable = useMemo(() => views.some((v) => !v.vmaReadable), [views]);
  const compact = density === 'compact';
  // A jump of the cursor (a scrub, Home, End) draws its moment without the step's motion: the
  // flash of the cells it changed and the walk's slide are about one step, and replaying them
  // at every frame of a drag costs a frame of their own each time. Set before the frame's style
  // (so no animation starts), and kept until the cursor moves again: a render at the same cursor
  // must not start the motion it skipped.
  const section = useRef<HTMLElement>(null);
  const lastCursor = useRef(cursor);
  useLayoutEffect(() => {
    const from = lastCursor.current;
    if (from === cursor) return;
    lastCursor.current = cursor;
    section.current?.toggleAttribute('data-jump', Math.abs(cursor - from) > 1);
  }, [cursor]);
  useLayoutEffect(() => {
    if (run && measured) markFirstRun();
  }, [run, measured]);
  // The cell under the pointer keeps its tooltip current as the cursor moves (see tips.ts).
  useLayoutEffect(refreshTip);

  return (
    <section
      ref={section}
      className={cx('stage', `density-${density}`)}
      id={id}
      tabIndex={id ? -1 : undefined}
      aria-label={label}
      data-reduced-motion={reduced || undefined}
      data-playing={playing || undefined}
    >
      {measured && locks && showsLocks(scenario, run?.trace ?? null) && (
        <LockLane trace={run?.trace ?? NO_TRACE} cursor={cursor} why={!present} label={locksLabel} />
      )}
      {/* The same element whether measured or not: its size is observed. */}
      <div className="stage-scroll" ref={ref}>
        {measured && (
          <div
            className="stage-grid"
            style={{ width: cols.head + cols.count * cols.width }}
            onPointerOver={(e) => {
              showTip(e.target);
              pointAt(e.target);
            }}
            onPointerLeave={() => onHoverPage?.(null)}
            onFocus={(e) => {
              showTip(e.target);
              pointAt(e.target);
            }}
            onBlur={() => onHoverPage?.(null)}
          >
            {marked && <MarkedColumns cols={cols} pages={marked.pages} />}
            <WalkRow cols={cols} run={run} cursor={cursor} ev={ev} />
            <StructureRows
              scenario={scenario}
              cols={cols}
              cpu={state.cpu}
              focus={ev ? focus : null}
              compact={compact}
              marked={marked}
            />
            <CpuTable
              views={views}
              cols={cols}
              changes={changes}
              ev={ev}
              editable={editable}
              compact={compact}
            />
            <RequestRows
              scenario={scenario}
              views={views}
              cols={cols}
              bits={bits}
              ev={ev}
              editable={editable}
              compact={compact}
              onToggleBit={onToggleBit}
            />
            <DeviceTable views={views} cols={cols} changes={changes} ev={ev} compact={compact} />
            {extraRows?.(cols, views)}
            <WalkBand cols={cols} ev={ev} />
          </div>
        )}
      </div>
      {measured && pages > cols.count && !pinned && (
        <Overview
          scenario={scenario}
          state={state}
          cols={cols}
          focus={focus}
          follow={follow}
          onScroll={onScroll}
          width={width}
        />
      )}
      {measured && legend && <Legend codes={legendCodes} marks={marks} unreadable={unreadable} />}
    </section>
  );
}

let firstRunMarked = false;
/**
 * `hmm:first-run` on the performance timeline when a run is first on a stage (the DOM is then
 * committed; the next paint shows it): the browser benchmark measures it from first paint.
 */
function markFirstRun(): void {
  if (firstRunMarked) return;
  firstRunMarked = true;
  performance.mark('hmm:first-run');
}

/**
 * Large type when presenting, compact in a narrow box. A presenting stage that cannot show every
 * page large (a side panel beside it: the tour, predict) takes the largest size that shows them
 * all, so the class sees the whole question without scrolling.
 */
function chooseDensity(width: number, pages: number, present: boolean): Density {
  if (!width) return present ? 'large' : 'normal';
  if (!present) return width < COMPACT_BELOW ? 'compact' : 'normal';
  const ladder: Density[] = ['large', 'normal', 'compact'];
  const fits = ladder.find((d) => fitColumns(width, pages, d).count >= pages);
  return fits ?? (width < COMPACT_BELOW ? 'compact' : 'large');
}

/** A tint down each run of marked columns, behind every row (what differs in a comparison). */
function MarkedColumns({ cols, pages }: { cols: Columns; pages: Set<number> }) {
  const key = useId();
  const out: ReactNode[] = [];
  const end = cols.start + cols.count;
  for (let p = cols.start; p < end; p++) {
    if (!pages.has(p)) continue;
    let q = p;
    while (q + 1 < end && pages.has(q + 1)) q++;
    out.push(
      <div
        key={`${key}-${p}`}
        className="marked-column"
        style={{ left: cols.head + (p - cols.start) * cols.width, width: (q - p + 1) * cols.width }}
        aria-hidden="true"
      />,
    );
    p = q;
  }
  return <>{out}</>;
}

/**
 * The pages on screen, kept in the store once this commit's effects have all run. The stage's
 * effect runs before those of the views after it (the explain panels, the narration), which is
 * where each of them notes the store state it rendered: a store change at that moment found
 * every one of them out of date, and rendered them all a second time on each move of a scrub.
 */
function keepVisible(start: number, count: number): void {
  queueMicrotask(() => useStore.getState().setVisible(start, count));
}

/** Flips one bit of a range register from the stage's chips: an edit like any other. */
function toggleRegisterBit(register: 'mask' | 'defaults', bit: number): void {
  useStore
    .getState()
    .edit((s) =>
      register === 'mask'
        ? setMask(s, toggleBit(s.pfnFlagsMask, bit))
        : setDefaultFlags(s, toggleBit(s.defaultFlags, bit)),
    );
}

/**
 * The stage over the store's scenario, run and cursor, as the explorer, predict and an embed show
 * it: `editable` lets clicks and drags paint the scenario (the explorer), `hover` lets the pointer
 * choose the page the formula panel explains, `extraRows` adds rows under the stage (predict).
 */
export function Stage({
  editable = false,
  hover = true,
  extraRows,
  legend,
  pin,
}: Pick<StageViewProps, 'editable' | 'extraRows' | 'legend' | 'pin'> & { hover?: boolean }) {
  const s = useStore(useShallow(selectStage));
  const pages = s.scenario.range.pages;
  // The pages selected for a range edit, tinted like a comparison's differences.
  const marked = useMemo(() => {
    if (!editable || !s.selection.trim()) return null;
    const r = parsePageSet(s.selection, pages);
    if (!r.ok) return null;
    const set = new Set<number>();
    for (const [a, b] of r.runs) for (let p = a; p <= b; p++) set.add(p);
    return { pages: set, label: 'selected' };
  }, [editable, s.selection, pages]);
  return (
    <StageView
      scenario={s.scenario}
      run={s.run}
      cursor={s.cursor}
      windowStart={s.windowStart}
      follow={s.follow}
      onScroll={s.scrollTo}
      onHoverPage={hover ? s.setHoverPage : undefined}
      label="Stage: the range, page by page"
      id="stage"
      editable={editable}
      extraRows={extraRows}
      legend={legend}
      marked={marked}
      onVisible={keepVisible}
      onToggleBit={toggleRegisterBit}
      pin={pin}
      playing={s.playing}
    />
  );
}
