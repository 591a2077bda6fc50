import { useEffect, useId, useRef, useState } from 'react';
import type { TraceEvent } from '../../engine/types.ts';
import { useStore } from '../../state/store.ts';
import { useCompare } from '../../state/compare.ts';
import { useTour } from '../../state/tour.ts';
import { anchorAt, describeAnchor } from '../../state/anchor.ts';
import type { Anchor } from '../../state/anchor.ts';
import { formatLink } from '../../state/linkFormat.ts';
import type { LinkView } from '../../state/linkFormat.ts';
import { tourById } from '../tour/tours.ts';
import type { EmbedKind } from '../links.ts';
import { useMode } from '../../state/mode.ts';
import { activeRun } from '../../state/derived.ts';
import { Icon } from '../chrome/Icon.tsx';
import { EMBED_DEFAULTS, SIZE_MESSAGE, defaultHeight, embedQuery, embedSnippet } from './params.ts';
import type { EmbedOptions } from './params.ts';

/** Widths a docs column is likely to have, for the preview (the snippet is 100% wide). */
const WIDTHS = [320, 480, 700] as const;

/** What the view on screen embeds: its kind, its state's link, its trace (for moments) and length. */
function figure(): {
  kind: EmbedKind;
  state: LinkView;
  trace: readonly TraceEvent[];
  total: number;
  cursor: number;
  title: string;
} {
  const mode = useMode.getState().mode;
  if (mode === 'compare') {
    const c = useCompare.getState();
    if (c.a && c.b) {
      const trace = c.a.run?.trace ?? [];
      return {
        kind: 'compare',
        state: { view: 'compare', a: c.a.scenario, b: c.b.scenario, caption: c.caption || null },
        trace,
        total: trace.length,
        cursor: Math.min(c.cursor, trace.length),
        title: `HMM Explorer: ${c.caption || 'a comparison'}`,
      };
    }
  }
  const s = useStore.getState();
  const run = activeRun(s.scenario, s.run, s.runScenario);
  const trace = run?.trace ?? [];
  const base = {
    trace,
    total: trace.length,
    cursor: Math.min(s.cursor, trace.length),
  };
  if (mode === 'tour') {
    const { step, tour } = useTour.getState();
    const n = step + 1;
    return {
      ...base,
      kind: 'tour',
      state: { view: 'tour', tour, step: n },
      title: `HMM Explorer tour, step ${n}: ${tourById(tour).steps[n - 1]?.title ?? ''}`,
    };
  }
  return {
    ...base,
    kind: 'stage',
    state: { view: 'explore', scenario: s.scenario },
    title: `HMM Explorer: ${s.scenario.title || 'a scenario'}`,
  };
}

const KIND_WORDS: Record<EmbedKind, string> = {
  stage: 'this scenario’s stage, player and narration',
  tour: 'this tour step: its text, its stage, player and narration',
  compare: 'this comparison: both stages under one player, with their narrations',
};

/** `3-7` → [3, 7]; empty → null (follow the walk); anything else → an error message. */
function readPages(text: string, pages: number): [number, number] | null | string {
  const t = text.trim();
  if (!t) return null;
  const m = /^(\d+)\s*-\s*(\d+)$/.exec(t);
  if (!m) return 'Write the first and last page, such as 3-7.';
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a > b || b >= pages) return `Pages run from 0 to ${pages - 1}, first before last.`;
  return [a, b];
}

