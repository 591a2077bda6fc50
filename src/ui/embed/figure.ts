import type { Run } from '../../engine/types.ts';
import { useStore } from '../../state/store.ts';
import { describeAnchor, resolveAnchor } from '../../state/anchor.ts';
import type { Anchor } from '../../state/anchor.ts';
import type { StepRange } from '../player/Player.tsx';
import type { EmbedOptions } from './params.ts';

/** What every kind of figure is given: the embed's options and the link's moment. */
export interface FigureProps {
  options: EmbedOptions;
  at: Anchor | null;
}

/**
 * The moments of a figure resolved against the run the engine makes now: where the cursor
 * starts and the steps the player keeps to. A moment that no longer resolves opens at the
 * nearest one, and the figure says so.
 */
export function resolveRange(
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

export function notice(notes: string[], problems: string[]) {
  if (!notes.length && !problems.length) return;
  // A link that could not be read is said already: the options' problems join it, not replace it.
  const st = useStore.getState();
  const shown = st.notices.find((n) => n.kind === 'error');
  if (shown) {
    st.dismiss(shown);
    st.notify({ ...shown, lines: [...shown.lines, ...problems, ...notes] });
    return;
  }
  st.notify({
    kind: notes.length && !problems.length ? 'info' : 'error',
    title: problems.length
      ? 'Some of this figure’s options could not be read.'
      : 'A moment of this figure is not in the run the explorer makes now: it opens at the nearest one.',
    lines: [...problems, ...notes],
  });
}
