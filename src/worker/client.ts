import type { Run, RunOptions, Scenario } from '../engine/types.ts';
import { unpackStacks, type StackTable } from '../engine/trace/stacks.ts';
import type { RunRequest, ValidMessage, WorkerResponse } from './protocol.ts';

export type RunOutcome =
  | { kind: 'done'; run: Run; ms: number }
  /** The scenario does not pass the schema ("PATH: what is wrong" lines); nothing ran. */
  | { kind: 'problems'; problems: string[] }
  /** A newer request replaced this one before it finished; its result is dropped. */
  | { kind: 'superseded' }
  /** The user stopped it (cancel()). */
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

export interface EngineClientOptions {
  /** Makes the worker; null runs the engine through `inThread` instead. */
  createWorker?: () => Worker | null;
  /**
   * The engine on the calling thread, for when there is no worker (tests in node). Passed in
   * rather than imported here: an import of the worker module would build the engine a second
   * time, as a chunk no supported browser fetches.
   */
  inThread?: (req: RunRequest) => WorkerResponse | Promise<WorkerResponse>;
  /** Told when the worker is replaced after a crash, so the UI can say so. */
  onRestart?: (why: string) => void;
  /** Told when a run is sent again to a fresh worker after its first worker died or went silent. */
  onRetry?: (why: string) => void;
  /** How long a run may go without an answer before its worker counts as stuck (see deadline). */
  deadlineMs?: (scenario: Scenario) => number;
}

/**
 * How long the engine may take before its worker counts as stuck. The engine is synchronous, so
 * a busy worker and a hung one look alike from outside; the budget grows with the work (pages,
 * and the concurrent events that each rerun a walk), so a large legitimate run is never killed
 * (the user has Cancel for those), while a small one that goes silent is noticed in seconds.
 */
export function deadline(s: Scenario): number {
  const pages = s.range.pages;
  const events = s.concurrent.length;
  // At most an hour: setTimeout fires at once for a delay past 2^31 - 1 ms.
  return Math.min(10_000 + pages * 10 * (1 + events), 3_600_000);
}

/** A structurally sound Run: what the app reads from it before drawing anything. */
function isRun(x: unknown): x is Run {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Partial<Run>;
  if (!Array.isArray(r.trace) || typeof r.result !== 'object' || r.result === null) return false;
  const res = r.result as unknown as Record<string, unknown>;
  return ['pfns', 'cpu', 'device'].every((k) => ArrayBuffer.isView(res[k])) && typeof res.faults === 'object';
}

/** A table of stacks with an index per event, each index in the table (no event left without one). */
function isStackTable(x: unknown, events: number): x is StackTable {
  if (typeof x !== 'object' || x === null) return false;
  const { table, ids } = x as Partial<StackTable>;
  return (
    Array.isArray(table) &&
    table.every((s) => typeof s === 'string') &&
    ids instanceof Int32Array &&
    ids.length === events &&
    ids.every((i) => i >= 0 && i < table.length)
  );
}

/** The posted run with its events' call stacks put back from the table (see protocol.ts). */
function withStacks(run: Run, stacks: StackTable): Run {
  unpackStacks(run.trace, stacks);
  return run;
}

function defaultWorker(): Worker | null {
  if (typeof Worker === 'undefined') return null;
  return new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'hmm-engine' });
}

interface Pending {
  req: RunRequest;
  resolve: (o: RunOutcome) => void;
  /** Told once that the scenario passed the schema, before its run is done. */
  valid?: () => void;
  /** Sent again once already, after its first worker died or went silent. */
  retried: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * Runs scenarios in a Web Worker, one at a time. Only the newest request counts: starting a run
 * while another is in flight resolves the older one as "superseded" and, since the engine cannot
 * be interrupted mid-run, replaces the busy worker so the stale computation stops using the CPU.
 * A worker that crashes (an uncaught error, a failed module load) or stays silent past the run's
 * deadline is replaced and the run sent once more; a second failure resolves the run as an error.
 * An answer that is not a readable Run is an error too, never something to draw.
 */
export class EngineClient {
  private worker: Worker | null = null;
  private pending: Pending | null = null;
  private nextId = 1;
  private readonly create: () => Worker | null;
  private readonly inThread: EngineClientOptions['inThread'];
  private readonly onRestart: ((why: string) => void) | undefined;
  private readonly onRetry: ((why: string) => void) | undefined;
  private readonly deadline: (s: Scenario) => number;

  constructor(opts: EngineClientOptions = {}) {
    this.create = opts.createWorker ?? defaultWorker;
    this.inThread = opts.inThread;
    this.onRestart = opts.onRestart;
    this.onRetry = opts.onRetry;
    this.deadline = opts.deadlineMs ?? deadline;
  }

