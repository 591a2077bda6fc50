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
import { chromium } from '@playwright/test';
import type { CDPSession, Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/support/find-chromium.ts';
import { LARGE_LINK, median, withPreview } from './support/preview.ts';

const RUNS = Number(process.env.RUNS ?? 3);
const PORT = Number(process.env.BENCH_PORT ?? 4290);

const BIG_LINK = `./${LARGE_LINK}`;

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

async function main(): Promise<void> {
  await withPreview(PORT, async (base) => {
    const browser = await chromium.launch({
      executablePath: findChromium().executablePath,
      args: [...CHROMIUM_ARGS],
    });
    const figures: Record<string, (page: Page) => Promise<number>> = {
      step_cpu_ms: stepCpu,
      scrub_cpu_ms: scrubCpu,
      first_run_after_paint_ms: firstRun,
    };
    for (const [name, measure] of Object.entries(figures)) {
      const values: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const context = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        values.push(await measure(page));
        await context.close();
      }
      console.log(
        `${name}: ${median(values).toFixed(1)} (runs: ${values.map((v) => v.toFixed(1)).join(', ')})`,
      );
    }
    await browser.close();
  });
}

await main();
