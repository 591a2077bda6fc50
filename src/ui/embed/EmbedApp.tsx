import { useEffect, useMemo } from 'react';
import { rerun, useStore } from '../../state/store.ts';
import { ViewBoundary } from '../chrome/ViewBoundary.tsx';
import type { Store } from '../../state/store.ts';
import { activeRun } from '../../state/derived.ts';
import { compactHash } from '../../state/scenarioIO.ts';
import { Stage } from '../stage/Stage.tsx';
import { Player } from '../player/Player.tsx';
import type { StepRange } from '../player/Player.tsx';
import { mainActions } from '../player/Player.tsx';
import { usePlayback, usePlayerKeys } from '../player/usePlayback.ts';
import { Narration } from '../explain/Narration.tsx';
import { NoticeBanner } from '../chrome/Notice.tsx';
import { ThemeStyle } from '../theme/ThemeStyle.tsx';
import { useApplyTheme } from '../theme/useTheme.ts';
import { kernelLabel } from '../model/bits.ts';
import { Icon } from '../chrome/Icon.tsx';
import type { EmbedOptions } from './params.ts';
import './embed.css';

/** Clock, keys and theme as a leaf (a subscription at the root would re-render everything). */
function Drivers({ range }: { range: StepRange }) {
  useApplyTheme();
  usePlayback(range);
  usePlayerKeys(useMemo(() => mainActions(range), [range]));
  return null;
}

/**
 * Puts the cursor at the range's first step each time a run arrives, and starts playing once if
 * the link asks for autoplay.
 */
function useStartAt(options: EmbedOptions) {
  const run = useStore((s) => activeRun(s.scenario, s.run, s.runScenario));
  useEffect(() => {
    if (!run) return;
    const cursor = Math.min(options.from, run.trace.length);
    useStore.setState({ cursor, playing: options.autoplay && cursor < run.trace.length });
  }, [run, options.from, options.autoplay]);
}

/**
 * The figure a documentation page embeds: the stage, the player and the narration, nothing else.
 * It lives in its own document (an iframe), so each embed has its own store and engine worker;
 * it reads its scenario from the link once and writes nothing back (see bootEmbed).
 */
export function EmbedApp({ options }: { options: EmbedOptions }) {
  const range: StepRange = useMemo(
    () => (options.from > 0 || options.to !== null ? [options.from, options.to ?? Infinity] : null),
    [options.from, options.to],
  );
  useStartAt(options);
  const scenario = useStore((st: Store) => st.scenario);
  const full = `${location.origin}${location.pathname}${compactHash(scenario)}`;
  return (
    <div className="embed">
      <Drivers range={range} />
      <ThemeStyle />
      <header className="embed-head">
        <h1 className="embed-title">{scenario.title || 'HMM Explorer'}</h1>
        <span className="tag kernel">{kernelLabel(scenario.kernel)}</span>
        <a className="embed-open" href={full} target="_blank" rel="noopener">
          Open in HMM Explorer
          <Icon name="external" size={14} />
          <span className="sr-only"> (opens in a new tab)</span>
        </a>
      </header>
      <NoticeBanner />
      <ViewBoundary what="This figure" onRetry={rerun} resetKey={scenario}>
        <main className="embed-main">
          <Stage hover={false} legend={false} />
          <Player range={range} id="embed-player" />
          <Narration />
        </main>
      </ViewBoundary>
    </div>
  );
}
