import { describe, expect, it, vi } from 'vitest';
import { initStore, setEngineClient, useStore } from './store.ts';
import { defaultPreset, presetScenario } from './scenarioIO.ts';
import { paintCpu, setMask, setPages } from './edits.ts';
import { handleRequest } from '../worker/engine.worker.ts';
import { EngineClient } from '../worker/client.ts';
import { settle } from './storeTesting.ts';
import { activeRun, countersAt } from './derived.ts';

// No Worker in node: the client runs the engine on this thread, through the worker module.
setEngineClient(
  new EngineClient({ createWorker: () => null, inThread: (req) => handleRequest(req).response }),
);
/**
 * Until the run of the scenario on screen is in the store. No fixed wait: loading the engine the
 * first time takes over a second when the machine is busy.
 */

describe('the store', () => {
  it(
    'keeps the stage on the pages it shows after an edit; a new scenario opens at page 0',
    { timeout: 45_000 },
    async () => {
      initStore(setPages(presetScenario(defaultPreset()), 512));
      await settle();
      useStore.getState().setVisible(300, 19);
      useStore.getState().edit((x) => paintCpu(x, 305, 310, 0));
      await settle();
      expect(useStore.getState()).toMatchObject({ windowStart: 300, follow: false });
      useStore.getState().load(presetScenario(defaultPreset()));
      await settle();
      expect(useStore.getState()).toMatchObject({ windowStart: 0, follow: true });
    },
  );

  it(
    'runs the scenario it is given, and again after an edit; the player starts at 0',
    { timeout: 45_000 },
    async () => {
      initStore(presetScenario(defaultPreset()));
      await settle();
      let s = useStore.getState();
      const run = activeRun(s.scenario, s.run, s.runScenario);
      expect(run).not.toBeNull();
      s.toEnd();
      expect(countersAt(run, useStore.getState().cursor).faults).toBe(run!.result.faults.length);

      s.edit((x) => setMask(x, 0n));
      s = useStore.getState();
      expect(s.cursor).toBe(0);
      // Until the new run arrives, no run belongs to the scenario on screen.
      expect(activeRun(s.scenario, s.run, s.runScenario)).toBeNull();
      await settle();
      s = useStore.getState();
      expect(activeRun(s.scenario, s.run, s.runScenario)).not.toBeNull();
    },
  );

  it(
    'sends one first run when a link opens over the first scenario in the same task',
    { timeout: 45_000 },
    async () => {
      const sent: number[] = [];
      setEngineClient(
        new EngineClient({
          createWorker: () => null,
          inThread: (req) => {
            sent.push(req.scenario.range.pages);
            return handleRequest(req).response;
          },
        }),
      );
      try {
        initStore(presetScenario(defaultPreset()));
        initStore(setPages(presetScenario(defaultPreset()), 64));
        await settle();
        expect(sent).toEqual([64]);
      } finally {
        setEngineClient(
          new EngineClient({ createWorker: () => null, inThread: (req) => handleRequest(req).response }),
        );
      }
    },
  );

  it('undoes and redoes edits; a drag is one undo step', () => {
    const first = presetScenario(defaultPreset());
    initStore(first);
    const st = useStore.getState();
    st.edit((x) => paintCpu(x, 0, 0, 0), 'drag-1');
    useStore.getState().edit((x) => paintCpu(x, 1, 1, 0), 'drag-1');
    useStore.getState().endGesture();
    expect(useStore.getState().past).toHaveLength(1);
    useStore.getState().edit((x) => setMask(x, 0n));
    expect(useStore.getState().past).toHaveLength(2);
    useStore.getState().undo();
    useStore.getState().undo();
    expect(useStore.getState().scenario).toBe(first);
    useStore.getState().redo();
    expect(useStore.getState().scenario.cpu[1]).toBe(0);
    expect(useStore.getState().future).toHaveLength(1);
  });

  it('keeps a scenario with problems off the engine and lists them', { timeout: 45_000 }, async () => {
    const s = presetScenario(defaultPreset());
    initStore(s);
    await settle();
    expect(useStore.getState().checked).toBe(s);
    useStore.getState().edit((x) => ({ ...x, vmas: [...x.vmas, { ...x.vmas[0], from: 3 }] }));
    const edited = useStore.getState().scenario;
    // Not yet checked: the worker's verdict is on its way.
    expect(useStore.getState().checked).not.toBe(edited);
    await vi.waitFor(() => expect(useStore.getState().checked).toBe(edited), { timeout: 30_000 });
    const st = useStore.getState();
    expect(st.problems.length).toBeGreaterThan(0);
    expect(st.problems[0]).toMatch(/^vmas/);
    expect(st.runState).toBe('idle');
    expect(activeRun(st.scenario, st.run, st.runScenario)).toBeNull();
    // Undo brings back a scenario that passes: its problems go once the engine has checked it.
    useStore.getState().undo();
    await settle();
    expect(useStore.getState().problems).toEqual([]);
    expect(useStore.getState().checked).toBe(useStore.getState().scenario);
  });
});
