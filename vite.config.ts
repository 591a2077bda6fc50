/// <reference types="vitest/config" />
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { isHandPicked, reproduceFixture, type KernelFixture } from './src/engine/fixtures/reproduce.ts';

const FIXTURES = join(import.meta.dirname, 'test', 'fixtures', 'linux-6.1');

/**
 * `virtual:kernel-fixtures`: runs every recorded Linux 6.1 scenario through the engine when the
 * app is built, so the About panel's count is measured, never typed in; and lists the hand-picked
 * recordings the app offers as presets.
 */
function kernelFixtures(): Plugin {
  const id = 'virtual:kernel-fixtures';
  const resolved = `\0${id}`;
  // The hand-picked recordings themselves, as their own module: the app imports it on demand.
  const recordingsId = 'virtual:kernel-recordings';
  const recordingsResolved = `\0${recordingsId}`;
  return {
    name: 'kernel-fixtures',
    resolveId: (source) => (source === id ? resolved : source === recordingsId ? recordingsResolved : null),
    load(module) {
      if (module === recordingsResolved) {
        const recordings = readdirSync(FIXTURES)
          .filter((f) => f.endsWith('.json') && isHandPicked(f))
          .sort()
          .map((file) => {
            const { scenario, kernel, observed } = JSON.parse(
              readFileSync(join(FIXTURES, file), 'utf8'),
            ) as KernelFixture;
            return { id: file.replace(/\.json$/, ''), scenario, kernel, observed };
          });
        return `export const RECORDINGS = ${JSON.stringify(recordings)};\n`;
      }
      if (module !== resolved) return null;
      const files = readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.json'))
        .sort();
      const differences: { id: string; difference: string }[] = [];
      const recorded: { id: string; title: string }[] = [];
      for (const file of files) {
        this.addWatchFile(join(FIXTURES, file));
        const fixture = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as KernelFixture;
        const r = reproduceFixture(fixture);
        const difference = r.ok ? r.difference : `scenario: ${r.problems.join('; ')}`;
        const fixtureId = file.replace(/\.json$/, '');
        if (difference) differences.push({ id: fixtureId, difference });
        if (isHandPicked(file))
          recorded.push({ id: fixtureId, title: (fixture.scenario as { title: string }).title });
      }
      const summary = {
        kernel: 'Linux 6.1.192',
        total: files.length,
        reproduced: files.length - differences.length,
        differences,
      };
      return `export const FIXTURE_SUMMARY = ${JSON.stringify(summary)};\nexport const RECORDED = ${JSON.stringify(recorded)};\n`;
    },
  };
}

// A relative base lets the static build be served from any sub-path (docs sites host it under a
// folder), and from a file:// URL.
export default defineConfig({
  base: './',
  plugins: [react(), kernelFixtures()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { port: 5173, fs: { allow: ['.'] } },
  preview: { port: 4173, strictPort: true },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    environment: 'node',
    // Property tests run hundreds of engine runs: on a loaded 2-core machine (several checkouts
    // testing side by side) they take far longer than vitest's 5 s default, without being wrong.
    testTimeout: 60_000,
  },
});
