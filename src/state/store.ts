import { create } from 'zustand';
import type { StateCreator } from 'zustand';
import type { CpuState, Run, Scenario } from '../engine/types.ts';
import type { Observed } from '../engine/fixtures/compare.ts';
import { EngineClient } from '../worker/client.ts';

/**
 * The one store, in four slices (zustand's slices pattern): the scenario being edited with its
 * undo history, the run the engine returned for it, the player's cursor over that run's trace,
 * and view preferences. Actions live here; selectors live next to the components that use them;
 * anything computable from these fields (the state at the cursor, counters) is computed, not
 * stored (see derived.ts).
 */
export type Store = ScenarioSlice & RunSlice & PlayerSlice & ViewSlice;
type Slice<T> = StateCreator<Store, [], [], T>;

export interface Notice {
  kind: 'error' | 'info';
  title: string;
  lines: string[];
  /**
   * About the app, not the scenario on screen (edits not being saved, a new version installed):
   * it stays when another scenario is loaded. Others go with the scenario they came with.
   */
  lasting?: boolean;
}

/** The most messages on screen at once: an older one makes way for a new one beyond it. */
export const MAX_NOTICES = 4;

/** `list` with `n` added last; one with the same title is replaced, not repeated. */
function withNotice(list: Notice[], n: Notice): Notice[] {
  return [...list.filter((m) => m.title !== n.title), n].slice(-MAX_NOTICES);
}

/** What a real kernel did with a scenario (a kernel fixture), kept beside the scenario it was loaded as. */
export interface Recording {
  id: string;
  title: string;
  /** The kernel that recorded it ("Linux 6.1.192 (Debian 12), ..."). */
  kernel: string;
  observed: Observed;
  /** The scenario object loaded from it: the recording applies while the store holds this one. */
  scenario: Scenario;
}

export interface ScenarioSlice {
  scenario: Scenario;
  /**
   * Schema problems ("PATH: what is wrong") of the scenario `checked`; it is not run while any.
   * The engine's worker checks each scenario it is sent (the page does not load the schema for
   * edits), so after an edit `problems` still speaks of the scenario before it until the answer.
   */
  problems: string[];
  /** The scenario `problems` are about; until it is the current one, the scenario is not linked or saved. */
  checked: Scenario | null;
  /**
   * Messages the user must see (a link that could not be read, a worker crash, edits not being
   * saved), oldest first: a new one is added, it does not hide the others.
   */
  notices: Notice[];
  past: Scenario[];
  future: Scenario[];
  /** The open drag gesture: edits with the same key fold into one undo step. */
  gesture: string | null;
  /** One sentence about what to watch for, from the preset that was loaded. */
  watch: string | null;
  /** The scenario `watch` was written for (edits after it make the sentence approximate). */
  watchScenario: Scenario | null;
  /** A Linux 6.1 recording loaded as a preset: shown beside the run while its scenario is. */
  recorded: Recording | null;
  edit: (fn: (s: Scenario) => Scenario, gesture?: string) => void;
  endGesture: () => void;
  undo: () => void;
  redo: () => void;
  /** Replaces the scenario (preset, link, file); undoable. */
  load: (
    s: Scenario,
    opts?: { watch?: string | null; notice?: Notice | null; recorded?: Recording | null },
  ) => void;
  /** Shows a message beside those on screen. */
  notify: (n: Notice) => void;
  /** Takes a message away (the user dismissed it, or it is no longer true). */
  dismiss: (n: Notice) => void;
}

export interface RunSlice {
  run: Run | null;
  /** The scenario `run` was computed from (a run always matches the scenario it came from). */
  runScenario: Scenario | null;
  runState: 'idle' | 'running' | 'ready' | 'error';
  runError: string | null;
  runMs: number | null;
  /** When the run in flight was sent (Date.now()), for the progress shown on a long run. */
  runStarted: number | null;
  /**
   * Runs the current scenario: after a pause in editing, or at once with `now` (the first run at
   * load) or `play` (the player then starts from the beginning).
   */
  requestRun: (opts?: { play?: boolean; now?: boolean }) => void;
  /** Stops the run in flight; the scenario stays, Run starts it again. */
  cancelRun: () => void;
}

export interface PlayerSlice {
  cursor: number;
  playing: boolean;
  /** 0.25 .. 4: how fast steps follow each other (a step is always one trace event). */
  speed: number;
  setCursor: (c: number) => void;
  step: (delta: number) => void;
  play: () => void;
  pause: () => void;
  togglePlay: () => void;
  toStart: () => void;
  toEnd: () => void;
  setSpeed: (x: number) => void;
}

