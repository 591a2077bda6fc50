import { describe, expect, it, vi } from 'vitest';
import type { Scenario } from '../engine/types.ts';
import { run } from '../engine/run.ts';
import { parseScenario } from '../engine/scenario/parse.ts';
import { defaultPreset } from '../state/scenarioIO.ts';
import { EngineClient, deadline } from './client.ts';
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
  it('starts its worker when warmed, and the first run goes to that worker', async () => {
    const { c, workers } = client();
    c.warm();
    expect(workers).toHaveLength(1);
    c.warm();
    expect(workers).toHaveLength(1);
    const p = c.run(scenario());
    expect(workers).toHaveLength(1);
    expect(workers[0].inbox).toHaveLength(1);
    workers[0].answer();
    expect((await p).kind).toBe('done');
  });

  it('runs a scenario in the worker and returns the run', async () => {
    const { c, workers } = client();
    const p = c.run(scenario());
    workers[0].answer();
    const out = await p;
    expect(out.kind).toBe('done');
    if (out.kind === 'done') expect(out.run.result.status).toBe('returned');
  });

  it('gets the call stacks as one table of distinct stacks, and gives each event its stack back', async () => {
    const s = scenario();
    const want = run(s).trace.map((e) => e.stack);
    const { response } = handleRequest({ type: 'run', id: 1, scenario: s });
    if (response.type !== 'result') throw new Error(response.type);
    // Posted: no event's stack, but a table that holds each stack once, and an index per event.
    expect(response.run.trace.every((e) => e.stack === '')).toBe(true);
    expect(new Set(response.stacks.table).size).toBe(response.stacks.table.length);
    expect(response.stacks.table.length).toBeLessThan(want.length);
    expect(response.stacks.ids).toHaveLength(want.length);
    const { c, workers } = client();
    const p = c.run(s);
    const req = workers[0].inbox.shift()!;
    // As postMessage delivers it: a structured clone.
    workers[0].onmessage?.({
      data: structuredClone({ ...response, id: req.id }),
    } as MessageEvent<WorkerResponse>);
    const out = await p;
    if (out.kind !== 'done') throw new Error(out.kind);
    const got = out.run.trace.map((e) => e.stack);
    expect(got).toEqual(want);
    // One string per distinct stack, shared by its events.
    const first = new Map<string, string>();
    for (const g of got) first.set(g, first.get(g) ?? g);
    expect(got.every((g) => first.get(g) === g)).toBe(true);
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

  it('retries a crashed run once on a fresh worker; a second crash is an error; the next run works', async () => {
    const { c, workers, restarts } = client();
    const s = scenario();
    const p = c.run(s);
    workers[0].crash('out of memory');
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(workers[1].inbox).toHaveLength(1);
    workers[1].crash('out of memory');
    const out = await p;
    expect(out.kind).toBe('error');
    if (out.kind === 'error') expect(out.message).toContain('out of memory');
    expect(restarts).toEqual(['out of memory', 'out of memory']);
    // The caller still has its scenario: running it again uses a fresh worker.
    const again = c.run(s);
    expect(workers).toHaveLength(3);
    workers[2].answer();
    expect((await again).kind).toBe('done');
  });

  it('a crash followed by a good retry is a run', async () => {
    const retries: string[] = [];
    const workers: FakeWorker[] = [];
    const c = new EngineClient({
      createWorker: () => (workers.push(new FakeWorker()), workers.at(-1) as unknown as Worker),
      onRetry: (what) => retries.push(what),
    });
    const p = c.run(scenario());
    workers[0].crash('killed');
    workers[1].answer();
    expect((await p).kind).toBe('done');
    expect(retries).toEqual([
      'The engine worker crashed (killed); it was restarted and the run tried again.',
    ]);
  });

  it('replaces a worker that stays silent past the deadline, retries once, then gives up', async () => {
    vi.useFakeTimers();
    try {
      const workers: FakeWorker[] = [];
      const c = new EngineClient({
        createWorker: () => (workers.push(new FakeWorker()), workers.at(-1) as unknown as Worker),
        deadlineMs: () => 1000,
      });
      const p = c.run(scenario());
      vi.advanceTimersByTime(1000);
      expect(workers[0].terminated).toBe(true);
      expect(workers[1].inbox).toHaveLength(1);
      vi.advanceTimersByTime(1000);
      const out = await p;
      expect(out.kind).toBe('error');
      if (out.kind === 'error') expect(out.message).toMatch(/did not answer \(no answer in 1 s\), twice/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('turns an answer that is not a run into an error, not a run to draw', async () => {
    const { c, workers } = client();
    const p = c.run(scenario());
    const req = workers[0].inbox.shift()!;
    workers[0].onmessage?.({
      data: { type: 'result', id: req.id, run: { trace: 'x' }, ms: 1 },
    } as unknown as MessageEvent<WorkerResponse>);
    const out = await p;
    expect(out.kind).toBe('error');
    if (out.kind === 'error') expect(out.message).toContain('cannot be read');
  });

  it('turns a run whose stack table does not cover its events into an error', async () => {
    const s = scenario();
    const { response } = handleRequest({ type: 'run', id: 1, scenario: s });
    if (response.type !== 'result') throw new Error(response.type);
    const { table, ids } = response.stacks;
    const broken = [
      { table, ids: ids.map((i, k) => (k === ids.length - 1 ? table.length : i)) },
      { table: [...table.slice(0, -1), 7], ids },
      { table, ids: ids.slice(1) },
    ];
    for (const stacks of broken) {
      const { c, workers } = client();
      const p = c.run(s);
      const req = workers[0].inbox.shift()!;
      workers[0].onmessage?.({
        data: { ...structuredClone(response), id: req.id, stacks },
      } as unknown as MessageEvent<WorkerResponse>);
      const out = await p;
      expect(out.kind).toBe('error');
      if (out.kind === 'error') expect(out.message).toContain('cannot be read');
    }
  });

  it('cancels the run in flight and stops its worker', async () => {
    const { c, workers } = client();
    const p = c.run(scenario());
    c.cancel();
    expect(await p).toEqual({ kind: 'cancelled' });
    expect(workers[0].terminated).toBe(true);
  });

  it('gives a large run a longer deadline than a small one', () => {
    const s = scenario();
    const big = { ...s, range: { ...s.range, pages: 1 << 20 } };
    expect(deadline(big)).toBeGreaterThan(100 * deadline(s));
    // Never past what setTimeout can wait for (a longer delay would fire at once).
    const huge = { ...big, concurrent: Array.from({ length: 2000 }, () => s.concurrent[0] ?? ({} as never)) };
    expect(deadline(huge)).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it('reports an engine exception as an error with its message', async () => {
    const { c, workers } = client();
    const p = c.run(scenario());
    const id = workers[0].inbox[0].id;
    workers[0].onmessage?.({
      data: { type: 'error', id, message: 'TypeError: boom' },
    } as MessageEvent<WorkerResponse>);
    const out = await p;
    expect(out).toEqual({ kind: 'error', message: 'The engine stopped with an error: TypeError: boom' });
  });

  it('checks the scenario first: problems come back as such, and nothing runs', async () => {
    const { c, workers } = client();
    const s = scenario();
    const bad = { ...s, vmas: [...s.vmas, { ...s.vmas[0], from: 3 }] };
    const valid = vi.fn();
    const p = c.run(bad, undefined, valid);
    workers[0].answer();
    const out = await p;
    expect(out.kind).toBe('problems');
    if (out.kind !== 'problems') return;
    expect(out.problems.length).toBeGreaterThan(0);
    expect(out.problems.every((l) => /^[\w.[\]]+: /.test(l))).toBe(true);
    expect(valid).not.toHaveBeenCalled();
  });

  it('says a scenario passed before its run is done, once', async () => {
    const posted: unknown[] = [];
    const { response } = handleRequest({ type: 'run', id: 7, scenario: scenario() }, false, (m) =>
      posted.push(m),
    );
    expect(posted).toEqual([{ type: 'valid', id: 7 }]);
    expect(response.type).toBe('result');
    const { c, workers } = client();
    const valid = vi.fn();
    const p = c.run(scenario(), undefined, valid);
    const id = workers[0].inbox[0].id;
    workers[0].onmessage?.({ data: { type: 'valid', id } } as unknown as MessageEvent<WorkerResponse>);
    expect(valid).toHaveBeenCalledTimes(1);
    workers[0].answer();
    expect((await p).kind).toBe('done');
    expect(valid).toHaveBeenCalledTimes(1);
  });

  it('runs on the calling thread when there is no Worker', async () => {
    const c = new EngineClient({ createWorker: () => null, inThread: (req) => handleRequest(req).response });
    const out = await c.run(scenario());
    expect(out.kind).toBe('done');
  });
});
