import { describe, expect, it, vi } from 'vitest';
import { initStore, setEngineClient, useStore } from './store.ts';
import { defaultPreset, presetScenario } from './scenarioIO.ts';
import { paintCpu, setMask } from './edits.ts';
import { EngineClient } from '../worker/client.ts';
import { activeRun, countersAt } from './derived.ts';

// No Worker in node: the client runs the engine on this thread, through the worker module.
setEngineClient(new EngineClient({ createWorker: () => null }));
/** Waits for the run of the scenario in the store (no fixed delay: a busy machine takes longer). */
const settle = () =>
  vi.waitFor(
    () => {
      const s = useStore.getState();
      expect(activeRun(s.scenario, s.run, s.runScenario)).not.toBeNull();
    },
    { timeout: 30_000, interval: 20 },
  );

describe('the store', () => {
  it('runs the scenario it is given, and again after an edit; the player starts at 0', async () => {
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
  });

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

  it('keeps a scenario with problems off the engine and lists them', () => {
    const s = presetScenario(defaultPreset());
    initStore(s);
    useStore.getState().edit((x) => ({ ...x, vmas: [...x.vmas, { ...x.vmas[0], from: 3 }] }));
    expect(useStore.getState().problems.length).toBeGreaterThan(0);
  });
});
