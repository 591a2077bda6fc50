import type { Scenario } from '../engine/types.ts';
import { initStore, useStore } from '../state/store.ts';
import { useMode } from '../state/mode.ts';
import { useTour } from '../state/tour.ts';
import { usePredict } from '../state/predict.ts';
import { useCompare } from '../state/compare.ts';
import { activeRun } from '../state/derived.ts';
import { anchorAt, describeAnchor, resolveAnchor } from '../state/anchor.ts';
import type { Anchor } from '../state/anchor.ts';
import { formatLink } from '../state/linkFormat.ts';
import type { AppLink, LinkView } from '../state/linkFormat.ts';
import { loadMode, switchMode } from './modes.ts';
import type * as TourMode from './tour/tourMode.ts';
import type * as PredictMode from './predict/predictMode.ts';

/**
 * The app's state as a link and back: what is on screen (the view, its scenario or scenarios,
 * the moment) as an AppLink, and an AppLink opened in the app. The format itself is
 * state/link.ts; this is where it meets the views.
 */

/** The moment of a cursor over a trace, durable; null at the start (the default). */
function momentOf(trace: readonly Parameters<typeof anchorAt>[0][number][], cursor: number): Anchor | null {
  if (cursor <= 0) return null;
  return anchorAt(trace, cursor);
}

/** What is on screen, as a link's state and moment. */
export function currentLink(): Pick<AppLink, 'state' | 'at'> {
  const mode = useMode.getState().mode;
  const s = useStore.getState();
  const run = activeRun(s.scenario, s.run, s.runScenario);
  const at = run ? momentOf(run.trace, s.cursor) : null;
  if (mode === 'tour')
    return { state: { view: 'tour', tour: useTour.getState().tour, step: useTour.getState().step + 1 }, at };
  if (mode === 'predict') {
    const q = usePredict.getState().question;
    // A prediction opens before its run: the moment is the answer's, not the link's.
    return {
      state: q ? { view: 'predict', question: q } : { view: 'predict', question: null, scenario: s.scenario },
      at: null,
    };
  }
  if (mode === 'compare') {
    const c = useCompare.getState();
    if (c.a && c.b) {
      const ta = c.a.run?.trace;
      // The shared cursor is named on side A's trace; past A's end (B runs longer) by its number.
      const moment: Anchor | null =
        c.cursor <= 0
          ? null
          : ta && c.cursor <= ta.length
            ? anchorAt(ta, c.cursor)
            : { kind: 'step', step: c.cursor };
      return {
        state: { view: 'compare', a: c.a.scenario, b: c.b.scenario, caption: c.caption || null },
        at: moment,
      };
    }
  }
  return { state: { view: 'explore', scenario: s.scenario }, at };
}

/** The address of what is on screen: this page with the state's link. */
export function currentUrl(opts: { readable?: boolean } = {}): string {
  return `${location.origin}${location.pathname}${location.search}${formatLink(currentLink(), opts)}`;
}

/** A moment to open once the run it belongs to has arrived (runs come from a worker). */
let pending: { at: Anchor; where: 'main' | 'compare' } | null = null;

export function hasPendingMoment(): boolean {
  return pending !== null;
}

function placeAt(at: Anchor, trace: Parameters<typeof resolveAnchor>[1], setCursor: (c: number) => void) {
  const r = resolveAnchor(at, trace);
  setCursor(r.cursor);
  if (!r.exact)
    useStore.getState().notify({
      kind: 'info',
      title: `The link’s moment, ${describeAnchor(at)}, is not in this run.`,
      lines: [r.note ?? ''],
    });
}

useStore.subscribe((s, prev) => {
  if (!pending || pending.where !== 'main' || s.run === prev.run) return;
  const run = activeRun(s.scenario, s.run, s.runScenario);
  if (!run) return;
  const { at } = pending;
  pending = null;
  // After the other listeners of this run (the tour's, which loads on entry and so listens after
  // this one, puts the cursor at the step's own moment): the link's moment is the last word.
  queueMicrotask(() => placeAt(at, run.trace, (c) => useStore.getState().setCursor(c)));
});

useCompare.subscribe((c, prev) => {
  if (!pending || pending.where !== 'compare' || (c.a === prev.a && c.b === prev.b)) return;
  if (c.a?.runState !== 'ready' || c.b?.runState !== 'ready') return;
  const { at } = pending;
  pending = null;
  placeAt(at, c.a.run!.trace, (n) => useCompare.getState().setCursor(n));
});

function defaultCaption(a: Scenario, b: Scenario): string {
  const t = (s: Scenario) => s.title || 'a scenario';
  return a.title === b.title ? `${t(a)}: A vs B` : `${t(a)} vs ${t(b)}`;
}

