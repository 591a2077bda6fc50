import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { run } from '../engine/run.ts';
import { formatJson } from '../engine/scenario/json.ts';
import { formatOutput } from '../engine/scenario/output.ts';
import { parseScenario } from '../engine/scenario/parse.ts';
import type { Scenario } from '../engine/types.ts';
import { Chunked, compactJson, writeOutput } from './jsonOut.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scenarios = join(root, 'public', 'scenarios');
const fixtures = ['linux-6.1', 'linux-6.12'].map((k) => join(root, 'test', 'fixtures', k));

function load(file: string): Scenario {
  let v = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if ('observed' in v) v = v.scenario as Record<string, unknown>;
  const p = parseScenario(v);
  if (!p.ok) throw new Error(p.problems.join('\n'));
  return p.scenario;
}

function streamed(s: Scenario, trace: boolean, compact: boolean, chunk = 4096): string {
  let text = '';
  const out = new Chunked((b) => (text += Buffer.from(b).toString('utf8')), chunk);
  const r = run(s, { trace: trace ? 'full' : 'none' });
  writeOutput(out, s, r.result, trace ? r.trace : undefined, { compact });
  out.flush();
  return text;
}

/**
 * The streamed output is the text the whole-object printer gives, byte for byte: every preset
 * (every generation and layout, livelocks and oopses) and a spread of both folders' recordings.
 */
describe('the streamed output', () => {
  const files = [
    ...readdirSync(scenarios).map((f) => join(scenarios, f)),
    ...fixtures.flatMap((dir) =>
      readdirSync(dir)
        .filter((f, i) => f.endsWith('.json') && i % 9 === 0)
        .map((f) => join(dir, f)),
    ),
  ];
  for (const file of files) {
    test(file.slice(root.length + 1), () => {
      const s = load(file);
      for (const trace of [false, true]) {
        const r = run(s, { trace: trace ? 'full' : 'none' });
        const whole = formatOutput(s, r.result, trace ? r.trace : undefined);
        expect(streamed(s, trace, false)).toBe(formatJson(whole) + '\n');
        const compact = streamed(s, trace, true);
        expect(compact).toBe(compactJson(whole) + '\n');
        expect(compact.trimEnd()).not.toContain('\n');
        expect(JSON.parse(compact)).toEqual(JSON.parse(formatJson(whole)));
      }
    });
  }

  test('compactJson keeps page maps in page order, as formatJson does', () => {
    const map = { '0-1': 'rw', '5': 'ro', '2': 'zero' };
    expect(compactJson({ cpu: map, list: [1, null, undefined] })).toBe(
      '{"cpu":{"0-1":"rw","2":"zero","5":"ro"},"list":[1,null,null]}',
    );
  });
});
