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
import './export.css';

/** The most pages a picture holds: beyond it, cells get too small to read on a slide. */
const PICTURE_PAGES = 64;

/**
 * The stage at the explorer's cursor as an SVG document, in the theme on screen. The drawing code
 * is loaded on the first export, not with the app.
 */
export async function currentStageSvg(): Promise<{
  svg: string;
  width: number;
  height: number;
  name: string;
}> {
  const { stageSvg } = await import('./stageSvg.ts');
  const s = useStore.getState();
  const run = activeRun(s.scenario, s.run, s.runScenario);
  const pages = s.scenario.range.pages;
  // A large range: the pages around the stage's window (the picture keeps to 64 columns).
  const from = pages <= PICTURE_PAGES ? 0 : Math.max(0, Math.min(pages - PICTURE_PAGES, s.windowStart));
  const theme = (document.documentElement.dataset.theme as ThemeName | undefined) ?? 'light';
  const out = stageSvg({
    scenario: s.scenario,
    run,
    cursor: s.cursor,
    from,
    to: from + PICTURE_PAGES,
    ink: currentInk(),
    tones: tones(theme),
  });
  return { ...out, name: `${fileSlug(s.scenario.title)}-step-${s.cursor}` };
}

/**
 * Export: the stage as a picture for slides (SVG to edit, PNG to paste), and the scenario as
 * a readable JSON file (pages in order, the format of public/scenarios/) to share or run with
 * `npm run sim`.
 */
export function ExportMenu() {
  const [status, setStatus] = useState('');
  const problems = useStore((s) => s.problems.length);

  const svg = async () => {
    const out = await currentStageSvg();
    saveBlob(new Blob([out.svg], { type: 'image/svg+xml' }), `${out.name}.svg`);
    setStatus(`Saved ${out.name}.svg`);
  };
  const png = async () => {
    const out = await currentStageSvg();
    try {
      const blob = await svgToPng(out.svg, out.width, out.height);
      saveBlob(blob, `${out.name}.png`);
      setStatus(`Saved ${out.name}.png`);
    } catch (e) {
      setStatus(`The PNG could not be made: ${e instanceof Error ? e.message : String(e)}`);
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
        <div className="export-row">
          <button type="button" className="button" onClick={() => void svg()}>
            Stage as SVG
          </button>
          <button type="button" className="button" onClick={() => void png()}>
            Stage as PNG
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
