import { create } from 'zustand';
import type { Run, Scenario } from '../engine/types.ts';
import { EngineClient } from '../worker/client.ts';

/**
 * A comparison: two scenarios on the same address space (two request policies, or one policy on
 * two kernels), each with its own run, and one cursor over both traces. Its own store, apart
 * from the explorer's: comparing never edits the explorer's scenario or its undo history.
 */
export type SideId = 'a' | 'b';

export interface Side {
  scenario: Scenario;
  /** Schema problems, from the engine's worker (it checks each scenario before running it). */
  problems: string[];
  /** The worker has said whether the scenario passes; until then it is not linked. */
  checked: boolean;
  run: Run | null;
  runState: 'idle' | 'running' | 'ready' | 'error';
  runError: string | null;
}

export interface CompareState {
  a: Side | null;
  b: Side | null;
  /** What the pair shows, in one line ("pfn_flags_mask WRITE vs 0"). */
  caption: string;
  /** For a ready pair: one sentence on what the difference teaches. */
  lesson: string | null;
  cursor: number;
  playing: boolean;
  speed: number;
  windowStart: number;
  follow: boolean;
  /** Puts two scenarios side by side and runs both; the cursor goes back to the start. */
  setPair: (a: Scenario, b: Scenario, caption: string, lesson?: string | null) => void;
  /** Replaces one side's scenario (a policy change) and reruns it. */
  setSide: (id: SideId, s: Scenario) => void;
  setCursor: (c: number) => void;
  step: (d: number) => void;
  togglePlay: () => void;
  toStart: () => void;
  toEnd: () => void;
  setSpeed: (x: number) => void;
  scrollTo: (page: number, opts?: { follow?: boolean }) => void;
}

/** One engine per side: both run at once, and a new run of one never cancels the other's. */
const engines: Record<SideId, EngineClient | null> = { a: null, b: null };
function engine(id: SideId): EngineClient {
  engines[id] ??= new EngineClient();
  return engines[id];
}
/** Lets tests supply their own engine clients (node has no Worker). */
export function setCompareEngines(a: EngineClient, b: EngineClient): void {
  engines.a = a;
  engines.b = b;
}

/** The longer trace: the shared cursor runs over it; the shorter side waits at its end. */
export function compareLength(st: Pick<CompareState, 'a' | 'b'>): number {
  const la = st.a?.run?.trace.length ?? 0;
  const lb = st.b?.run?.trace.length ?? 0;
  return Math.max(la, lb);
}

export function bothReady(st: Pick<CompareState, 'a' | 'b'>): boolean {
  return st.a?.runState === 'ready' && st.b?.runState === 'ready';
}

function side(s: Scenario): Side {
  return { scenario: s, problems: [], checked: false, run: null, runState: 'running', runError: null };
}

export const useCompare = create<CompareState>()((set, get) => {
  const runSide = (id: SideId) => {
    const sd = get()[id];
    if (!sd) return;
    const scenario = sd.scenario;
    const current = () => {
      const now = get()[id];
      return now && now.scenario === scenario ? now : null;
    };
    const passed = () => {
      const now = current();
      if (now) set({ [id]: { ...now, checked: true } } as Partial<CompareState>);
    };
    void engine(id)
      .run(scenario, undefined, passed)
      .then((o) => {
        const now = current();
        if (!now || o.kind === 'superseded' || o.kind === 'cancelled') return;
        if (o.kind === 'problems')
          set({
            [id]: { ...now, problems: o.problems, checked: true, runState: 'idle' },
          } as Partial<CompareState>);
        else if (o.kind === 'error')
          set({ [id]: { ...now, runState: 'error', runError: o.message } } as Partial<CompareState>);
        else
          set({ [id]: { ...now, run: o.run, runState: 'ready', runError: null } } as Partial<CompareState>);
      });
  };
  const clamp = (c: number) => Math.max(0, Math.min(compareLength(get()), Math.round(c)));
  return {
    a: null,
    b: null,
    caption: '',
    lesson: null,
    cursor: 0,
    playing: false,
    speed: 1,
    windowStart: 0,
    follow: true,
    setPair: (a, b, caption, lesson = null) => {
      set({
        a: side(a),
        b: side(b),
        caption,
        lesson,
        cursor: 0,
        playing: false,
        windowStart: 0,
        follow: true,
      });
      runSide('a');
      runSide('b');
    },
    setSide: (id, s) => {
      set({ [id]: side(s), cursor: 0, playing: false } as Partial<CompareState>);
      runSide(id);
    },
    setCursor: (c) => set({ cursor: clamp(c) }),
    step: (d) => set({ cursor: clamp(get().cursor + d), playing: false }),
    togglePlay: () => {
      const st = get();
      if (st.playing) return set({ playing: false });
      if (!bothReady(st)) return;
      // Play at the end starts over, as media players do.
      set({ playing: true, follow: true, cursor: st.cursor >= compareLength(st) ? 0 : st.cursor });
    },
    toStart: () => set({ cursor: 0, playing: false }),
    toEnd: () => set({ cursor: compareLength(get()), playing: false }),
    setSpeed: (x) => set({ speed: Math.max(0.25, Math.min(4, x)) }),
    scrollTo: (page, opts = {}) =>
      set({ windowStart: Math.max(0, Math.floor(page)), follow: opts.follow ?? false }),
  };
});