export type RequestBrush = 'none' | 'valid' | 'write' | 'custom';

export interface ViewSlice {
  theme: 'system' | 'light' | 'dark';
  cpuBrush: CpuState;
  requestBrush: RequestBrush;
  customRequest: bigint;
  /** The page the formula panel explains when the pointer or focus is on one (else the cursor's). */
  hoverPage: number | null;
  /** First page column shown by the stage; follows the walk unless the user scrolled. */
  windowStart: number;
  follow: boolean;
  /** The pages the explorer's stage shows now (exports take them; an edit keeps them in view). */
  visible: { start: number; count: number };
  /** The page selection being typed or picked on the stage ("100-199", "every 4th page"). */
  selection: string;
  editorOpen: boolean;
  setTheme: (t: ViewSlice['theme']) => void;
  setCpuBrush: (s: CpuState) => void;
  setRequestBrush: (b: RequestBrush, custom?: bigint) => void;
  setHoverPage: (p: number | null) => void;
  scrollTo: (page: number, opts?: { follow?: boolean }) => void;
  setEditorOpen: (open: boolean) => void;
  setVisible: (start: number, count: number) => void;
  setSelection: (text: string) => void;
}

const HISTORY_LIMIT = 200;

function narrowScreen(): boolean {
  return typeof window !== 'undefined' && !!window.matchMedia?.('(max-width: 700px)').matches;
}
/** Typing in a field or dragging a slider: wait for a pause before running. */
const RUN_DEBOUNCE_MS = 120;

let client: EngineClient | null = null;
/** Lets tests (and the fallback) supply their own engine client. */
export function setEngineClient(c: EngineClient): void {
  client = c;
}
function engine(): EngineClient {
  client ??= new EngineClient({
    onRestart: (why) => console.warn(`engine worker restarted: ${why}`),
    onRetry: (what) => {
      showEngineNotice({ kind: 'info', title: what, lines: [] });
    },
  });
  return client;
}

/** The engine's own message on screen (a failure, a retry): the next good run takes it away. */
let engineNotice: Notice | null = null;

/** Puts the engine's message on screen in place of its last one (null: takes it away). */
function showEngineNotice(n: Notice | null): void {
  const st = useStore.getState();
  if (engineNotice) st.dismiss(engineNotice);
  engineNotice = n;
  if (n) st.notify(n);
}

let runTimer: ReturnType<typeof setTimeout> | null = null;
/**
 * A new scenario (preset, link, file) opens at its first page; an edit's run keeps the view
 * where the user was working (a paint at page 300 stays at page 300).
 */
let resetViewOnRun = true;

/** Keeps the stage on the pages it shows while a scenario is edited (it no longer follows the walk). */
function pinView(s: Store): Pick<ViewSlice, 'windowStart' | 'follow'> {
  return { windowStart: s.visible.start, follow: false };
}
/**
 * What is known of a scenario's problems without asking the engine: the one the run on screen was
 * made from passed (an undo back to it). Others keep the last verdict until the engine's answer.
 */
function knownVerdict(s: Store, next: Scenario): Partial<ScenarioSlice> {
  return s.runScenario === next ? { problems: [], checked: next } : {};
}

/** Identifies the newest run request; an older answer is dropped. */
let runToken = 0;

