/// <reference types="vitest/config" />
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { cspHeader, cspMeta } from './src/security/csp.ts';
import { serviceWorkerSource } from './src/offline/sw.ts';
import { isHandPicked, reproduceFixture, type KernelFixture } from './src/engine/fixtures/reproduce.ts';
import { isKernel, kernelLabel } from './src/engine/kernels/registry.ts';
import { deriveTones } from './src/ui/theme/palette.ts';
import { firstScreenPlugin } from './scripts/prerender/plugin.ts';
import { firstLoadChunks, noChunkCyclesPlugin } from './scripts/first-load-chunks.ts';

const FIXTURES = join(import.meta.dirname, 'test', 'fixtures');

/** The recorded folders (test/fixtures/linux-*), oldest kernel first. */
const folders = (): string[] =>
  readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name.startsWith('linux-'))
    .map((d) => d.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

const fixtureFiles = (folder: string): string[] =>
  readdirSync(join(FIXTURES, folder))
    .filter((f) => f.endsWith('.json'))
    .sort();

const readFixture = (folder: string, file: string): KernelFixture =>
  JSON.parse(readFileSync(join(FIXTURES, folder, file), 'utf8')) as KernelFixture;

/**
 * `virtual:tones`: the state colours of both themes, derived with d3 at build time (palette.ts),
 * so the page's first load carries 100 colours and not d3-color and d3-interpolate.
 */
function tones(): Plugin {
  const id = 'virtual:tones';
  const resolved = `\0${id}`;
  return {
    name: 'tones',
    resolveId: (source) => (source === id ? resolved : null),
    load: (module) =>
      module === resolved
        ? `export const TONES = ${JSON.stringify({ light: deriveTones('light'), dark: deriveTones('dark') })};\n`
        : null,
  };
}

/**
 * `virtual:kernel-fixtures`: runs every recorded scenario of every folder (Linux 6.1, Linux 6.12)
 * through the engine when the app is built, so the About panel's counts are measured, never typed
 * in; and lists the hand-picked recordings the app offers as presets, per folder.
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
        const recordings = folders().flatMap((folder) =>
          fixtureFiles(folder)
            .filter(isHandPicked)
            .map((file) => {
              const { scenario, kernel, observed } = readFixture(folder, file);
              return { id: `${folder}/${file.replace(/\.json$/, '')}`, scenario, kernel, observed };
            }),
        );
        return `export const RECORDINGS = ${JSON.stringify(recordings)};\n`;
      }
      if (module !== resolved) return null;
      const sets = folders().map((folder) => {
        const files = fixtureFiles(folder);
        const differences: { id: string; difference: string }[] = [];
        const recorded: { id: string; title: string }[] = [];
        let model = '';
        let kernel = '';
        for (const file of files) {
          this.addWatchFile(join(FIXTURES, folder, file));
          const fixture = readFixture(folder, file);
          const r = reproduceFixture(fixture);
          const difference = r.ok ? r.difference : `scenario: ${r.problems.join('; ')}`;
          const fixtureId = `${folder}/${file.replace(/\.json$/, '')}`;
          if (difference) differences.push({ id: fixtureId, difference });
          if (isHandPicked(file))
            recorded.push({ id: fixtureId, title: (fixture.scenario as { title: string }).title });
          const k = (fixture.scenario as { kernel?: unknown }).kernel;
          if (!model && isKernel(k)) model = kernelLabel(k);
          // "Linux 6.12.117+deb12-amd64 #1 ..." -> "Linux 6.12.117"
          kernel ||= /^Linux [\d.]+\d/.exec(fixture.kernel)?.[0] ?? fixture.kernel;
        }
        return {
          folder,
          model,
          kernel,
          total: files.length,
          reproduced: files.length - differences.length,
          differences,
          recorded,
        };
      });
      return `export const RECORDED_SETS = ${JSON.stringify(sets)};\n`;
    },
  };
}

/**
 * The shipped Content-Security-Policy as a <meta>, in the build only (see src/security/csp.ts),
 * allowing the inline scripts whose hashes `scriptHashes` gives when index.html is written.
 */
function contentSecurityPolicy(scriptHashes: () => string[]): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    // After the first-screen plugin's post hook (listed before this one): its script is known.
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: cspMeta(scriptHashes()) },
          injectTo: 'head-prepend',
        },
      ],
    },
    // The same policy as a header, for a server that sends one (README, "Serving it").
    writeBundle(options) {
      if (options.dir)
        writeFileSync(
          join(options.dir, 'csp-header.txt'),
          `Content-Security-Policy: ${cspHeader(scriptHashes())}\n`,
        );
    },
  };
}

/**
 * dist/sw.js: the offline service worker with the list of every file of the build and of public/
 * (the presets' scenario files), versioned by a hash of that content (see src/offline/sw.ts).
 */
function offline(): Plugin {
  return {
    name: 'offline-service-worker',
    apply: 'build',
    generateBundle(_, bundle) {
      const publicFiles = (dir: string, prefix: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? publicFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
        );
      const files = [
        ...Object.keys(bundle).filter((f) => !f.endsWith('.map')),
        ...publicFiles(join(import.meta.dirname, 'public'), ''),
      ].sort();
      const hash = createHash('sha256');
      for (const f of files) {
        const item = bundle[f];
        hash.update(f);
        if (item?.type === 'asset') hash.update(item.source);
        else if (item?.type === 'chunk') hash.update(item.code);
      }
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: serviceWorkerSource(
          hash.digest('hex').slice(0, 12),
          files.map((f) => `./${f}`),
        ),
      });
    },
  };
}

// The explorer's first screen on a phone from the HTML, and its chunks fetched early (issue 14).
const first = firstScreenPlugin({
  root: import.meta.dirname,
  configFile: join(import.meta.dirname, 'vite.config.ts'),
});

// A relative base lets the static build be served from any sub-path (docs sites host it under a
// folder), and from a file:// URL.
export default defineConfig({
  base: './',
  plugins: [
    react(),
    kernelFixtures(),
    tones(),
    first.plugin,
    contentSecurityPolicy(first.scriptHashes),
    offline(),
    noChunkCyclesPlugin(),
  ],
  worker: { format: 'es' },
  // The manifest lists each chunk's imports: scripts/bundle-size.ts measures what each entry loads.
  build: {
    target: 'es2022',
    sourcemap: true,
    manifest: true,
    rolldownOptions: { output: { codeSplitting: { groups: firstLoadChunks(import.meta.dirname) } } },
  },
  server: { port: 5173, fs: { allow: ['.'] } },
  preview: { port: 4173, strictPort: true },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    environment: 'node',
    // Property tests run hundreds of cases: 5 s is enough on an idle machine, not on a busy one.
    // The limit says when a test is stuck, never how fast the code must be (that is npm run bench).
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
