import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { v5_2 } from '../../engine/kernels/v5_2.ts';
import { v6_1 } from '../../engine/kernels/v6_1.ts';
import { eventText } from '../../engine/trace/text.ts';
import { bothReady, compareLength, useCompare } from '../../state/compare.ts';
import type { CompareState, Side, SideId } from '../../state/compare.ts';
import { useStore } from '../../state/store.ts';
import { useMode } from '../../state/mode.ts';
import { countersAt, currentEvent, runIndex } from '../../state/derived.ts';
import { StageView } from '../stage/Stage.tsx';
import { PlayerBar } from '../player/PlayerBar.tsx';
import type { PlayerActions } from '../player/PlayerBar.tsx';
import { useClock, usePlayerKeys } from '../player/usePlayback.ts';
import { kernelLabel } from '../model/bits.ts';
import { FAULT_WORDS, pageOutcomes, totals } from '../model/outcome.ts';
import type { PageOutcome } from '../model/outcome.ts';
import { count } from '../format.ts';
import { cx } from '../hooks.ts';
import { startFrom } from './compareMode.ts';
import { PAIRS, kernelCaption, onKernel } from './pairs.ts';
import { policySummary } from './policy.ts';
import { SidePolicy } from './SidePolicy.tsx';
import { CostPanel } from './CostPanel.tsx';
import './compare.css';

const LETTER: Record<SideId, string> = { a: 'A', b: 'B' };

export const compareActions: PlayerActions = {
  setCursor: (c) => useCompare.getState().setCursor(c),
  step: (d) => useCompare.getState().step(d),
  togglePlay: () => useCompare.getState().togglePlay(),
  toStart: () => useCompare.getState().toStart(),
  toEnd: () => useCompare.getState().toEnd(),
  setSpeed: (x) => useCompare.getState().setSpeed(x),
};

/** The shared player's clock and keys, as a leaf. */
export function CompareDrivers() {
  const { playing, speed, cursor } = useCompare(
    useShallow((s: CompareState) => ({ playing: s.playing, speed: s.speed, cursor: s.cursor })),
  );
  const present = useMode((m) => m.present);
  useClock(playing, speed, cursor, () => {
    const st = useCompare.getState();
    const n = compareLength(st);
    if (st.cursor >= n) return useCompare.setState({ playing: false });
    useCompare.setState({ cursor: st.cursor + 1, playing: st.cursor + 1 < n });
  });
  usePlayerKeys(compareActions, { pageKeys: present });
  return null;
}

/** One side: its policy, its stage at the shared cursor, and its own step's sentence. */
export function CompareSide({
  id,
  marked,
  readOnly = false,
}: {
  id: SideId;
  marked: Set<number>;
  /** An embed shows the policies, not menus to change them. */
  readOnly?: boolean;
}) {
  const { side, cursor, windowStart, follow, scrollTo } = useCompare(
    useShallow((s: CompareState) => ({
      side: s[id],
      cursor: s.cursor,
      windowStart: s.windowStart,
      follow: s.follow,
      scrollTo: s.scrollTo,
    })),
  );
  if (!side) return null;
  const run = side.run;
  const c = run ? Math.min(cursor, run.trace.length) : 0;
  const ev = currentEvent(run, c);
  const done = run && cursor >= run.trace.length;
  const say = side.problems.length
    ? `Cannot run: ${side.problems[0]}`
    : side.runState === 'error'
      ? (side.runError ?? 'The engine could not run this side.')
      : !run
        ? 'Running…'
        : ev
          ? `${eventText(ev)}${done && cursor > c ? ' (finished)' : ''}`
          : 'Before the run.';
  return (
    <section
      className={cx('compare-side', `side-${id}`)}
      id={`compare-${id}`}
      tabIndex={-1}
      aria-labelledby={`compare-${id}-title`}
    >
      <header className="compare-side-head">
        <span className="side-badge" aria-hidden="true">
          {LETTER[id]}
        </span>
        <h3 id={`compare-${id}-title`}>
          <span className="sr-only">{LETTER[id]}: </span>
          {policySummary(side.scenario)}
        </h3>
        <span className="tag kernel">{kernelLabel(side.scenario.kernel)}</span>
      </header>
      {!readOnly && <SidePolicy id={id} letter={LETTER[id]} side={side} />}
      <StageView
        scenario={side.scenario}
        run={run}
        cursor={c}
        windowStart={windowStart}
        follow={follow}
        onScroll={scrollTo}
        label={`Stage ${LETTER[id]}`}
        locksLabel={`Locks ${LETTER[id]}`}
        marked={{ pages: marked, label: 'differs between A and B' }}
        legend={false}
      />
      <p className={cx('side-narration', done && 'done')} aria-label={`Narration ${LETTER[id]}`}>
        <span className="narration-step" aria-hidden="true">
          {c}
        </span>
        {say}
      </p>
    </section>
  );
}