/** The tour's module (its chapters and their scenarios): loaded when a link or the user opens it. */
const tourMode = async () => (await loadMode<typeof TourMode>('tour'))!;
/** The predict view's module (the ready questions): loaded when a link or the user opens it. */
const predictMode = async () => (await loadMode<typeof PredictMode>('predict'))!;

/**
 * Opens a link's state: its view, its scenario (undoable, like a preset), its moment once the
 * run is there. False when the view has no such place (a tour step or question out of range).
 * A tour step or a question loads its view's module first (main.tsx awaits it before the first
 * render, so the app never shows the explorer first).
 */
export async function openLink(link: AppLink, first = false): Promise<boolean> {
  const st: LinkView = link.state;
  pending = null;
  const store = useStore.getState();
  let ok = true;
  switch (st.view) {
    case 'explore':
      switchMode('explore');
      // The app's first scenario has nothing to undo back to.
      if (first) initStore(st.scenario, { watch: link.watch });
      else store.load(st.scenario, { watch: link.watch });
      break;
    case 'tour':
      ok = (await tourMode()).openStep(st.step, st.tour);
      break;
    case 'predict':
      if (st.question !== null) ok = (await predictMode()).openQuestion(st.question);
      else {
        await predictMode();
        store.load(st.scenario, { watch: link.watch });
        switchMode('predict');
      }
      break;
    case 'compare': {
      useCompare.getState().setPair(st.a, st.b, st.caption ?? defaultCaption(st.a, st.b));
      switchMode('compare');
      break;
    }
  }
  if (ok && link.at) pending = { at: link.at, where: st.view === 'compare' ? 'compare' : 'main' };
  return ok;
}

/** The state on screen as a hash for the address bar, and whether its scenario is the user's own. */
export function currentHash(unjudged = false): { hash: string | null; own: boolean } {
  const mode = useMode.getState().mode;
  const s = useStore.getState();
  const own = mode === 'explore';
  // While playing, the moment changes several times a second: the address waits for the pause.
  if (s.playing || useCompare.getState().playing) return { hash: null, own };
  // A link's moment not yet placed (its run is on the way): the address keeps the link as followed.
  if (pending) return { hash: null, own };
  if (mode === 'compare') {
    const c = useCompare.getState();
    // A scenario the engine has not checked yet (just edited) waits for its verdict, unless the
    // page is going away (see LinkHandlers.current).
    const linkable = (sd: typeof c.a) => sd && (sd.checked ? !sd.problems.length : unjudged);
    if (!linkable(c.a) || !linkable(c.b)) return { hash: null, own };
  } else if (s.checked === s.scenario ? s.problems.length : !unjudged) return { hash: null, own };
  return { hash: formatLink(currentLink()), own };
}

/** Calls `changed` after anything that changes currentHash(). */
export function watchLink(changed: () => void): void {
  useStore.subscribe((s, p) => {
    if (
      s.scenario !== p.scenario ||
      s.checked !== p.checked ||
      s.cursor !== p.cursor ||
      s.playing !== p.playing ||
      s.run !== p.run
    )
      changed();
  });
  useMode.subscribe((m, p) => {
    if (m.mode !== p.mode) changed();
  });
  useTour.subscribe((t, p) => {
    if (t.step !== p.step) changed();
  });
  usePredict.subscribe((t, p) => {
    if (t.question !== p.question || t.scenario !== p.scenario) changed();
  });
  useCompare.subscribe((c, p) => {
    if (c.a !== p.a || c.b !== p.b || c.cursor !== p.cursor || c.playing !== p.playing) changed();
  });
}

/** What an embed shows: a stage, a tour step with its text, or a comparison. */
export type EmbedKind = 'stage' | 'tour' | 'compare';

/**
 * Opens a link in an embed: the same states, without switching views (an embed has its own
 * layout per kind) and without writing anywhere (the tour's resume point stays the reader's).
 */
export async function openEmbedLink(link: AppLink): Promise<EmbedKind | null> {
  const st = link.state;
  const store = useStore.getState();
  switch (st.view) {
    case 'explore':
      store.load(st.scenario, { watch: link.watch });
      return 'stage';
    case 'predict': {
      if (st.question === null) {
        store.load(st.scenario, { watch: link.watch });
        return 'stage';
      }
      const { questionByNumber, questionScenario } = await import('./predict/questions.ts');
      const q = questionByNumber(st.question);
      if (!q) return null;
      store.load(questionScenario(q), { watch: null });
      return 'stage';
    }
    case 'tour': {
      const { tourById, stepScenario } = await tourMode();
      const step = tourById(st.tour).steps[st.step - 1];
      if (!step) return null;
      const s = stepScenario(step);
      useTour.setState({ step: st.step - 1, tour: st.tour, loaded: s, tried: false });
      store.load(s, { watch: null });
      return 'tour';
    }
    case 'compare':
      useCompare.getState().setPair(st.a, st.b, st.caption ?? defaultCaption(st.a, st.b));
      return 'compare';
  }
}
