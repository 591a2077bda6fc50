import { useId, useRef, useState } from 'react';
import { useStore } from '../../state/store.ts';
import { activeRun } from '../../state/derived.ts';
import { compactHash, readableHash } from '../../state/scenarioIO.ts';
import { Icon } from '../chrome/Icon.tsx';
import { embedQuery, embedSnippet } from './params.ts';
import type { EmbedOptions } from './params.ts';
import './embed-dialog.css';

/** Tall enough for a 16-page stage, the player and the narration at a docs column's width. */
const DEFAULT_HEIGHT = 640;

function Form({ close }: { close: () => void }) {
  const id = useId();
  const s = useStore.getState();
  const run = activeRun(s.scenario, s.run, s.runScenario);
  const total = run ? run.trace.length : 0;
  const [from, setFrom] = useState(Math.min(s.cursor, total));
  const [to, setTo] = useState<number | null>(null);
  const [autoplay, setAutoplay] = useState(false);
  const [theme, setTheme] = useState<EmbedOptions['theme']>('system');
  const [readable, setReadable] = useState(false);
  const [height, setHeight] = useState(DEFAULT_HEIGHT);
  const [copied, setCopied] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);

  const options: EmbedOptions = {
    from,
    to: to !== null && to < total ? Math.max(to, from) : null,
    autoplay,
    theme,
  };
  const hash = readable ? readableHash(s.scenario) : compactHash(s.scenario);
  const base = `${location.origin}${location.pathname}`;
  const title = `HMM Explorer: ${s.scenario.title || 'a scenario'}`;
  const snippet = embedSnippet({ base, hash, options, title, height });
  const preview = `${base}${embedQuery(options)}${hash}`;

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

  return (
    <>
      <p className="embed-lead">
        An <code>&lt;iframe&gt;</code> showing this scenario’s stage, player and narration, for a
        documentation page. Each embed runs on its own: several on one page do not share anything, and none of
        them touches the page’s address or storage.
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
          <span>Height (px)</span>
          <input
            type="number"
            min={320}
            max={2000}
            step={10}
            value={height}
            onChange={(e) =>
              setHeight(Math.max(320, Math.min(2000, Number(e.target.value) || DEFAULT_HEIGHT)))
            }
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
        The run has {total} steps; the player stays between the two (step 0 is before the call).
      </p>
      <div className="checks">
        <label className="check">
          <input type="checkbox" checked={autoplay} onChange={(e) => setAutoplay(e.target.checked)} />
          Play by itself when it loads
        </label>
        <label className="check">
          <input type="checkbox" checked={readable} onChange={(e) => setReadable(e.target.checked)} />
          Readable link (the scenario’s JSON, to edit by hand)
        </label>
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
        <a className="button" href={preview} target="_blank" rel="noopener">
          Preview <Icon name="external" size={14} />
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

/**
 * "Embed": writes the `<iframe>` for the scenario on screen, starting at the step on screen. The
 * form is built when the dialog opens, so it starts from the current scenario and cursor.
 */
export function EmbedDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const problems = useStore((s) => s.problems.length);
  const close = () => dialog.current?.close();
  return (
    <>
      <button
        type="button"
        className="button embed-button"
        title="HTML to embed this figure in a documentation page"
        aria-label="Embed"
        disabled={problems > 0}
        onClick={() => {
          setOpen(true);
          dialog.current?.showModal();
        }}
      >
        <Icon name="code" /> <span className="button-text">Embed</span>
      </button>
      <dialog
        ref={dialog}
        className="app-dialog embed-dialog"
        aria-labelledby="embed-title"
        onClose={() => setOpen(false)}
      >
        <div className="about-head">
          <h2 id="embed-title">Embed this figure</h2>
          <button type="button" className="icon-button small" aria-label="Close" onClick={close}>
            <Icon name="close" />
          </button>
        </div>
        {open && <Form close={close} />}
      </dialog>
    </>
  );
}