/** The counters side by side: at the cursor, out of the run's total; a row that differs is marked. */
function Counters() {
  const { a, b, cursor } = useCompare(
    useShallow((s: CompareState) => ({ a: s.a, b: s.b, cursor: s.cursor })),
  );
  if (!a?.run || !b?.run) return null;
  const rows = [a, b].map((sd) => {
    const run = sd.run!;
    const at = countersAt(run, Math.min(cursor, run.trace.length));
    const t = totals(run);
    const ret =
      at.status && at.status !== 'returned'
        ? at.status
        : at.ret === null
          ? '—'
          : at.errno
            ? `-${at.errno}`
            : String(at.ret);
    return { at, t, ret };
  });
  const line = (
    label: string,
    get: (r: (typeof rows)[number]) => [string, string | null],
    differs: boolean,
  ) => (
    <tr className={differs ? 'differs' : undefined}>
      <th scope="row">
        {label}
        {differs && (
          <>
            <span className="differs-mark" aria-hidden="true">
              {' '}
              ≠
            </span>
            <span className="sr-only"> (differs)</span>
          </>
        )}
      </th>
      {rows.map((r, i) => {
        const [v, of] = get(r);
        return (
          <td key={i}>
            <span className="count-value">{v}</span>
            {of !== null && <span className="count-of"> of {of}</span>}
          </td>
        );
      })}
    </tr>
  );
  const [x, y] = rows;
  return (
    <table className="compare-counters">
      <caption>Counters at step {cursor}</caption>
      <thead>
        <tr>
          <td />
          <th scope="col">A</th>
          <th scope="col">B</th>
        </tr>
      </thead>
      <tbody>
        {line(
          'handle_mm_fault calls',
          (r) => [count(r.at.faults), count(r.t.faults)],
          x.t.faults !== y.t.faults,
        )}
        {line(
          'read / write faults (whole run)',
          (r) => [`${r.t.reads} / ${r.t.writes}`, null],
          x.t.reads !== y.t.reads || x.t.writes !== y.t.writes,
        )}
        {line(
          'walk restarts',
          (r) => [count(r.at.restarts), count(r.t.restarts)],
          x.t.restarts !== y.t.restarts,
        )}
        {line(
          'driver attempts',
          (r) => [count(r.at.attempts), count(r.t.attempts)],
          x.t.attempts !== y.t.attempts,
        )}
        {line('failed faults (whole run)', (r) => [count(r.t.failed), null], x.t.failed !== y.t.failed)}
        {line('returned', (r) => [r.ret, null], x.t.returned !== y.t.returned)}
      </tbody>
    </table>
  );
}

function describe(o: PageOutcome): string {
  return `${FAULT_WORDS[o.fault]}${o.faults > 1 ? ` (${o.faults} calls)` : ''}, output ${o.out}, device ${o.device}`;
}

const MAX_LISTED = 40;

