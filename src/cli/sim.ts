/**
 * `npm run sim -- [--trace] [--compact | --jsonl] FILE...`: run scenario files through the engine
 * and print the OUTPUT form (shared spec/scenario-format.md, "Output"). A kernel fixture file
 * ({scenario, observed}) runs its scenario. The output is written as it is made, so a million-page
 * run needs neither the time nor the memory to build it whole. A bad scenario, file or argument
 * exits with status 2 and one line per problem on stderr, never a stack trace.
 */
import { realpathSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { FULL_TRACE_MAX_PAGES, run } from '../engine/run.ts';
import { parseJsonText } from '../engine/scenario/json.ts';
import { parseScenario } from '../engine/scenario/parse.ts';
import { Chunked, writeOutput } from './jsonOut.ts';
import type { Sink } from './jsonOut.ts';
import { MAX_INPUT_BYTES, TooLarge, readText, withoutBom } from './readInput.ts';

const USAGE = `usage: npm run sim -- [--trace] [--compact | --jsonl] FILE...

Runs the scenario in each FILE (JSON, shared spec/scenario-format.md) and prints the output as JSON.
FILE may be "-" for standard input, or a kernel fixture ({"scenario", "observed"}): its scenario runs.

  --trace    also print the engine's trace events (over ${FULL_TRACE_MAX_PAGES} pages, the coarse trace:
             driver steps, calls, fault spans, restarts and invalidations)
  --compact  print each output on one line
  --jsonl    one line per FILE, {"file": FILE, ...output}, for a folder of scenarios in one process
  --help     print this help

Files larger than ${MAX_INPUT_BYTES / (1024 * 1024)} MB are refused.
Exit status: 0 ran, 2 bad arguments, unreadable file or invalid scenario, 1 internal error.`;

export interface SimIO {
  /** Standard input's text (a test's string, or the process's, capped). */
  readStdin?: () => string;
  out: Sink;
  err: (text: string) => void;
}

/** The whole command as a function of its arguments, stdin and outputs; returns the exit status. */
export function runSim(args: string[], io: SimIO): number {
  let trace = false;
  let compact = false;
  let jsonl = false;
  const files: string[] = [];
  for (const a of args) {
    if (a === '--help' || a === '-h') {
      io.out(Buffer.from(USAGE + '\n'));
      return 0;
    } else if (a === '--trace') trace = true;
    else if (a === '--compact') compact = true;
    else if (a === '--jsonl') jsonl = true;
    else if (a.startsWith('-') && a !== '-') {
      io.err(`sim: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else files.push(a);
  }
  if (files.length === 0) {
    io.err(`sim: expected a FILE\n${USAGE}\n`);
    return 2;
  }
  const out = new Chunked(io.out);
  let status = 0;
  for (const file of files) {
    const code = simFile(file, { trace, compact: compact || jsonl, jsonl }, io, out);
    status = Math.max(status, code);
    if (code === 1) break; // the engine itself failed: the next files would tell nothing new
  }
  out.flush();
  return status;
}

function simFile(
  file: string,
  opts: { trace: boolean; compact: boolean; jsonl: boolean },
  io: SimIO,
  out: Chunked,
): number {
  const fail = (lines: string[]): number => {
    out.flush(); // the outputs of the files before this one come first
    io.err(lines.map((l) => l + '\n').join(''));
    return 2;
  };
  let text: string;
  try {
    text = file === '-' && io.readStdin ? withoutBom(io.readStdin()) : readText(file);
  } catch (e) {
    if (e instanceof TooLarge) return fail([`${file}: cannot read (${e.message}: not a scenario file)`]);
    const why = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    return fail([`${file}: cannot read (${why})`]);
  }
  const json = parseJsonText(text);
  if (!json.ok) return fail(json.problems.map((p) => `${file}: ${p}`));

  let input = json.value;
  let prefix = '';
  if (isFixture(input)) {
    input = input.scenario;
    prefix = 'scenario.';
  }
  const parsed = parseScenario(input);
  if (!parsed.ok) return fail(parsed.problems.map((p) => `${file}: ${prefix}${p}`));

  try {
    // A full trace is one event per page step; over the visualizer's largest range it is the
    // coarse one, so the output stays proportional to what happened, not to the pages.
    const pages = parsed.scenario.range.pages;
    const level = !opts.trace ? 'none' : pages <= FULL_TRACE_MAX_PAGES ? 'full' : 'coarse';
    const r = run(parsed.scenario, { trace: level });
    writeOutput(out, parsed.scenario, r.result, opts.trace ? r.trace : undefined, {
      compact: opts.compact,
      lead: opts.jsonl ? { file } : undefined,
    });
    return 0;
  } catch (e) {
    out.flush();
    io.err(`sim: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

function isFixture(v: unknown): v is { scenario: unknown; observed: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'scenario' in v && 'observed' in v;
}

export interface SimResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command with its outputs collected as strings, for tests. */
export function sim(args: string[], readStdin?: () => string): SimResult {
  const chunks: Buffer[] = [];
  let stderr = '';
  const code = runSim(args, {
    readStdin,
    out: (b) => chunks.push(Buffer.from(b)),
    err: (t) => (stderr += t),
  });
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr };
}

/**
 * Each chunk is written before the next is made, so the output never piles up in memory. A
 * reader that stops early (`sim big.json | head`) ends the command quietly.
 */
function writeStdout(bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(1, bytes, off, bytes.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(0);
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 5); // a non-blocking pipe that is full: let the reader catch up
    }
  }
}
const pause = new Int32Array(new SharedArrayBuffer(4));

/** The command itself: its arguments from the process, its output to stdout and stderr. */
export function main(): void {
  process.exitCode = runSim(process.argv.slice(2), {
    out: writeStdout,
    err: (t) => process.stderr.write(t),
  });
}

// Run as a command (tsx src/cli/sim.ts ...), not when imported by a test or by scripts/sim.mjs.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) main();
