/**
 * `npm run bench:browser`: the main thread's CPU time in the built app, from Chromium's own
 * counters (the DevTools protocol's Performance metrics in thread time), not from wall-clock
 * long tasks: on a busy machine a wall-clock figure measures the other processes, thread CPU
 * time measures the app. Needs `npm run build` first; serves dist/ itself.
 *
 * Three figures, medians over RUNS runs, each in a fresh page:
 * - step_cpu_ms: main-thread CPU per player step while playing the default scenario (16 pages)
 *   at 4x, animations on (target <= 8 ms);
 * - scrub_cpu_ms: main-thread CPU per slider move across a 4096-page run (target <= 10 ms);
 * - first_run_after_paint_ms: from first paint to the first run drawn on the stage (the app marks
 *   `hmm:first-run`; target <= 50 ms).
 * Output: `name: value` lines.
 */
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import type { CDPSession, Page } from '@playwright/test';
import { findChromium } from '../e2e/support/find-chromium.ts';

const RUNS = Number(process.env.RUNS ?? 3);
const PORT = Number(process.env.BENCH_PORT ?? 4290);
const BASE = `http://127.0.0.1:${PORT}/`;

/** The UI's largest range: writes all over, a few COW copies, two attempts. */
const BIG = {
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
const BIG_LINK = `./#scenario=${encodeURIComponent(JSON.stringify(BIG))}`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The main thread's CPU time so far, in ms (TaskDuration in thread ticks). */
async function cpuMs(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}

async function open(page: Page, url: string): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await page.goto(url);
  await page.getByRole('slider', { name: 'Trace position' }).waitFor();
  await page.waitForFunction(
    () =>
      !(document.querySelector('input[aria-label="Trace position"]') as HTMLInputElement | null)?.disabled,
  );
  return cdp;
}

async function shownStep(page: Page): Promise<number> {
  const shown = (await page.getByRole('status', { name: 'Step' }).textContent()) ?? '0';
  return Number(shown.split('/')[0].replace(/,/g, ''));
}

async function stepCpu(page: Page): Promise<number> {
  const cdp = await open(page, './');
  await page.getByRole('combobox', { name: 'speed' }).selectOption('4');
  const step0 = await shownStep(page);
  const cpu0 = await cpuMs(cdp);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(3000);
  await page.getByRole('button', { name: 'Pause' }).click();
  const cpu1 = await cpuMs(cdp);
  const steps = (await shownStep(page)) - step0;
  if (steps < 5) throw new Error(`only ${steps} steps played in 3 s at 4x`);
  return (cpu1 - cpu0) / steps;
}

async function scrubCpu(page: Page): Promise<number> {
  const cdp = await open(page, BIG_LINK);
  const slider = page.getByRole('slider', { name: 'Trace position' });
  const total = Number((await slider.getAttribute('max')) ?? 0);
  const moves = 40;
  let cpu = 0;
  for (let i = 1; i <= moves; i++) {
    // Spread over the whole trace, back and forth, as a hand on the slider goes.
    const at = Math.round(((i % 2 ? i : moves - i) / moves) * (total - 1));
    const before = await cpuMs(cdp);
    await slider.fill(String(at));
    // Two frames: the move's render and paint are done.
    await page.evaluate(
      () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
    );
    cpu += (await cpuMs(cdp)) - before;
  }
  return cpu / moves;
}

async function firstRun(page: Page): Promise<number> {
  await open(page, './');
  return page.evaluate(() => {
    const paint = performance.getEntriesByName('first-paint')[0]?.startTime;
    const run = performance.getEntriesByName('hmm:first-run')[0]?.startTime;
    if (paint === undefined || run === undefined) return NaN;
    return Math.max(0, run - paint);
  });
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
  const server = spawn(
    'npx',
    ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  try {
    await waitForServer();
    const { executablePath } = findChromium();
    const browser = await chromium.launch({
      executablePath,
      args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const figures: Record<string, (page: Page) => Promise<number>> = {
      step_cpu_ms: stepCpu,
      scrub_cpu_ms: scrubCpu,
      first_run_after_paint_ms: firstRun,
    };
    for (const [name, measure] of Object.entries(figures)) {
      const values: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const context = await browser.newContext({ baseURL: BASE, viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        values.push(await measure(page));
        await context.close();
      }
      console.log(
        `${name}: ${median(values).toFixed(1)} (runs: ${values.map((v) => v.toFixed(1)).join(', ')})`,
      );
    }
    await browser.close();
  } finally {
    if (server.pid) process.kill(-server.pid);
  }
}

await main();
