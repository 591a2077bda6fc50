/**
 * `npm run lighthouse` (after `npm run build`): Lighthouse's mobile audit (its default: a
 * mid-range phone, throttled network and CPU) of the default page, an embed and a 4096-page link,
 * three runs each, medians printed as `name: value` lines. Uses the system's Chromium
 * (CHROME_PATH, else the one the end-to-end tests find) and serves dist/ itself. Lighthouse is
 * fetched by npx on first use rather than kept in the dependencies: it is large, and only this
 * measurement needs it. Scores depend on the machine's load: say how loaded it was beside them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, findChromium } from '../e2e/support/find-chromium.ts';
import { LARGE_LINK, median, withPreview } from './support/preview.ts';

const RUNS = Number(process.env.RUNS ?? 3);
const PORT = Number(process.env.LIGHTHOUSE_PORT ?? 4291);
const LIGHTHOUSE = 'lighthouse@12.8.2';

const PAGES: Record<string, string> = { default: '', embed: '?embed', large: LARGE_LINK };

interface Report {
  categories: Record<string, { score: number }>;
  audits: Record<string, { numericValue?: number }>;
}

async function main(): Promise<void> {
  const chrome = process.env.CHROME_PATH ?? findChromium().executablePath;
  if (!chrome) throw new Error('no Chromium: set CHROME_PATH');
  const dir = mkdtempSync(join(tmpdir(), 'lighthouse-'));
  await withPreview(PORT, async (base) => {
    for (const [name, path] of Object.entries(PAGES)) {
      const url = base + path;
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
            `--chrome-flags=--headless=new --no-sandbox ${CHROMIUM_ARGS.join(' ')}`,
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
  });
  console.log(`the reports (JSON, one per run) are in ${dir}`);
}

await main();
