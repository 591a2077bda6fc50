import { useState } from 'react';
import { useStore } from '../../state/store.ts';
import { activeRun } from '../../state/derived.ts';
import { formatJson } from '../../engine/scenario/json.ts';
import { scenarioToFile } from '../../engine/scenario/parse.ts';
import { Icon } from '../chrome/Icon.tsx';
import { Popover } from '../chrome/Popover.tsx';
import { tones } from '../theme/palette.ts';
import type { ThemeName } from '../theme/palette.ts';
import { currentInk, fileSlug, saveBlob, svgToPng } from './files.ts';
import { parsePageSet } from '../../state/pageSet.ts';
import './export.css';

/** The most pages a picture holds: beyond it, cells get too small to read on a slide. */
const PICTURE_PAGES = 64;

/**
 * The pages a picture shows: a chosen range (as typed: "100-163"), else the pages the stage shows
 * now, else the first 64. A picture keeps to 64 columns, beyond which cells are too small to read.
 */
export function picturePages(
  pages: number,
  visible: { start: number; count: number },
  chosen: string,
): { from: number; to: number } | { error: string } {
  if (chosen.trim()) {
    const r = parsePageSet(chosen, pages);
    if (!r.ok) return { error: r.error };
    const from = r.runs[0][0];
    const to = r.runs[r.runs.length - 1][1] + 1;
    if (to - from > PICTURE_PAGES)
      return { error: `${to - from} pages is more than a picture holds (${PICTURE_PAGES})` };
    return { from, to };
  }
  if (visible.count > 0) return { from: visible.start, to: Math.min(pages, visible.start + visible.count) };
  return { from: 0, to: Math.min(pages, PICTURE_PAGES) };
}

/**
 * The stage at the explorer's cursor as an SVG document, in the theme on screen. The drawing code
 * is loaded on the first export, not with the app.
 */
export async function currentStageSvg(chosen = ''): Promise<{
  svg: string;
  width: number;
  height: number;
  name: string;
}> {
  const { stageSvg } = await import('./stageSvg.ts');
  const s = useStore.getState();
  const run = activeRun(s.scenario, s.run, s.runScenario);
  const span = picturePages(s.scenario.range.pages, s.visible, chosen);
  if ('error' in span) throw new Error(span.error);
  const { from } = span;
  const theme = (document.documentElement.dataset.theme as ThemeName | undefined) ?? 'light';
  const out = stageSvg({
    scenario: s.scenario,
    run,
    cursor: s.cursor,
    from,
    to: span.to,
    ink: currentInk(),
    tones: tones(theme),
  });
  const pagesPart = from === 0 && span.to === s.scenario.range.pages ? '' : `-pages-${from}-${span.to - 1}`;
  return { ...out, name: `${fileSlug(s.scenario.title)}${pagesPart}-step-${s.cursor}` };
}

/**
 * Export: the stage as a picture for slides (SVG to edit, PNG to paste), and the scenario as
 * a readable JSON file (pages in order, the format of public/scenarios/) to share or run with
 * `npm run sim`.
 */
export function ExportMenu() {
  const [status, setStatus] = useState('');
  const [chosen, setChosen] = useState('');
  const problems = useStore((s) => s.problems.length);
  const pages = useStore((s) => s.scenario.range.pages);
  const visible = useStore((s) => s.visible);
  const span = picturePages(pages, visible, chosen);
  const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

  const svg = async () => {
    try {
      const out = await currentStageSvg(chosen);
      saveBlob(new Blob([out.svg], { type: 'image/svg+xml' }), `${out.name}.svg`);
      setStatus(`Saved ${out.name}.svg`);
    } catch (e) {
      setStatus(`The SVG could not be made: ${why(e)}`);
    }
  };
  const png = async () => {
    try {
      const out = await currentStageSvg(chosen);
      const blob = await svgToPng(out.svg, out.width, out.height);
      saveBlob(blob, `${out.name}.png`);
      setStatus(`Saved ${out.name}.png`);
    } catch (e) {
      setStatus(`The PNG could not be made: ${why(e)}`);
    }
  };
  const copyPng = async () => {
    if (!navigator.clipboard?.write || typeof ClipboardItem === 'undefined') {
      setStatus('This browser does not let pages copy pictures: use "Stage as PNG" and paste the file.');
      return;
    }
    try {
      // The promise goes into the item at once, inside the click, as Safari requires (the drawing
      // code may still be loading).
      const made = currentStageSvg(chosen);
      const blob = made.then((out) => svgToPng(out.svg, out.width, out.height));
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })]);
      setStatus(`Copied the stage (${(await made).name}) as a PNG: paste it into a slide.`);
    } catch (e) {
      setStatus(
        `The picture could not be copied (${why(e)}): the browser did not allow it. Use "Stage as PNG" instead.`,
      );
    }
  };
  const json = () => {
    const s = useStore.getState().scenario;
    const name = `${fileSlug(s.title)}.json`;
    saveBlob(new Blob([formatJson(scenarioToFile(s)) + '\n'], { type: 'application/json' }), name);
    setStatus(`Saved ${name}`);
  };

  return (
    <Popover
      label="Export"
      buttonLabel="Export"
      className="export-menu"
      panelClass="export-panel"
      title="Save the stage as a picture, or the scenario as a file"
      button={
        <>
          <Icon name="download" /> <span className="button-text">Export</span>
        </>
      }
    >
      <>
        <h2 className="popover-title">The stage at this step</h2>
        <label className="field">
          <span>Pages</span>
          <input
            value={chosen}
            spellCheck={false}
            placeholder={'error' in span ? '' : `${span.from}-${span.to - 1} (on screen)`}
            aria-invalid={'error' in span ? true : undefined}
            onChange={(e) => setChosen(e.target.value)}
          />
        </label>
        <p className={'error' in span ? 'field-error' : 'popover-help'}>
          {'error' in span
            ? span.error
            : chosen.trim()
              ? `Pages ${span.from}-${span.to - 1}`
              : `The pages on screen (${span.from}-${span.to - 1}); type a range for others.`}
        </p>
        <div className="export-row">
          <button type="button" className="button" onClick={() => void svg()}>
            Stage as SVG
          </button>
          <button type="button" className="button" onClick={() => void png()}>
            Stage as PNG
          </button>
          <button type="button" className="button" onClick={() => void copyPng()}>
            Copy as PNG
          </button>
        </div>
        <p className="popover-help">
          For slides: SVG stays sharp and editable, PNG pastes anywhere (2× size).
        </p>
        <h2 className="popover-title">The scenario</h2>
        <div className="export-row">
          <button type="button" className="button" onClick={json} disabled={problems > 0}>
            Scenario as JSON
          </button>
        </div>
        <p className="popover-help">
          The file format of <code>public/scenarios/</code>: open it here again, or run it with{' '}
          <code>npm run sim</code>.
        </p>
        <p role="status" className="popover-status">
          {status}
        </p>
      </>
    </Popover>
  );
}