  /**
   * Checks the scenario with the schema and runs it. `valid` hears as soon as it passed (a long
   * run's outcome comes later); a scenario that does not pass comes back as `problems`.
   */
  run(scenario: Scenario, options?: RunOptions, valid?: () => void): Promise<RunOutcome> {
    const id = this.nextId++;
    if (this.pending) {
      this.settle(this.pending, { kind: 'superseded' });
      // The busy worker would finish a run nobody wants; a fresh one starts at once.
      this.replaceWorker();
    }
    return new Promise<RunOutcome>((resolve) =>
      this.send({ req: { type: 'run', id, scenario, options }, resolve, valid, retried: false, timer: null }),
    );
  }

  /**
   * Starts the worker before the first run is asked for: its module (the engine) then loads and
   * compiles while the page's own code loads and renders, not after.
   */
  warm(): void {
    this.ensureWorker();
  }

  /** Stops the run in flight (the user pressed Cancel); the next run gets a fresh worker. */
  cancel(): void {
    if (!this.pending) return;
    this.settle(this.pending, { kind: 'cancelled' });
    this.replaceWorker();
  }

  /** Stops the worker for good (tests, page teardown). */
  dispose(): void {
    if (this.pending) this.settle(this.pending, { kind: 'superseded' });
    this.worker?.terminate();
    this.worker = null;
  }

  private send(p: Pending): void {
    const worker = this.ensureWorker();
    if (!worker) {
      void this.runHere(p.req).then((o) => {
        if (o.kind === 'done') p.valid?.();
        p.resolve(o);
      });
      return;
    }
    this.pending = p;
    const ms = this.deadline(p.req.scenario);
    p.timer = setTimeout(
      () => this.fail(`no answer in ${Math.round(ms / 1000)} s`, 'The engine did not answer'),
      ms,
    );
    worker.postMessage(p.req);
  }

  private settle(p: Pending, o: RunOutcome): void {
    if (p.timer) clearTimeout(p.timer);
    if (this.pending === p) this.pending = null;
    p.resolve(o);
  }

  private async runHere(req: RunRequest): Promise<RunOutcome> {
    if (!this.inThread)
      return { kind: 'error', message: 'This browser cannot run the engine: it has no Web Workers.' };
    const response = await this.inThread(req);
    return response.type === 'result'
      ? { kind: 'done', run: withStacks(response.run, response.stacks), ms: response.ms }
      : response.type === 'problems'
        ? { kind: 'problems', problems: response.problems }
        : { kind: 'error', message: response.message };
  }

  private ensureWorker(): Worker | null {
    if (this.worker) return this.worker;
    const w = this.create();
    if (!w) return null;
    w.onmessage = (ev: MessageEvent<WorkerResponse | ValidMessage>) => this.receive(ev.data);
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      this.crash(ev.message || 'the engine worker failed to start');
    };
    w.onmessageerror = () => this.crash('a message from the engine worker could not be read');
    this.worker = w;
    return w;
  }

  private replaceWorker(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private receive(msg: WorkerResponse | ValidMessage): void {
    const p = this.pending;
    if (!p || typeof msg !== 'object' || msg === null || p.req.id !== msg.id) return; // superseded
    if (msg.type === 'valid') {
      this.passed(p);
      return;
    }
    if (msg.type === 'problems' && Array.isArray(msg.problems)) {
      this.settle(p, { kind: 'problems', problems: msg.problems.map(String) });
      return;
    }
    if (msg.type === 'result' && isRun(msg.run) && isStackTable(msg.stacks, msg.run.trace.length)) {
      this.passed(p);
      const run = withStacks(msg.run, msg.stacks);
      this.settle(p, { kind: 'done', run, ms: typeof msg.ms === 'number' ? msg.ms : 0 });
      return;
    }
    // The engine threw, or sent something that is not a run: start from a fresh worker so no
    // half-updated module state survives. The same scenario would fail the same way: no retry.
    this.replaceWorker();
    const why = msg.type === 'error' ? String(msg.message) : 'its answer is not a run this app can read';
    this.onRestart?.(why);
    this.settle(p, {
      kind: 'error',
      message:
        msg.type === 'error'
          ? `The engine stopped with an error: ${why}`
          : `The engine sent back a result that cannot be read (${why}).`,
    });
  }

  /** The scenario passed the schema: said once, whether by the early message or by the result. */
  private passed(p: Pending): void {
    const valid = p.valid;
    p.valid = undefined;
    valid?.();
  }

  private crash(why: string): void {
    this.fail(why, 'The engine worker crashed');
  }

  /** The worker died or went silent: a fresh one gets the run once more, then it is an error. */
  private fail(why: string, what: string): void {
    const p = this.pending;
    this.replaceWorker();
    this.onRestart?.(why);
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    this.pending = null;
    if (!p.retried) {
      this.onRetry?.(`${what} (${why}); it was restarted and the run tried again.`);
      this.send({ ...p, retried: true, timer: null });
      return;
    }
    p.resolve({ kind: 'error', message: `${what} (${why}), twice; it has been restarted.` });
  }
}
