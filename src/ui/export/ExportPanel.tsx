import type { Run, Scenario } from '../../engine/types.ts';
import { useStore } from '../../state/store.ts';
import { useMode } from '../../state/mode.ts';
import { useCompare } from '../../state/compare.ts';
import { activeRun } from '../../state/derived.ts';
import { formatJson } from '../../engine/scenario/json.ts';
import { scenarioToFile } from '../../engine/scenario/file.ts';
import { tones } from '../theme/tones.ts';
import type { ThemeName } from '../theme/palette.ts';
import { currentInk, fileSlug, saveBlob, svgToPng } from './files.ts';
import { parsePageSet } from '../../state/pageSet.ts';

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
  if (visible.count > 0)
    return {
      from: visible.start,
      to: Math.min(pages, visible.start + Math.min(visible.count, PICTURE_PAGES)),
    };
  return { from: 0, to: Math.min(pages, PICTURE_PAGES) };
}

/** A stage to export: the explorer's, or one side of a comparison. */
interface Source {
  /** "" for the explorer's; "A" / "B" for a comparison's sides. */
  side: string;
  scenario: Scenario;
  run: Run | null;
  cursor: number;
  /** The pages that stage shows now. */
  visible: { start: number; count: number };
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
          visible: { start: c.windowStart, count: PICTURE_PAGES },
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
      visible: s.visible,
      problems: s.problems.length,
    },
  ];
}

/**
 * A stage at its cursor as an SVG document, in the theme on screen, over the chosen pages. The
 * drawing code is loaded on the first export, not with the app.
 */
export async function stageSvgOf(
  src: Source,
  chosen = '',
): Promise<{ svg: string; width: number; height: number; name: string }> {
  const { stageSvg } = await import('./stageSvg.ts');
  const pages = src.scenario.range.pages;
  const span = picturePages(pages, src.visible, chosen);
  if ('error' in span) throw new Error(span.error);
  const { from, to } = span;
  const theme = (document.documentElement.dataset.theme as ThemeName | undefined) ?? 'light';
  const out = stageSvg({
    scenario: src.scenario,
    run: src.run,
    cursor: src.cursor,
    from,
    to,
    ink: currentInk(),
    tones: tones(theme),
  });
  const side = src.side ? `-${src.side.toLowerCase()}` : '';
  const pagesPart = from === 0 && to === pages ? '' : `-pages-${from}-${to - 1}`;
  return { ...out, name: `${fileSlug(src.scenario.title)}${side}${pagesPart}-step-${src.cursor}` };
}

/** What the Export menu keeps while its panel is closed: the last message, the chosen pages. */
export interface ExportChoices {
  status: string;
  setStatus: (s: string) => void;
  chosen: string;
  setChosen: (s: string) => void;
}

/**
 * The Export menu's panel: the stage at the current step as SVG or PNG (for slides), and the
 * scenario as a JSON file (the format of public/scenarios/, which `npm run sim` reads). Loaded
 * the first time the menu opens (ExportMenu.tsx).
 */
export function ExportPanel({ status, setStatus, chosen, setChosen }: ExportChoices) {
  const mode = useMode((m) => m.mode);
  const problems = useStore((s) => s.problems.length);
  const pages = useStore((s) => s.scenario.range.pages);
  const visible = useStore((s) => s.visible);
  // The page range applies to the explorer's stage; a comparison exports the pages on screen.
  const span = picturePages(pages, visible, mode === 'compare' ? '' : chosen);
  const why = (e: unknown) => (e instanceof Error ? e.message : String(e));
  // The sides are read when a button is pressed, so the picture is of what is on screen then.
  const sides = mode === 'compare' ? ['A', 'B'] : [''];
  const source = (side: string) => sources().find((x) => x.side === side);
  const pick = mode === 'compare' ? '' : chosen;

  const svg = async (side: string) => {
    const src = source(side);
    if (!src) return;
    try {
      const out = await stageSvgOf(src, pick);
      saveBlob(new Blob([out.svg], { type: 'image/svg+xml' }), `${out.name}.svg`);
      setStatus(`Saved ${out.name}.svg`);
    } catch (e) {
      setStatus(`The SVG could not be made: ${why(e)}`);
    }
  };
  const png = async (side: string) => {
    const src = source(side);
    if (!src) return;
    try {
      const out = await stageSvgOf(src, pick);
      const blob = await svgToPng(out.svg, out.width, out.height);
      saveBlob(blob, `${out.name}.png`);
      setStatus(`Saved ${out.name}.png`);
    } catch (e) {
      setStatus(`The PNG could not be made: ${why(e)}`);
    }
  };
  const copyPng = async (side: string) => {
    const src = source(side);
    if (!src) return;
    if (!navigator.clipboard?.write || typeof ClipboardItem === 'undefined') {
      setStatus('This browser does not let pages copy pictures: use "Stage as PNG" and paste the file.');
      return;
    }
    try {
      // The promise goes into the item at once, inside the click, as Safari requires (the drawing
      // code may still be loading).
      const made = stageSvgOf(src, pick);
      const blob = made.then((out) => svgToPng(out.svg, out.width, out.height));
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })]);
      setStatus(`Copied the stage (${(await made).name}) as a PNG: paste it into a slide.`);
    } catch (e) {
      setStatus(
        `The picture could not be copied (${why(e)}): the browser did not allow it. Use "Stage as PNG" instead.`,
      );
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
    <>
      <h2 className="popover-title">The stage at this step</h2>
      {mode !== 'compare' && (
        <>
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
        </>
      )}
      {sides.map((side) => (
        <div className="export-row" key={`stage-${side}`}>
          <button type="button" className="button" onClick={() => void svg(side)}>
            Stage {side && `${side} `}as SVG
          </button>
          <button type="button" className="button" onClick={() => void png(side)}>
            Stage {side && `${side} `}as PNG
          </button>
          <button type="button" className="button" onClick={() => void copyPng(side)}>
            Copy {side && `${side} `}as PNG
          </button>
        </div>
      ))}
      <p className="popover-help">For slides: SVG stays sharp and editable, PNG pastes anywhere (2× size).</p>
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
  );
}
