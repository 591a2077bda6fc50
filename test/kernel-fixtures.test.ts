/**
 * The v6 engine against 284 recordings of Linux 6.1 (test/fixtures/README.md): every fixture's
 * scenario goes through parseScenario -> run -> formatOutput, and the output must equal the
 * fixture's `observed` block by the fixtures' own comparison rules (fixtures/compare.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { run } from '../src/engine/run.ts';
import { formatOutput } from '../src/engine/scenario/output.ts';
import { parseScenario } from '../src/engine/scenario/parse.ts';
import { compareWithFixture, type Observed } from './fixtures/compare.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'linux-6.1');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('all 284 fixtures are here', () => {
  expect(files).toHaveLength(284);
});

test.each(files)('%s', (file) => {
  const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    scenario: unknown;
    observed: Observed;
  };
  const parsed = parseScenario(fixture.scenario);
  if (!parsed.ok) throw new Error(`the scenario does not parse:\n${parsed.problems.join('\n')}`);
  const { result } = run(parsed.scenario, { trace: 'none' });
  expect(compareWithFixture(formatOutput(parsed.scenario, result), fixture.observed)).toBeNull();
});
