/**
 * `npm run lighthouse` (after `npm run build`): Lighthouse's mobile audit (its default: a
 * mid-range phone, throttled network and CPU) of the default page, an embed and a 4096-page link,
 * three runs each, medians printed as `name: value` lines. Uses the system's Chromium
 * (CHROME_PATH, else the one the end-to-end tests find) and serves dist/ itself. Lighthouse is
 * fetched by npx on first use rather than kept in the dependencies: it is large, and only this
 * measurement needs it. Scores depend on the machine's load: say how loaded it was beside them.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium } from '../e2e/support/find-chromium.ts';

const RUNS = Number(process.env.RUNS ?? 3);
const PORT = Number(process.env.LIGHTHOUSE_PORT ?? 4291);
const BASE = `http://127.0.0.1:${PORT}/`;
const LIGHTHOUSE = 'lighthouse@12.8.2';

const big = {
  format: 1,
  title: 'A 4096-page range',
  kernel: 'v6',
  call: 'hmm_range_fault',
  range: { start: '0x7f0000000000', pages: 4096 },
  vmas: [{ from: 0, pages: 4096, prot: 'rw', backing: 'anon' }],
  cpu: { '0-1000': 'rw', '1001-2000': 'ro', '2500': 'zero', '3000-3100': 'zero' },
  defaultFlags: ['REQ_FAULT'],
  pfnFlagsMask: ['REQ_WRITE'],
  requests: { '5': ['REQ_WRITE'], '3000-3010': ['REQ_WRITE'] },
};
const pages: Record<string, string> = {
  default: BASE,
  embed: `${BASE}?embed`,
  large: `${BASE}#scenario=${encodeURIComponent(JSON.stringify(big))}`,
};

interface Report {
  categories: Record<string, { score: number }>;
  audits: Record<string, { numericValue?: number }>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(BASE)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer on ${BASE}`);
}

async function main(): Promise<void> {
  const chrome = process.env.CHROME_PATH ?? findChromium().executablePath;
  if (!chrome) throw new Error('no Chromium: set CHROME_PATH');
  const server = spawn(
    'npx',
    ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  const dir = mkdtempSync(join(tmpdir(), 'lighthouse-'));
  try {
    await waitForServer();
    for (const [name, url] of Object.entries(pages)) {
      const runs: Report[] = [];
      for (let r = 0; r < RUNS; r++) {
        const out = join(dir, `${name}-${r}.json`);
        execFileSync(
          'npx',
          [
            '-y',
            LIGHTHOUSE,
            url,
            '--quiet',
            '--output=json',
            `--output-path=${out}`,
            '--only-categories=performance,accessibility,best-practices,seo',
            '--chrome-flags=--headless=new --no-sandbox --disable-background-networking --disable-component-update',
          ],
          { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CHROME_PATH: chrome } },
        );
        runs.push(JSON.parse(readFileSync(out, 'utf8')) as Report);
      }
      const m = (f: (r: Report) => number) => median(runs.map(f));
      const score = (c: string) => Math.round(m((r) => r.categories[c].score * 100));
      const audit = (a: string) => m((r) => r.audits[a].numericValue ?? NaN);
      console.log(
        `${name}: performance ${score('performance')}, accessibility ${score('accessibility')}, ` +
          `best-practices ${score('best-practices')}, seo ${score('seo')}; ` +
          `CLS ${audit('cumulative-layout-shift').toFixed(3)}, TBT ${audit('total-blocking-time').toFixed(0)} ms, ` +
          `LCP ${(audit('largest-contentful-paint') / 1000).toFixed(2)} s, FCP ${(audit('first-contentful-paint') / 1000).toFixed(2)} s ` +
          `(medians of ${RUNS}; performance per run: ${runs.map((r) => Math.round(r.categories.performance.score * 100)).join(', ')})`,
      );
    }
  } finally {
    if (server.pid) process.kill(-server.pid);
  }
}

await main();
