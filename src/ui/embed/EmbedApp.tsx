import { useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Run } from '../../engine/types.ts';
import { rerun, useStore } from '../../state/store.ts';
import { ViewBoundary } from '../chrome/ViewBoundary.tsx';
import type { Store } from '../../state/store.ts';
import { useCompare, compareLength, bothReady } from '../../state/compare.ts';
import type { CompareState } from '../../state/compare.ts';
import { useTour } from '../../state/tour.ts';
import { activeRun } from '../../state/derived.ts';
import { describeAnchor, resolveAnchor } from '../../state/anchor.ts';
import type { Anchor } from '../../state/anchor.ts';
import { formatLink } from '../../state/link.ts';
import { Stage } from '../stage/Stage.tsx';
import { Player } from '../player/Player.tsx';
import type { StepRange } from '../player/Player.tsx';
import { mainActions } from '../player/Player.tsx';
import { PlayerBar } from '../player/PlayerBar.tsx';
import { usePlayback, usePlayerKeys } from '../player/usePlayback.ts';
import { Narration } from '../explain/Narration.tsx';
import { NoticeBanner } from '../chrome/Notice.tsx';
import { ThemeStyle } from '../theme/ThemeStyle.tsx';
import { useApplyTheme } from '../theme/useTheme.ts';
import { kernelLabel } from '../model/bits.ts';
import { Icon } from '../chrome/Icon.tsx';
import { CompareDrivers, CompareSide, compareActions, useDifferences } from '../compare/CompareView.tsx';
import { Marked } from '../tour/TourPanel.tsx';
import { tourById } from '../tour/tours.ts';
import { stepCursor } from '../tour/tourMode.ts';
import { currentLink } from '../links.ts';
import type { EmbedKind } from '../links.ts';
import { SIZE_MESSAGE, THEME_MESSAGE } from './params.ts';
import type { EmbedOptions } from './params.ts';
import './embed.css';

/** Clock, keys and theme as a leaf (a subscription at the root would re-render everything). */
function Drivers({ range }: { range: StepRange }) {
  usePlayback(range);
  usePlayerKeys(useMemo(() => mainActions(range), [range]));
  return null;
}

function ThemeDriver() {
  useApplyTheme();
  return null;
}

/**
 * The moments of a figure resolved against the run the engine makes now: where the cursor
 * starts and the steps the player keeps to. A moment that no longer resolves opens at the
 * nearest one, and the figure says so.
 */
function resolveRange(
  run: Run,
  options: EmbedOptions,
  at: Anchor | null,
  fallback: number,
): { start: number; range: StepRange; notes: string[] } {
  const notes: string[] = [];
  const place = (a: Anchor) => {
    const r = resolveAnchor(a, run.trace);
    if (!r.exact && r.note) notes.push(`${describeAnchor(a)}: ${r.note}`);
    return r.cursor;
  };
  const from = options.from ?? at;
  const start = from ? place(from) : fallback;
  if (!options.from && !options.to) return { start, range: null, notes };
  const end = options.to ? Math.max(start, place(options.to)) : Infinity;
  return { start, range: [options.from ? start : 0, end], notes };
}

function notice(notes: string[], problems: string[]) {
  if (!notes.length && !problems.length) return;
  // A link that could not be read is said already: the options' problems join it, not replace it.
  const shown = useStore.getState().notice;
  if (shown?.kind === 'error') {
    useStore.getState().setNotice({ ...shown, lines: [...shown.lines, ...problems, ...notes] });
    return;
  }
  useStore.getState().setNotice({
    kind: notes.length && !problems.length ? 'info' : 'error',
    title: problems.length
      ? 'Some of this figure’s options could not be read.'
      : 'A moment of this figure is not in the run the explorer makes now: it opens at the nearest one.',
    lines: [...problems, ...notes],
  });
}

/**
 * Sizing by the host page: the content's height is posted to the parent each time it changes
 * (`{type: 'hmm-explorer:size', height}`), and the host may post the theme it shows
 * (`{type: 'hmm-explorer:theme', theme}`). See docs/embedding.md.
 */
