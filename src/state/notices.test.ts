import { describe, expect, it, vi } from 'vitest';
import { MAX_NOTICES, initStore, rerun, setEngineClient, useStore } from './store.ts';
import type { Notice } from './store.ts';
import { defaultPreset, presetScenario } from './scenarioIO.ts';
import { handleRequest } from '../worker/engine.worker.ts';
import { EngineClient } from '../worker/client.ts';
import { settle } from './storeTesting.ts';

/** While set, the engine does not answer: a run stays running (to be cancelled). */
let held: Promise<void> | null = null;
setEngineClient(
  new EngineClient({
    createWorker: () => null,
    inThread: async (req) => {
      if (held) await held;
      return handleRequest(req).response;
    },
  }),
);

const titles = () => useStore.getState().notices.map((n) => n.title);
const unsaved: Notice = { kind: 'error', title: 'Your edits are not being saved', lines: [], lasting: true };
const linkProblem: Notice = { kind: 'error', title: 'This link is damaged', lines: [] };

describe('the messages on screen', () => {
  it('are added, not replaced; one with the same title comes back once, last', () => {
    initStore(presetScenario(defaultPreset()), { notice: linkProblem });
    const st = useStore.getState();
    st.notify(unsaved);
    expect(titles()).toEqual([linkProblem.title, unsaved.title]);
    st.notify({ ...linkProblem, lines: ['s: damaged'] });
    expect(titles()).toEqual([unsaved.title, linkProblem.title]);
    expect(useStore.getState().notices[1].lines).toEqual(['s: damaged']);
  });

  it(`keep to ${MAX_NOTICES}: the oldest makes way`, () => {
    initStore(presetScenario(defaultPreset()));
    for (let i = 0; i <= MAX_NOTICES; i++)
      useStore.getState().notify({ kind: 'info', title: `m${i}`, lines: [] });
    expect(titles()).toEqual(Array.from({ length: MAX_NOTICES }, (_, i) => `m${i + 1}`));
  });

  it('are dismissed one by one', () => {
    initStore(presetScenario(defaultPreset()), { notice: linkProblem });
    useStore.getState().notify(unsaved);
    useStore.getState().dismiss(useStore.getState().notices[0]);
    expect(titles()).toEqual([unsaved.title]);
  });

  it('about the scenario go when another one is loaded; those about the app stay', () => {
    initStore(presetScenario(defaultPreset()), { notice: linkProblem });
    useStore.getState().notify(unsaved);
    const opened: Notice = { kind: 'info', title: 'Opened “x.json”', lines: [] };
    useStore.getState().load(presetScenario(defaultPreset()), { notice: opened });
    expect(titles()).toEqual([unsaved.title, opened.title]);
  });

  it(
    'the engine’s own message does not hide another, and a good run takes away only its own',
    { timeout: 45_000 },
    async () => {
      initStore(presetScenario(defaultPreset()));
      await settle();
      useStore.getState().notify(unsaved);
      let answer = () => {};
      held = new Promise((r) => (answer = r));
      rerun();
      // The run starts after the typing pause, and waits for the engine: cancelled while it runs.
      await vi.waitFor(() => expect(useStore.getState().runState).toBe('running'), { timeout: 30_000 });
      useStore.getState().cancelRun();
      held = null;
      answer();
      expect(titles()).toEqual([unsaved.title, expect.stringMatching(/^Run cancelled/)]);
      rerun();
      await settle();
      expect(titles()).toEqual([unsaved.title]);
    },
  );
});