const scenarioSlice: Slice<ScenarioSlice> = (set, get) => ({
  scenario: null as unknown as Scenario, // set by initStore before any render
  problems: [],
  checked: null,
  notices: [],
  past: [],
  future: [],
  gesture: null,
  watch: null,
  watchScenario: null,
  recorded: null,
  edit: (fn, gesture) => {
    const { scenario, past, gesture: open } = get();
    const next = fn(scenario);
    if (next === scenario) return;
    // A drag paints many cells; the whole drag is one undo step. The run on screen no longer
    // matches the scenario, so the player returns to the start of the one that replaces it.
    const fold = gesture !== undefined && gesture === open;
    set({
      scenario: next,
      past: fold ? past : [...past, scenario].slice(-HISTORY_LIMIT),
      future: [],
      gesture: gesture ?? null,
      cursor: 0,
      playing: false,
      ...knownVerdict(get(), next),
      ...pinView(get()),
    });
    get().requestRun();
  },
  endGesture: () => set({ gesture: null }),
  undo: () => {
    const { past, future, scenario } = get();
    if (!past.length) return;
    const prev = past[past.length - 1];
    set({
      scenario: prev,
      past: past.slice(0, -1),
      future: [scenario, ...future],
      gesture: null,
      cursor: 0,
      playing: false,
      ...knownVerdict(get(), prev),
      ...pinView(get()),
    });
    get().requestRun();
  },
  redo: () => {
    const { past, future, scenario } = get();
    if (!future.length) return;
    const next = future[0];
    set({
      scenario: next,
      past: [...past, scenario],
      future: future.slice(1),
      gesture: null,
      cursor: 0,
      playing: false,
      ...knownVerdict(get(), next),
      ...pinView(get()),
    });
    get().requestRun();
  },
  load: (s, opts = {}) => {
    const { scenario, past } = get();
    // The messages about the scenario before go with it; those about the app stay.
    const kept = get().notices.filter((n) => n.lasting);
    resetViewOnRun = true;
    set({
      scenario: s,
      past: scenario ? [...past, scenario].slice(-HISTORY_LIMIT) : past,
      future: [],
      gesture: null,
      // A new scenario: the last one's problems are not its own (the engine checks it now).
      problems: [],
      checked: null,
      cursor: 0,
      playing: false,
      watch: opts.watch ?? null,
      watchScenario: s,
      notices: opts.notice ? withNotice(kept, opts.notice) : kept,
      recorded: opts.recorded ?? null,
    });
    get().requestRun();
  },
  notify: (n) => set({ notices: withNotice(get().notices, n) }),
  dismiss: (n) => set({ notices: get().notices.filter((m) => m !== n) }),
});

const runSlice: Slice<RunSlice> = (set, get) => ({
  run: null,
  runScenario: null,
  runState: 'idle',
  runError: null,
  runMs: null,
  runStarted: null,
  cancelRun: () => {
    if (get().runState !== 'running') return;
    runToken++;
    engine().cancel();
    set({ runState: 'idle', runStarted: null });
    showEngineNotice({
      kind: 'info',
      title: 'Run cancelled. Your scenario is unchanged; Run starts it again.',
      lines: [],
    });
  },
  requestRun: (opts = {}) => {
    if (runTimer) clearTimeout(runTimer);
    const token = ++runToken;
    const start = () => {
      runTimer = null;
      const { scenario, problems, checked, run, runScenario } = get();
      if (checked === scenario && problems.length) {
        set({ runState: 'idle', playing: false });
        return;
      }
      // Same scenario already run (Run pressed again): just replay it.
      // (An undo back to it lands here too: it ran, so it passed the schema.)
      if (run && runScenario === scenario) {
        set({ cursor: 0, playing: !!opts.play, problems: [], checked: scenario });
        return;
      }
      set({ runState: 'running', runError: null, playing: false, runStarted: Date.now() });
      // The engine's verdict on the scenario comes before its run: the editor lists problems,
      // and the address and storage take the scenario, as soon as it is known.
      const passed = () => {
        if (token === runToken) set({ problems: [], checked: scenario });
      };
      void engine()
        .run(scenario, undefined, passed)
        .then((outcome) => {
          if (token !== runToken || outcome.kind === 'superseded' || outcome.kind === 'cancelled') return;
          if (outcome.kind === 'problems') {
            set({ problems: outcome.problems, checked: scenario, runState: 'idle', runStarted: null });
            return;
          }
          if (outcome.kind === 'error') {
            set({ runState: 'error', runError: outcome.message, runStarted: null });
            showEngineNotice({
              kind: 'error',
              title: 'The engine could not run this scenario',
              lines: [outcome.message],
            });
            return;
          }
          // A failure or retry message from before is no longer true.
          showEngineNotice(null);
          set({
            runStarted: null,
            run: outcome.run,
            runScenario: scenario,
            runState: 'ready',
            runMs: outcome.ms,
            cursor: 0,
            playing: !!opts.play,
            ...(resetViewOnRun || opts.play ? { windowStart: 0, follow: true } : {}),
          });
          resetViewOnRun = false;
        });
    };
    // An explicit Run, and the first run at load, start at once; edits wait for a pause in
    // typing or dragging.
    if (opts.play || opts.now) start();
    else runTimer = setTimeout(start, RUN_DEBOUNCE_MS);
  },
});

function traceLength(s: Store): number {
  return s.run ? s.run.trace.length : 0;
}

