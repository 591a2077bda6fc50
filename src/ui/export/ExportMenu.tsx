import { useState } from 'react';
import type { Run, Scenario } from '../../engine/types.ts';
import { useStore } from '../../state/store.ts';
import { useMode } from '../../state/mode.ts';
import { useCompare } from '../../state/compare.ts';
import { activeRun } from '../../state/derived.ts';
import { formatJson } from '../../engine/scenario/json.ts';
import { scenarioToFile } from '../../engine/scenario/parse.ts';
import { Icon } from '../chrome/Icon.tsx';
import { Popover } from '../chrome/Popover.tsx';
import { tones } from '../theme/palette.ts';
import type { ThemeName } from '../theme/palette.ts';
import { currentInk, fileSlug, saveBlob, svgToPng } from './files.ts';
import { stageSvg } from './stageSvg.ts';
import './export.css';

/** The most pages a picture holds: beyond it, cells get too small to read on a slide. */
const PICTURE_PAGES = 64;

/** A stage to export: the explorer's, or one side of a comparison. */
interface Source {
  /** "" for the explorer's; "A" / "B" for a comparison's sides. */
  side: string;
  scenario: Scenario;
  run: Run | null;
  cursor: number;
  windowStart: number;
  problems: number;
}

/** The stages on screen: the explorer's (tour, predict), or both sides of a comparison. */
function sources(): Source[] {
  if (useMode.getState().mode === 'compare') {
    const c = useCompare.getState();
    const out: Source[] = [];
    for (const [side, sd] of [
      ['A', c.a],
      ['B', c.b],
    ] as const)
      if (sd)
        out.push({
          side,
          scenario: sd.scenario,
          run: sd.run,
          cursor: sd.run ? Math.min(c.cursor, sd.run.trace.length) : 0,
          windowStart: c.windowStart,
          problems: sd.problems.length,
        });
    return out;
  }
  const s = useStore.getState();
  return [
    {
      side: '',
      scenario: s.scenario,
      run: activeRun(s.scenario, s.run, s.runScenario),
      cursor: s.cursor,
      windowStart: s.windowStart,
      problems: s.problems.length,
    },
  ];
}

/** A stage at its cursor as an SVG document, in the theme on screen. */
export function stageSvgOf(src: Source): { svg: string; width: number; height: number; name: string } {
  const pages = src.scenario.range.pages;
  // A large range: the pages around the stage's window (the picture keeps to 64 columns).
  const from = pages <= PICTURE_PAGES ? 0 : Math.max(0, Math.min(pages - PICTURE_PAGES, src.windowStart));
  const theme = (document.documentElement.dataset.theme as ThemeName | undefined) ?? 'light';
  const out = stageSvg({
    scenario: src.scenario,
    run: src.run,
    cursor: src.cursor,
    from,
    to: from + PICTURE_PAGES,
    ink: currentInk(),
    tones: tones(theme),
  });
  const side = src.side ? `-${src.side.toLowerCase()}` : '';
  return { ...out, name: `${fileSlug(src.scenario.title)}${side}-step-${src.cursor}` };
}

/**
 * Export: the stage as a picture for slides (SVG to edit, PNG to paste), and the scenario as
 * a readable JSON file (pages in order, the format of public/scenarios/) to share or run with
 * `npm run sim`.
 */
export function ExportMenu() {
  const [status, setStatus] = useState('');
  const mode = useMode((m) => m.mode);
  const problems = useStore((s) => s.problems.length);
  // The sides are read when a button is pressed, so the picture is of what is on screen then.
  const sides = mode === 'compare' ? ['A', 'B'] : [''];
  const source = (side: string) => sources().find((x) => x.side === side);

  const svg = (side: string) => {
    const src = source(side);
    if (!src) return;
    const out = stageSvgOf(src);
    saveBlob(new Blob([out.svg], { type: 'image/svg+xml' }), `${out.name}.svg`);
    setStatus(`Saved ${out.name}.svg`);
  };
  const png = async (side: string) => {
    const src = source(side);
    if (!src) return;
    const out = stageSvgOf(src);
    try {
      const blob = await svgToPng(out.svg, out.width, out.height);
      saveBlob(blob, `${out.name}.png`);
      setStatus(`Saved ${out.name}.png`);
    } catch (e) {
      setStatus(`The PNG could not be made: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const json = (side: string) => {
    const src = source(side);
    if (!src) return;
    if (src.problems) return setStatus(`Scenario ${side} has problems to fix first.`);
    const s = src.scenario;
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
        {sides.map((side) => (
          <div className="export-row" key={`stage-${side}`}>
            <button type="button" className="button" onClick={() => svg(side)}>
              Stage {side && `${side} `}as SVG
            </button>
            <button type="button" className="button" onClick={() => void png(side)}>
              Stage {side && `${side} `}as PNG
            </button>
          </div>
        ))}
        <p className="popover-help">
          For slides: SVG stays sharp and editable, PNG pastes anywhere (2× size).
        </p>
        <h2 className="popover-title">{sides.length > 1 ? 'The scenarios' : 'The scenario'}</h2>
        <div className="export-row">
          {sides.map((side) => (
            <button
              type="button"
              className="button"
              key={`json-${side}`}
              onClick={() => json(side)}
              disabled={!side && problems > 0}
            >
              Scenario {side && `${side} `}as JSON
            </button>
          ))}
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