function useHost(root: React.RefObject<HTMLDivElement | null>) {
  useEffect(() => {
    const el = root.current;
    if (!el || window.parent === window) return;
    let last = 0;
    const post = () => {
      const height = Math.ceil(el.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      // The height is no secret: any host page may size its frame.
      window.parent.postMessage({ type: SIZE_MESSAGE, height }, '*');
    };
    const ro = new ResizeObserver(post);
    ro.observe(el);
    post();
    const onMessage = (e: MessageEvent) => {
      const d = e.data as { type?: unknown; theme?: unknown } | null;
      if (e.source !== window.parent || !d || d.type !== THEME_MESSAGE) return;
      if (d.theme === 'light' || d.theme === 'dark' || d.theme === 'system')
        useStore.getState().setTheme(d.theme);
    };
    window.addEventListener('message', onMessage);
    return () => {
      ro.disconnect();
      window.removeEventListener('message', onMessage);
    };
  }, [root]);
}

/** The stage, the player and the narration of the store's run (a scenario or a tour step). */
function StageFigure({ options, at, tour }: { options: EmbedOptions; at: Anchor | null; tour: boolean }) {
  const run = useStore((s) => activeRun(s.scenario, s.run, s.runScenario));
  const step = useTour((t) => t.step);
  const tourId = useTour((t) => t.tour);
  const resolved = useMemo(() => {
    const st = tour ? tourById(tourId).steps[step] : undefined;
    return run ? resolveRange(run, options, at, st ? stepCursor(st, run) : 0) : null;
  }, [run, options, at, tour, step, tourId]);
  const range = resolved?.range ?? null;
  useEffect(() => {
    if (!run || !resolved) return;
    useStore.setState({
      cursor: resolved.start,
      playing: options.autoplay && resolved.start < run.trace.length,
    });
    notice(resolved.notes, options.problems);
  }, [run, resolved, options]);
  return (
    <>
      <Drivers range={range} />
      <Stage hover={false} legend={options.legend} pin={options.pages} />
      <div className="embed-dock">
        <Player range={range} id="embed-player" />
        <Narration />
      </div>
    </>
  );
}

/** Both sides of a comparison, under one player. */
function CompareFigure({ options, at }: { options: EmbedOptions; at: Anchor | null }) {
  const { a, b, cursor, playing, speed } = useCompare(
    useShallow((s: CompareState) => ({
      a: s.a,
      b: s.b,
      cursor: s.cursor,
      playing: s.playing,
      speed: s.speed,
    })),
  );
  const ready = bothReady({ a, b });
  const { marked, marks } = useDifferences(a, b);
  const runA = a?.run ?? null;
  useEffect(() => {
    if (!ready || !runA) return;
    const r = resolveRange(runA, { ...options, to: null }, at, 0);
    useCompare.setState({ cursor: r.start, playing: options.autoplay });
    notice(r.notes, options.problems);
    // Once per pair of runs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, runA]);
  return (
    <>
      <CompareDrivers />
      {/* The sides' headings are h3, as in the app: an h2 keeps the outline in order. */}
      <h2 className="sr-only">Policies A and B</h2>
      <div className="compare-sides embed-compare">
        <CompareSide id="a" marked={marked} readOnly />
        <CompareSide id="b" marked={marked} readOnly />
      </div>
      <div className="embed-dock">
        <PlayerBar
          id="embed-player"
          cursor={cursor}
          max={compareLength({ a, b })}
          playing={playing}
          speed={speed}
          disabled={!ready}
          busy={!ready}
          marks={marks}
          actions={compareActions}
        />
      </div>
    </>
  );
}

/** The tour step's text above its stage. */
function TourText() {
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

const selectTitle = (st: Store) => st.scenario;

/**
 * The figure a documentation page embeds: a stage (a scenario, or a tour step with its text) or
 * a comparison, with the player and the narration, nothing else. It lives in its own document (an
 * iframe), so each embed has its own store and engine worker; it reads its state from the link
 * once and writes nothing back (see bootEmbed).
 */
export function EmbedApp({
  options,
  kind,
  at,
}: {
  options: EmbedOptions;
  kind: EmbedKind;
  at: Anchor | null;
}) {
  const root = useRef<HTMLDivElement>(null);
  useHost(root);
  const scenario = useStore(selectTitle);
  const compareA = useCompare((c) => c.a?.scenario ?? null);
  const caption = useCompare((c) => c.caption);
  const shown = kind === 'compare' && compareA ? compareA : scenario;
  const title = kind === 'compare' ? caption : scenario.title || 'HMM Explorer';
  // The whole state, without the embed's options: the explorer opens on what the figure shows.
  const full = `${location.origin}${location.pathname}${formatLink(currentLinkFor(kind))}`;
  return (
    <div className="embed" ref={root} data-kind={kind}>
      <ThemeDriver />
      <ThemeStyle />
      <header className="embed-head">
        <h1 className="embed-title">{title}</h1>
        {kind !== 'compare' && <span className="tag kernel">{kernelLabel(shown.kernel)}</span>}
        <a className="embed-open" href={full} target="_blank" rel="noopener">
          Open in HMM Explorer
          <Icon name="external" size={14} />
          <span className="sr-only"> (opens in a new tab)</span>
        </a>
      </header>
      <NoticeBanner />
      {kind === 'tour' && <TourText />}
      <ViewBoundary what="This figure" onRetry={rerun} resetKey={scenario}>
        <main className="embed-main">
          {kind === 'compare' ? (
            <CompareFigure options={options} at={at} />
          ) : (
            <StageFigure options={options} at={at} tour={kind === 'tour'} />
          )}
        </main>
      </ViewBoundary>
    </div>
  );
}

/** The link of what the embed shows (its kind decides the view, not the app's mode). */
function currentLinkFor(kind: EmbedKind) {
  if (kind === 'tour')
    return {
      state: { view: 'tour' as const, tour: useTour.getState().tour, step: useTour.getState().step + 1 },
      at: null,
    };
  if (kind === 'compare') {
    const c = useCompare.getState();
    if (c.a && c.b)
      return {
        state: { view: 'compare' as const, a: c.a.scenario, b: c.b.scenario, caption: c.caption || null },
        at: null,
      };
  }
  return { ...currentLink(), at: null };
}