const playerSlice: Slice<PlayerSlice> = (set, get) => ({
  cursor: 0,
  playing: false,
  speed: 1,
  setCursor: (c) => {
    const max = traceLength(get());
    set({ cursor: Math.max(0, Math.min(max, Math.round(c))) });
  },
  step: (delta) => {
    const s = get();
    const max = traceLength(s);
    set({ cursor: Math.max(0, Math.min(max, s.cursor + delta)), playing: false });
  },
  play: () => {
    const s = get();
    if (!s.run) return;
    // Play at the end starts over, as media players do.
    set({ playing: true, cursor: s.cursor >= traceLength(s) ? 0 : s.cursor, follow: true });
  },
  pause: () => set({ playing: false }),
  togglePlay: () => (get().playing ? get().pause() : get().play()),
  toStart: () => set({ cursor: 0, playing: false }),
  toEnd: () => set({ cursor: traceLength(get()), playing: false }),
  setSpeed: (x) => set({ speed: Math.max(0.25, Math.min(4, x)) }),
});

const viewSlice: Slice<ViewSlice> = (set, get) => ({
  theme: 'system',
  cpuBrush: 'rw',
  requestBrush: 'write',
  customRequest: 0n,
  hoverPage: null,
  windowStart: 0,
  follow: true,
  visible: { start: 0, count: 0 },
  selection: '',
  // A phone opens on the stage (the editor is a tap away, above it). Decided before the first
  // render: closing the editor after the first paint would move everything under it.
  editorOpen: !narrowScreen(),
  setTheme: (theme) => set({ theme }),
  setCpuBrush: (cpuBrush) => set({ cpuBrush }),
  setRequestBrush: (requestBrush, custom) =>
    set(custom === undefined ? { requestBrush } : { requestBrush, customRequest: custom }),
  setHoverPage: (hoverPage) => set({ hoverPage }),
  scrollTo: (page, opts = {}) =>
    set({ windowStart: Math.max(0, Math.floor(page)), follow: opts.follow ?? false }),
  setEditorOpen: (editorOpen) => set({ editorOpen }),
  setVisible: (start, count) => {
    const v = get().visible;
    if (v.start !== start || v.count !== count) set({ visible: { start, count } });
  },
  setSelection: (selection) => set({ selection }),
});

export const useStore = create<Store>()((...a) => ({
  ...scenarioSlice(...a),
  ...runSlice(...a),
  ...playerSlice(...a),
  ...viewSlice(...a),
}));

/** Drops the run on screen and asks the engine again (after a run that could not be drawn). */
export function rerun(): void {
  useStore.setState({ run: null, runScenario: null, cursor: 0, playing: false });
  useStore.getState().requestRun();
}

/** Puts the first scenario in place (from the URL, storage or the default) and runs it. */
export function initStore(
  scenario: Scenario,
  opts: { watch?: string | null; notice?: Notice | null } = {},
): void {
  resetViewOnRun = true;
  useStore.setState({
    scenario,
    problems: [],
    checked: null,
    watch: opts.watch ?? null,
    watchScenario: scenario,
    notices: opts.notice ? [opts.notice] : [],
    past: [],
    future: [],
  });
  // The first run is sent at the end of this task, not now: boot opens the user's scenario, then a
  // link's over it, and a run already sent would be superseded (which replaces the worker).
  const seq = ++initSeq;
  queueMicrotask(() => {
    if (seq === initSeq) useStore.getState().requestRun({ now: true });
  });
}

/** The latest initStore: only its first run is sent. */
let initSeq = 0;

/**
 * Starts the engine's worker at page load, before any run is asked for: its module loads while
 * the page's own code does.
 */
export function startEngine(): void {
  engine().warm();
}

/**
 * Resolves once the scenario on screen has its run (or the run failed, or it has problems), or
 * after `ms`: the first render can wait that long to draw the stage once, with the run, instead
 * of drawing it empty and again a moment later.
 */
export function runSettled(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const settled = (s: Store) =>
      s.runState === 'error' || !!activeRunOf(s) || (s.runState === 'idle' && s.problems.length > 0);
    if (settled(useStore.getState())) return resolve();
    const timer = setTimeout(done, ms);
    const unsubscribe = useStore.subscribe((s) => {
      if (settled(s)) done();
    });
    function done() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

function activeRunOf(s: Store): boolean {
  return !!s.run && s.runScenario === s.scenario;
}