/** Page by page, what the two runs end with differently. */
function Differences({ diff }: { diff: { page: number; a: PageOutcome; b: PageOutcome }[] | null }) {
  if (!diff) return null;
  return (
    <section className="compare-diff panel" aria-labelledby="compare-diff-title">
      <h3 id="compare-diff-title">
        Differences by page <span className="muted">({diff.length ? `${diff.length} pages` : 'none'})</span>
      </h3>
      {diff.length === 0 ? (
        <p className="muted">Both runs fault the same pages and leave the same device page table.</p>
      ) : (
        <ul className="diff-list">
          {diff.slice(0, MAX_LISTED).map((d) => (
            <li key={d.page}>
              <strong>page {d.page}</strong>
              <span className="diff-side">
                <span className="side-badge small" aria-hidden="true">
                  A
                </span>
                <span className="sr-only">A: </span>
                {describe(d.a)}
              </span>
              <span className="diff-side">
                <span className="side-badge small side-b" aria-hidden="true">
                  B
                </span>
                <span className="sr-only">B: </span>
                {describe(d.b)}
              </span>
            </li>
          ))}
          {diff.length > MAX_LISTED && <li className="muted">and {diff.length - MAX_LISTED} more pages</li>}
        </ul>
      )}
    </section>
  );
}

/** The pages whose outcome differs between the sides, and each run's marks for the scrubber. */
export function useDifferences(a: Side | null, b: Side | null) {
  const diff = useMemo(() => {
    if (!a?.run || !b?.run || a.scenario.range.pages !== b.scenario.range.pages) return null;
    const oa = pageOutcomes(a.scenario, a.run);
    const ob = pageOutcomes(b.scenario, b.run);
    return oa
      .map((x, i) => ({ page: i, a: x, b: ob[i] }))
      .filter((d) => d.a.fault !== d.b.fault || d.a.device !== d.b.device || d.a.out !== d.b.out);
  }, [a, b]);
  const marked = useMemo(() => new Set(diff?.map((d) => d.page) ?? []), [diff]);
  const marks = useMemo(
    () => [a?.run, b?.run].filter((r) => !!r).map((r) => runIndex(r!).marks),
    [a?.run, b?.run],
  );
  return { diff, marked, marks };
}

/**
 * Compare: two policies (or two kernels) on the same address space, side by side (stacked when
 * narrow), one player driving both, the pages whose outcome differs marked on both stages.
 */
export function CompareView() {
  const { a, b, caption, lesson, cursor, playing, speed } = useCompare(
    useShallow((s: CompareState) => ({
      a: s.a,
      b: s.b,
      caption: s.caption,
      lesson: s.lesson,
      cursor: s.cursor,
      playing: s.playing,
      speed: s.speed,
    })),
  );
  const ready = bothReady({ a, b });
  const { diff, marked, marks } = useDifferences(a, b);
  const explorer = () => startFrom(useStore.getState().scenario);
  const kernels = () => {
    const s = useStore.getState().scenario;
    useCompare.getState().setPair(onKernel(s, v5_2.id), onKernel(s, v6_1.id), kernelCaption(s));
  };
  return (
    <div className="workspace no-editor">
      <CompareDrivers />
      <main className="center compare">
        <div className="center-scroll">
          <div className="compare-head">
            <h2>
              <span className="muted">Compare · </span>
              {caption}
            </h2>
            <div className="compare-starts">
              <label className="field compare-ready">
                <span>Ready comparisons</span>
                <select
                  value=""
                  onChange={(e) => {
                    const p = PAIRS.find((x) => x.id === e.target.value);
                    if (!p) return;
                    const built = p.build();
                    useCompare.getState().setPair(built.a, built.b, built.caption, p.lesson);
                  }}
                >
                  <option value="" disabled>
                    Choose a pair…
                  </option>
                  {PAIRS.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.title}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="button" onClick={explorer}>
                The explorer’s scenario, two policies
              </button>
              <button type="button" className="button" onClick={kernels}>
                The explorer’s scenario on Linux 5.2 and 6.1
              </button>
            </div>
            {lesson && <p className="compare-lesson">{lesson}</p>}
          </div>
          <div className="compare-sides">
            <CompareSide id="a" marked={marked} />
            <CompareSide id="b" marked={marked} />
          </div>
          <div className="compare-summary">
            <div className="panel">
              <Counters />
            </div>
            <Differences diff={diff} />
          </div>
          <CostPanel />
        </div>
        <div className="dock">
          <PlayerBar
            id="player"
            cursor={cursor}
            max={compareLength({ a, b })}
            playing={playing}
            speed={speed}
            disabled={!ready}
            busy={!ready && (a?.runState === 'running' || b?.runState === 'running')}
            marks={marks}
            actions={compareActions}
          />
        </div>
      </main>
    </div>
  );
}
