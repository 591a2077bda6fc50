import { describe, expect, it } from 'vitest';
import type { Scenario } from '../engine/types.ts';
import { parseScenario } from '../engine/scenario/parse.ts';
import { defaultPreset } from '../state/scenarioIO.ts';
import { EngineClient } from './client.ts';
import { handleRequest } from './engine.worker.ts';
import type { RunRequest, WorkerResponse } from './protocol.ts';

function scenario(): Scenario {
  const r = parseScenario(defaultPreset().file);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.scenario;
}

/**
 * A stand-in for a Worker: it answers through the real worker module (handleRequest), when the
 * test says so, and can crash the way a worker does (an error event).
 */
class FakeWorker {
  onmessage: ((ev: MessageEvent<WorkerResponse>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  terminated = false;
  inbox: RunRequest[] = [];
  postMessage(req: RunRequest) {
    this.inbox.push(req);
  }
  terminate() {
    this.terminated = true;
  }
  answer() {
    const req = this.inbox.shift()!;
    const { response } = handleRequest(req);
    this.onmessage?.({ data: response } as MessageEvent<WorkerResponse>);
  }
  crash(message: string) {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
}

function client() {
  const workers: FakeWorker[] = [];
  const restarts: string[] = [];
  const c = new EngineClient({
    createWorker: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    onRestart: (why) => restarts.push(why),
  });
  return { c, workers, restarts };
}

describe('EngineClient', () => {
  it('runs a scenario in the worker and returns the run', async () => {
    const { c, workers } = client();
    const p = c.run(scenario());
    workers[0].answer();
    const out = await p;
    expect(out.kind).toBe('done');
    if (out.kind === 'done') expect(out.run.result.status).toBe('returned');
  });

  it('drops a run superseded by a newer one, and stops the busy worker', async () => {
    const { c, workers } = client();
    const first = c.run(scenario());
    const second = c.run({ ...scenario(), defaultFlags: 0n });
    expect(await first).toEqual({ kind: 'superseded' });
    expect(workers[0].terminated).toBe(true);
    workers[1].answer();
    const out = await second;
    expect(out.kind).toBe('done');
  });

  it('turns a crash into an error and restarts the worker; the next run works', async () => {
    const { c, workers, restarts } = client();
    const s = scenario();
    const p = c.run(s);
    workers[0].crash('out of memory');
    const out = await p;
    expect(out.kind).toBe('error');
    if (out.kind === 'error') expect(out.message).toContain('out of memory');
    expect(restarts).toEqual(['out of memory']);
    expect(workers[0].terminated).toBe(true);
    // The caller still has its scenario: running it again uses a fresh worker.
    const again = c.run(s);
    expect(workers).toHaveLength(2);
    workers[1].answer();
    expect((await again).kind).toBe('done');
  });

  it('reports an engine exception as an error with its message', async () => {
    const { c, workers } = client();
    const broken = { ...scenario(), cpu: null } as unknown as Scenario;
    const p = c.run(broken);
    workers[0].answer();
    const out = await p;
    expect(out.kind).toBe('error');
  });

  it('runs on the calling thread when there is no Worker', async () => {
    const c = new EngineClient({ createWorker: () => null, inThread: (req) => handleRequest(req).response });
    const out = await c.run(scenario());
    expect(out.kind).toBe('done');
  });
});
