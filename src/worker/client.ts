import type { Run, RunOptions, Scenario } from '../engine/types.ts';
import type { RunRequest, WorkerResponse } from './protocol.ts';

export type RunOutcome =
  | { kind: 'done'; run: Run; ms: number }
  /** A newer request replaced this one before it finished; its result is dropped. */
  | { kind: 'superseded' }
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
}

function defaultWorker(): Worker | null {
  if (typeof Worker === 'undefined') return null;
  return new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'hmm-engine' });
}

interface Pending {
  id: number;
  resolve: (o: RunOutcome) => void;
}

/**
 * Runs scenarios in a Web Worker, one at a time. Only the newest request counts: starting a run
 * while another is in flight resolves the older one as "superseded" and, since the engine cannot
 * be interrupted mid-run, replaces the busy worker so the stale computation stops using the CPU.
 * A crash (an uncaught error or a failed module load) resolves the run as an error and restarts
 * the worker; the caller keeps its scenario and may simply run it again.
 */
export class EngineClient {
  private worker: Worker | null = null;
  private pending: Pending | null = null;
  private nextId = 1;
  private readonly create: () => Worker | null;
  private readonly inThread: EngineClientOptions['inThread'];
  private readonly onRestart: ((why: string) => void) | undefined;

  constructor(opts: EngineClientOptions = {}) {
    this.create = opts.createWorker ?? defaultWorker;
    this.inThread = opts.inThread;
    this.onRestart = opts.onRestart;
  }

  run(scenario: Scenario, options?: RunOptions): Promise<RunOutcome> {
    const id = this.nextId++;
    if (this.pending) {
      this.pending.resolve({ kind: 'superseded' });
      this.pending = null;
      // The busy worker would finish a run nobody wants; a fresh one starts at once.
      this.replaceWorker();
    }
    return new Promise<RunOutcome>((resolve) => {
      const worker = this.ensureWorker();
      if (!worker) {
        void this.runHere({ type: 'run', id, scenario, options }).then(resolve);
        return;
      }
      this.pending = { id, resolve };
      worker.postMessage({ type: 'run', id, scenario, options } satisfies RunRequest);
    });
  }

  /** Stops the worker for good (tests, page teardown). */
  dispose(): void {
    this.pending?.resolve({ kind: 'superseded' });
    this.pending = null;
    this.worker?.terminate();
    this.worker = null;
  }

  private async runHere(req: RunRequest): Promise<RunOutcome> {
    if (!this.inThread)
      return { kind: 'error', message: 'This browser cannot run the engine: it has no Web Workers.' };
    const response = await this.inThread(req);
    return response.type === 'result'
      ? { kind: 'done', run: response.run, ms: response.ms }
      : { kind: 'error', message: response.message };
  }

  private ensureWorker(): Worker | null {
    if (this.worker) return this.worker;
    const w = this.create();
    if (!w) return null;
    w.onmessage = (ev: MessageEvent<WorkerResponse>) => this.receive(ev.data);
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

  private receive(msg: WorkerResponse): void {
    const p = this.pending;
    if (!p || p.id !== msg.id) return; // an answer to a request that was superseded
    this.pending = null;
    if (msg.type === 'result') {
      p.resolve({ kind: 'done', run: msg.run, ms: msg.ms });
      return;
    }
    // The engine threw: start from a fresh worker so no half-updated module state survives.
    this.replaceWorker();
    this.onRestart?.(msg.message);
    p.resolve({ kind: 'error', message: `The engine stopped with an error: ${msg.message}` });
  }

  private crash(why: string): void {
    const p = this.pending;
    this.pending = null;
    this.replaceWorker();
    this.onRestart?.(why);
    p?.resolve({ kind: 'error', message: `The engine worker crashed (${why}); it has been restarted.` });
  }
}
