import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { activeRun, currentEvent } from '../../state/derived.ts';
import { generation } from '../../engine/kernels/registry.ts';
import type { Kernel } from '../../engine/kernels/registry.ts';
import { lineFor, linesLit, listingNow, loadListing } from './pseudocode.ts';
import type { Listing } from './pseudocode.ts';

const select = (s: Store) => ({
  kernel: s.scenario.kernel,
  run: activeRun(s.scenario, s.run, s.runScenario),
  cursor: s.cursor,
});

/** The code box's line height and height, as global.css sets them (.code). */
const LINE_PX = 20;
const BOX_PX = 520;

const TOKEN =
  /(\/\*.*?\*\/|\/\/.*$)|\b(if|else|return|for|do|while|goto|static|int|long|void|bool|unsigned|uint64_t|struct|const|true|false)\b|\b([A-Z][A-Z0-9_]{2,})\b|\b([a-z_][a-z0-9_]*)(?=\()|(-E[A-Z]+)/g;

/** Light syntax colouring: comments, keywords, CONSTANTS, calls, errnos. */
function highlight(text: string): React.ReactNode[] {
  const out: React.ReactNode[] = [];
  let last = 0;
  let m: RegExpExecArray | null;
  TOKEN.lastIndex = 0;
  while ((m = TOKEN.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const cls = m[1] ? 'tk-comment' : m[2] ? 'tk-kw' : m[3] ? 'tk-const' : m[4] ? 'tk-fn' : 'tk-err';
    out.push(
      <span key={m.index} className={cls}>
        {m[0]}
      </span>,
    );
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** The kernel's listing once its text has loaded; null until then (the box keeps its size). */
function useListing(kernel: Kernel): Listing | null {
  const [loaded, setLoaded] = useState<Listing | null>(() => listingNow(kernel));
  useEffect(() => {
    let live = true;
    // A listing already in place (loaded at the start) is the same object: no second render.
    void loadListing(kernel).then((l) => {
      if (live) setLoaded(l);
    });
    return () => {
      live = false;
    };
  }, [kernel]);
  // Another kernel's listing is never shown while this one's loads.
  return loaded?.kernel === kernel ? loaded : null;
}

/**
 * One line of the listing. Memoised: a step changes the marks of a few lines, and the listing has
 * a hundred or more. A line never changes its look on a step (only its aria-current): the marks
 * are drawn by the layers under and over the text (CodeMarks), so a step restyles, lays out and
 * repaints none of the listing's text.
 */
const CodeLine = memo(function CodeLine({
  i,
  text,
  current,
}: {
  i: number;
  text: ReactNode[];
  current: boolean;
}) {
  return (
    <div data-line={i} className="code-line" aria-current={current ? 'step' : undefined}>
      <LineContent i={i} text={text} />
    </div>
  );
});

function LineContent({ i, text }: { i: number; text: ReactNode[] }) {
  return (
    <>
      <span className="ln" aria-hidden="true">
        {i + 1}
      </span>
      <span className="lt">{text.length ? text : ' '}</span>
    </>
  );
}

/** A lit line's tint and its rule on the left (as the current line's, lighter). */
const LIT_TINT = 'color-mix(in srgb, var(--walk) 7%, transparent)';
const LIT_RULE = 'color-mix(in srgb, var(--walk) 45%, transparent)';

/**
 * The lines the step came through as one background (a tint and a rule per lit line), so a step
 * changes one element's style: no element is added or removed, and the page's layers stay as
 * they are (adding or removing one costs a new layerization of the whole page).
 */
function litBackground(lines: readonly number[], colour: string): string {
  if (lines.length === 0) return 'none';
  const stops = lines.flatMap((i) => [
    `transparent ${i * LINE_PX}px`,
    `${colour} ${i * LINE_PX}px ${(i + 1) * LINE_PX}px`,
    `transparent ${(i + 1) * LINE_PX}px`,
  ]);
  return `linear-gradient(${stops.join(', ')})`;
}

/**
 * The current line's highlight and the lines the step came through, drawn apart from the text:
 * the lit lines as tints under it, the current line as an opaque copy of itself (bold number and
 * comment) over it, moved to its line by a transform (above the box when there is none). A step
 * then repaints these two boxes, not the listing (3,000 px of text in one layer), and the copy
 * moves on the compositor. The copy is hidden from assistive technology: the line itself says
 * aria-current.
 */
function CodeMarks({
  line,
  lit,
  text,
}: {
  line: number;
  lit: ReadonlySet<number>;
  text: ReactNode[] | undefined;
}) {
  // The current line has its own mark (the copy over the text), not a lit line's.
  const litLines = [...lit].filter((l) => l !== line).sort((a, b) => a - b);
  return (
    <>
      <div
        className="code-lit"
        aria-hidden="true"
        style={{ backgroundImage: litBackground(litLines, LIT_TINT) }}
      />
      <div
        className="code-lit-rule"
        aria-hidden="true"
        style={{ backgroundImage: litBackground(litLines, LIT_RULE) }}
      />
      <div
        className="code-line current code-now"
        aria-hidden="true"
        style={{ transform: `translateY(${(line >= 0 && text ? line : -2) * LINE_PX}px)` }}
      >
        {line >= 0 && text && <LineContent i={line} text={text} />}
      </div>
    </>
  );
}

/** The chosen kernel's code, with the line the cursor's step executes highlighted. */
export function Pseudocode() {
  const { kernel, run, cursor } = useStore(useShallow(select));
  const listing = useListing(kernel);
  const models = generation(kernel).pseudocode.models;
  const ev = currentEvent(run, cursor);
  const line = listing ? lineFor(listing, ev) : -1;
  // The lines the step ran through on its way to its statement (conditions, callee branch).
  const lit = useMemo(() => (listing ? linesLit(listing, ev) : new Set<number>()), [listing, ev]);
  const box = useRef<HTMLDivElement>(null);
  const rendered = useMemo(() => (listing ? listing.lines.map((l) => highlight(l.text)) : []), [listing]);

  // The jump is instant: a smooth scroll is an animation the main thread repaints frame by frame,
  // and a new one started on every step or slider move (it cost more than the step's render).
  // The box is read and scrolled once the step's frame is drawn, not in this commit: scrollTop
  // (read or set) lays out the page, and right after a step's commit the whole page is waiting to
  // be laid out; once the frame is drawn it has been, and the scroll only moves the box. Two
  // frames: a callback asked for now runs before this frame's layout, the one it asks for after.
  useEffect(() => {
    const c = box.current;
    if (!c || line < 0) return;
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => {
        const y = line * LINE_PX;
        const at = c.scrollTop;
        // Keep the line in the top third of the box, two lines of context above it: the box may
        // be only partly scrolled into view, and its top is the part a reader sees.
        if (y < at + LINE_PX || y > at + BOX_PX / 3) c.scrollTop = Math.max(0, y - 2 * LINE_PX);
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [line]);

  return (
    <section className="panel code-panel" aria-labelledby="code-title">
      <h3 id="code-title">
        Pseudocode <span className="muted">models {models}</span>
      </h3>
      <div
        className="code"
        ref={box}
        tabIndex={0}
        role="region"
        aria-label={`Pseudocode of ${models}`}
        aria-busy={listing ? undefined : true}
      >
        <div className="code-body">
          <CodeMarks line={line} lit={lit} text={rendered[line]} />
          <div className="pre">
            {rendered.map((text, i) => (
              <CodeLine key={i} i={i} text={text} current={i === line} />
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}