/** The embed form, loaded when the Embed dialog first opens (see EmbedDialog). */
export function EmbedForm({ close }: { close: () => void }) {
  const id = useId();
  const [fig] = useState(figure);
  const { total } = fig;
  const pagesInRange =
    fig.state.view === 'compare'
      ? fig.state.a.range.pages
      : fig.state.view === 'explore'
        ? fig.state.scenario.range.pages
        : useStore.getState().scenario.range.pages;
  const [from, setFrom] = useState(fig.cursor);
  const [to, setTo] = useState<number | null>(null);
  const [durable, setDurable] = useState(true);
  const [autoplay, setAutoplay] = useState(false);
  const [legend, setLegend] = useState(false);
  const [theme, setTheme] = useState<EmbedOptions['theme']>('system');
  const [readable, setReadable] = useState(false);
  const [pagesText, setPagesText] = useState('');
  const [width, setWidth] = useState<number>(480);
  const [base, setBase] = useState(`${location.origin}${location.pathname}`);
  const [measured, setMeasured] = useState<Record<number, number>>({});
  const [copied, setCopied] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  const frame = useRef<HTMLIFrameElement>(null);

  const moment = (c: number): Anchor => (durable ? anchorAt(fig.trace, c) : { kind: 'step', step: c });
  const stop = to !== null && to < total ? Math.max(to, from) : null;
  const pin = readPages(pagesText, pagesInRange);
  const options: EmbedOptions = {
    ...EMBED_DEFAULTS,
    from: from > 0 || stop !== null ? moment(from) : null,
    to: stop !== null ? moment(stop) : null,
    pages: Array.isArray(pin) ? pin : null,
    legend,
    autoplay,
    theme,
  };
  const hash = formatLink(
    { state: fig.state, at: null },
    { readable: readable && fig.state.view === 'explore' },
  );
  const height = measured[width] ?? defaultHeight(width, fig.kind);
  const snippet = embedSnippet({ base, hash, options, title: fig.title, height });
  // The preview runs from this copy of the app, whatever address the snippet is for.
  const local = `${location.origin}${location.pathname}${embedQuery(options)}${hash}`;

  // The preview reports its content's height like any host page gets it: the snippet's default.
  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      const d = e.data as { type?: unknown; height?: unknown } | null;
      if (e.source !== frame.current?.contentWindow || !d || d.type !== SIZE_MESSAGE) return;
      if (typeof d.height === 'number' && d.height > 0)
        setMeasured((m) => (m[width] === d.height ? m : { ...m, [width]: d.height as number }));
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [width]);

  const copy = async () => {
    area.current?.select();
    try {
      await navigator.clipboard.writeText(snippet);
      setCopied('Copied to the clipboard');
    } catch {
      setCopied('Select the snippet and copy it');
    }
  };
  const num = (v: string, max: number) => Math.max(0, Math.min(max, Math.floor(Number(v) || 0)));
  const said = (c: number) => (durable ? describeAnchor(anchorAt(fig.trace, c)) : `step ${c}`);

  return (
    <>
      <p className="embed-lead">
        An <code>&lt;iframe&gt;</code> showing {KIND_WORDS[fig.kind]}, for a documentation page. Each embed
        runs on its own and never touches the page’s address or storage.
      </p>
      <div className="embed-fields">
        <label className="field">
          <span>Start at step</span>
          <input
            type="number"
            min={0}
            max={total}
            value={from}
            onChange={(e) => setFrom(num(e.target.value, total))}
            aria-describedby={`${id}-of`}
          />
        </label>
        <label className="field">
          <span>Stop at step</span>
          <input
            type="number"
            min={from}
            max={total}
            value={to ?? total}
            onChange={(e) => setTo(num(e.target.value, total))}
            aria-describedby={`${id}-of`}
          />
        </label>
        <label className="field">
          <span>Pages shown</span>
          <input
            type="text"
            inputMode="numeric"
            placeholder="follow the walk"
            value={pagesText}
            onChange={(e) => setPagesText(e.target.value)}
            aria-describedby={`${id}-pages`}
            aria-invalid={typeof pin === 'string' || undefined}
          />
        </label>
        <label className="field">
          <span>Theme</span>
          <select value={theme} onChange={(e) => setTheme(e.target.value as EmbedOptions['theme'])}>
            <option value="system">the reader’s system</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
      </div>
      <p className="popover-help" id={`${id}-of`}>
        The run has {total} steps (step 0 is before the call). Starts at {said(from)}
        {stop !== null ? `, stops at ${said(stop)}` : ''}.
      </p>
      <p className="popover-help" id={`${id}-pages`}>
        {typeof pin === 'string'
          ? pin
          : 'Pages shown: first-last (such as 3-7) keeps the stage on those pages; empty follows the walk.'}
      </p>
      <div className="checks">
        <label className="check">
          <input type="checkbox" checked={durable} onChange={(e) => setDurable(e.target.checked)} />
          Name the moments by what happens (they survive engine updates)
        </label>
        <label className="check">
          <input type="checkbox" checked={legend} onChange={(e) => setLegend(e.target.checked)} />
          Show the legend
        </label>
        <label className="check">
          <input type="checkbox" checked={autoplay} onChange={(e) => setAutoplay(e.target.checked)} />
          Play by itself when it loads
        </label>
        {fig.state.view === 'explore' && (
          <label className="check">
            <input type="checkbox" checked={readable} onChange={(e) => setReadable(e.target.checked)} />
            Readable link (the scenario’s JSON, to edit by hand)
          </label>
        )}
      </div>
      <label className="field">
        <span>Address of the published explorer</span>
        <input type="url" value={base} onChange={(e) => setBase(e.target.value)} spellCheck={false} />
      </label>
      <div className="embed-preview-head">
        <label className="field">
          <span>Preview width</span>
          <select value={width} onChange={(e) => setWidth(Number(e.target.value))}>
            {WIDTHS.map((w) => (
              <option key={w} value={w}>
                {w} px
              </option>
            ))}
          </select>
        </label>
        <p className="popover-help">
          Height {Math.round(height)} px{measured[width] ? ', measured in the preview' : ''}: the snippet’s
          default. With the host script (docs/embedding.md) each frame takes its content’s height.
        </p>
      </div>
      {/* It scrolls when the figure is taller or wider than the dialog: a keyboard must reach it. */}
      <div className="embed-preview" role="region" aria-label="Preview of the figure" tabIndex={0}>
        <iframe
          ref={frame}
          key={`${width}`}
          src={local}
          title={`Preview: ${fig.title}`}
          width={width}
          height={Math.round(height)}
        />
      </div>
      <label className="field" htmlFor={`${id}-snippet`}>
        <span>HTML to paste</span>
      </label>
      <textarea
        id={`${id}-snippet`}
        ref={area}
        className="embed-snippet"
        readOnly
        rows={5}
        value={snippet}
        onFocus={(e) => e.target.select()}
      />
      <div className="embed-actions">
        <button type="button" className="button primary" onClick={() => void copy()}>
          Copy the snippet
        </button>
        <a className="button" href={local} target="_blank" rel="noopener">
          Open the preview <Icon name="external" size={14} />
          <span className="sr-only"> (opens in a new tab)</span>
        </a>
        <span role="status" className="copied">
          {copied}
        </span>
        <button type="button" className="button embed-done" onClick={close}>
          Done
        </button>
      </div>
    </>
  );
}
