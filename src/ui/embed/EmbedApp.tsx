import { useEffect, useRef } from 'react';
import type { ComponentType } from 'react';
import { rerun, useStore } from '../../state/store.ts';
import { ViewBoundary } from '../chrome/ViewBoundary.tsx';
import type { Store } from '../../state/store.ts';
import { useCompare } from '../../state/compare.ts';
import { useTour } from '../../state/tour.ts';
import { formatLink } from '../../state/linkFormat.ts';
import { NoticeBanner } from '../chrome/Notice.tsx';
import { ThemeStyle } from '../theme/ThemeStyle.tsx';
import { useApplyTheme } from '../theme/useTheme.ts';
import { kernelLabel } from '../model/bits.ts';
import { Icon } from '../chrome/Icon.tsx';
import { currentLink } from '../links.ts';
import type { EmbedKind } from '../links.ts';
import { SIZE_MESSAGE, THEME_MESSAGE } from './params.ts';
import type { EmbedOptions } from './params.ts';
import type { Anchor } from '../../state/anchor.ts';
import type { FigureProps } from './figure.ts';
import './embed.css';

function ThemeDriver() {
  useApplyTheme();
  return null;
}

/** The parts of one kind of figure: its main content and the text above it, if any. */
export interface Figure {
  Main: ComponentType<FigureProps>;
  Text: ComponentType | null;
}

/**
 * Loads the code of one kind of figure, before the first render (so nothing appears late and
 * moves the page): a stage embed never loads the comparison's views, nor a comparison the tour's.
 */
export async function loadFigure(kind: EmbedKind): Promise<Figure> {
  switch (kind) {
    case 'stage':
      return { Main: (await import('./StageFigure.tsx')).StageFigure, Text: null };
    case 'tour': {
      const [stage, text] = await Promise.all([import('./StageFigure.tsx'), import('./TourText.tsx')]);
      return { Main: stage.TourStageFigure, Text: text.TourText };
    }
    case 'compare':
      return { Main: (await import('./CompareFigure.tsx')).CompareFigure, Text: null };
  }
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
  figure,
  at,
}: {
  options: EmbedOptions;
  kind: EmbedKind;
  /** The kind's code, from loadFigure. */
  figure: Figure;
  at: Anchor | null;
}) {
  const { Main, Text } = figure;
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
      {Text && <Text />}
      <ViewBoundary what="This figure" onRetry={rerun} resetKey={scenario}>
        <main className="embed-main">
          <Main options={options} at={at} />
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
