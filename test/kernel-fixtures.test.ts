/**
 * The v6 engine against 284 recordings of Linux 6.1 (test/fixtures/README.md): every fixture's
 * scenario goes through parseScenario -> run -> formatOutput, and the output must equal the
 * fixture's `observed` block by the fixtures' own comparison rules (src/engine/fixtures/compare.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { reproduceFixture, type KernelFixture } from '../src/engine/fixtures/reproduce.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'linux-6.1');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('all 284 fixtures are here', () => {
  expect(files).toHaveLength(284);
});

test.each(files)('%s', (file) => {
  const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8')) as KernelFixture;
  const r = reproduceFixture(fixture);
  if (!r.ok) throw new Error(`the scenario does not parse:\n${r.problems.join('\n')}`);
  expect(r.difference).toBeNull();
});
