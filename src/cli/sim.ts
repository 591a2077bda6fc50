/**
 * `npm run sim -- FILE [--trace]`: run one scenario file through the engine and print the OUTPUT
 * form (shared spec/scenario-format.md, "Output"). A kernel fixture file ({scenario, observed})
 * runs its scenario. A bad scenario, file or argument exits with status 2 and one line per problem
 * on stderr, never a stack trace.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { run } from '../engine/run.ts';
import { formatJson, parseJsonText } from '../engine/scenario/json.ts';
import { formatOutput } from '../engine/scenario/output.ts';
import { parseScenario } from '../engine/scenario/parse.ts';

const USAGE = `usage: npm run sim -- FILE [--trace]

Runs the scenario in FILE (JSON, shared spec/scenario-format.md) and prints the output as JSON.
FILE may be "-" for standard input, or a kernel fixture ({"scenario", "observed"}): its scenario runs.

  --trace   also print the engine's trace events
  --help    print this help

Exit status: 0 ran, 2 bad arguments, unreadable file or invalid scenario, 1 internal error.`;

export interface SimResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The whole command as a function of its arguments and stdin, so tests need no child process. */
export function sim(args: string[], readStdin: () => string = () => readFileSync(0, 'utf8')): SimResult {
  const fail = (lines: string[]): SimResult => ({ code: 2, stdout: '', stderr: lines.join('\n') + '\n' });
  let trace = false;
  const files: string[] = [];
  for (const a of args) {
    if (a === '--help' || a === '-h') return { code: 0, stdout: USAGE + '\n', stderr: '' };
    else if (a === '--trace') trace = true;
    else if (a.startsWith('-') && a !== '-') return fail([`sim: unknown option ${a}`, USAGE]);
    else files.push(a);
  }
  if (files.length !== 1) return fail([`sim: expected one FILE, got ${files.length}`, USAGE]);
  const file = files[0];

  let text: string;
  try {
    text = file === '-' ? readStdin() : readFileSync(file, 'utf8');
  } catch (e) {
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
    const r = run(parsed.scenario, { trace: trace ? 'full' : 'none' });
    const out = formatOutput(parsed.scenario, r.result, trace ? r.trace : undefined);
    return { code: 0, stdout: formatJson(out) + '\n', stderr: '' };
  } catch (e) {
    return {
      code: 1,
      stdout: '',
      stderr: `sim: internal error: ${e instanceof Error ? e.message : String(e)}\n`,
    };
  }
}

function isFixture(v: unknown): v is { scenario: unknown; observed: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'scenario' in v && 'observed' in v;
}

// Run as a command (tsx src/cli/sim.ts ...), not when imported by a test.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const r = sim(process.argv.slice(2));
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
