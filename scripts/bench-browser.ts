/**
 * `npm run bench:browser`: the main thread's CPU time in the built app, from a Chromium trace
 * (the thread duration, `tdur`, of each task the page's main thread ran), not from wall-clock
 * long tasks: on a busy machine a wall-clock figure measures the other processes, thread CPU time
 * measures the app. Needs `npm run build` first; serves dist/ itself (BENCH_PORT, default 4290).
 *
 * Three figures, medians over RUNS runs (default 3), each in a fresh page:
 * - step_cpu_ms: main-thread CPU per player step while playing the default scenario (16 pages)
 *   at 4x, animations on (target <= 8 ms);
 * - scrub_cpu_ms: main-thread CPU per slider move across a 4096-page run (target <= 10 ms);
 * - first_run_after_paint_ms: from the app's first paint to the first run drawn on the stage
 *   (target <= 50 ms; 0: the run is in the app's first frame). The app's first paint is the
 *   animation frame after its first commit into #root (the app marks `hmm:first-frame` there; the
 *   commit that puts a run on a stage marks `hmm:first-run`): the browser's `first-paint` is
 *   index.html's empty background, painted before any of the app's code has run, so from it this
 *   figure would measure the whole load (the scripts' download and evaluation) rather than
 *   whether the first screen waits for, or is drawn again for, its run. A figure taken from the
 *   app's own frame could be improved by drawing that frame later, so the load is printed beside
 *   it, from navigation: first_frame_ms (the app's first frame), first_run_ms (the run's
 *   commit), first_paint_ms (the background) and first_contentful_paint_ms (the browser's FCP).
 * Output: `name: value` lines. ONLY=name[,name] measures only those; BREAKDOWN=1 adds where the traced CPU went (script, style, layout,
 * paint), for finding what to fix. `--why` (or WHY=1) says why: per step (or slider move), which
 * elements were restyled, laid out or repainted and for what reason (Chromium's invalidation
 * tracking names the node and the cause), and which paint layers were painted again, with their
 * size. Invalidation tracking costs CPU itself: the figures of a --why run are not the figures.
 * TRACE=prefix writes each traced run's whole trace (prefix-<figure>-<run>.json, for DevTools'
 * Performance panel); PROFILE=1 adds the JavaScript profiler's samples to it.
 */
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/support/find-chromium.ts';
import { LARGE_LINK, median, withPreview } from './support/preview.ts';

const RUNS = Number(process.env.RUNS ?? 3);
const PORT = Number(process.env.BENCH_PORT ?? 4290);

const BIG_LINK = `./${LARGE_LINK}`;

const BREAKDOWN = !!process.env.BREAKDOWN;
/** --why: what was invalidated and repainted on each step, and why (see the top). */
const WHY = process.argv.includes('--why') || !!process.env.WHY;
/** ONLY=step_cpu_ms,scrub_cpu_ms: just those figures (while working on one). */
const ONLY = process.env.ONLY;
/**
 * TRACE=prefix: writes each traced run's whole trace to prefix-<figure>-<run>.json, for Chromium
 * DevTools' Performance panel; PROFILE=1 adds the JavaScript profiler's samples (the figures then
 * include the profiler's cost: not the figures).
 */
const TRACE = process.env.TRACE;
const PROFILE = !!process.env.PROFILE;
/** The figure and run being measured, naming TRACE's files. */
let traceName = '';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: {
    name?: string;
    data?: {
      frames?: { processId?: number; url?: string; parent?: string }[];
      nodeId?: number;
      nodeName?: string;
      reason?: string;
      changedAttribute?: string;
      changedClass?: string;
      changedId?: string;
      changedPseudo?: string;
      clip?: number[];
    };
  };
}

/** What the main thread did, by trace event (inclusive thread time; they nest, so they overlap). */
const PARTS: Record<string, string[]> = {
  script: [
    'FunctionCall',
    'EvaluateScript',
    'v8.compile',
    'TimerFire',
    'FireAnimationFrame',
    'EventDispatch',
  ],
  style: ['UpdateLayoutTree'],
  layout: ['Layout'],
  paint: ['PrePaint', 'Paint', 'Layerize'],
  gc: ['MinorGC', 'MajorGC', 'V8.GC_MC_BACKGROUND_MARKING'],
};

/**
 * Thread CPU of the page's main thread during `work`, in ms, from a trace: the sum of `tdur`
 * (thread time, not wall time) over its top-level tasks (RunTask), plus a breakdown.
 */
async function tracedCpu(
  browser: Browser,
  page: Page,
  work: () => Promise<void>,
): Promise<{ ms: number; parts: Record<string, number>; why: (n: number) => void }> {
  const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8'];
  if (WHY) categories.push('disabled-by-default-devtools.timeline.invalidationTracking');
  if (PROFILE) categories.push('disabled-by-default-v8.cpu_profiler');
  await browser.startTracing(page, { categories });
  await work();
  const buf = await browser.stopTracing();
  if (TRACE) {
    const file = `${TRACE}-${traceName}.json`;
    writeFileSync(file, buf);
    console.log(`  trace: ${file}`);
  }
  const { traceEvents } = JSON.parse(buf.toString('utf8')) as { traceEvents: TraceEvent[] };
  // The page's renderer: the process of the frame loaded from the preview server.
  const pids = new Set<number>();
  for (const e of traceEvents)
    for (const f of e.args?.data?.frames ?? [])
      if (!f.parent && f.processId && f.url?.startsWith('http')) pids.add(f.processId);
  const main = new Set<string>();
  for (const e of traceEvents)
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && pids.has(e.pid))
      main.add(`${e.pid}:${e.tid}`);
  if (!main.size) throw new Error('the trace has no main thread for the page');
  let us = 0;
  const parts: Record<string, number> = Object.fromEntries(Object.keys(PARTS).map((k) => [k, 0]));
  for (const e of traceEvents) {
    if (e.ph !== 'X' || e.tdur === undefined || !main.has(`${e.pid}:${e.tid}`)) continue;
    if (e.name === 'RunTask') us += e.tdur;
    for (const [part, names] of Object.entries(PARTS))
      if (names.includes(e.name)) parts[part] += e.tdur / 1000;
  }
  if (BREAKDOWN) console.log(`  traced: ${(us / 1000).toFixed(1)} ms on ${main.size} main thread(s)`);
  const mine = traceEvents.filter((e) => main.has(`${e.pid}:${e.tid}`));
  return { ms: us / 1000, parts, why: (n) => printWhy(mine, n) };
}

/**
 * --why: the invalidations of the main thread's trace, most frequent first, per step (`n` steps),
 * and the paint layers painted again with their own (self) thread time and cull rect.
 */
function printWhy(events: TraceEvent[], n: number): void {
  const nodes = new Map<number, string>();
  for (const e of events) {
    const d = e.args?.data;
    if (d?.nodeId && d.nodeName) nodes.set(d.nodeId, d.nodeName);
  }
  const reasons = new Map<string, number>();
  for (const e of events) {
    if (!e.name.endsWith('InvalidationTracking')) continue;
    const d = e.args?.data ?? {};
    const why =
      d.reason ??
      (d.changedAttribute && `attribute ${d.changedAttribute}`) ??
      (d.changedClass && `class ${d.changedClass}`) ??
      (d.changedId && `id ${d.changedId}`) ??
      (d.changedPseudo && `pseudo ${d.changedPseudo}`) ??
      '?';
    const kind = e.name.replace('InvalidationTracking', '').replace('StyleInvalidator', 'Style');
    const key = `${kind.padEnd(13)} ${d.nodeName ?? '?'}: ${why}`;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  console.log(`  invalidations per step (of ${n}), most frequent first:`);
  for (const [k, c] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`    ${(c / n).toFixed(1).padStart(6)}  ${k}`);
  // Paint events nest (a layer inside a layer): a layer's own time is its time less its children's.
  const paints = events.filter((e) => e.ph === 'X' && e.name === 'Paint').sort((a, b) => a.ts - b.ts);
  const layers = new Map<string, { count: number; self: number; area: string }>();
  const stack: { end: number; key: string }[] = [];
  for (const e of paints) {
    while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
    const d = e.args?.data ?? {};
    const key = d.nodeId !== undefined ? (nodes.get(d.nodeId) ?? `node ${d.nodeId}`) : '?';
    const c = d.clip ?? [];
    const w = c.length
      ? Math.max(...c.filter((_, i) => i % 2 === 0)) - Math.min(...c.filter((_, i) => i % 2 === 0))
      : 0;
    const h = c.length
      ? Math.max(...c.filter((_, i) => i % 2 === 1)) - Math.min(...c.filter((_, i) => i % 2 === 1))
      : 0;
    const l = layers.get(key) ?? { count: 0, self: 0, area: '' };
    l.count++;
    l.self += (e.tdur ?? 0) / 1000;
    l.area = w > 1e6 ? 'unclipped' : `${w}x${h}`;
    layers.set(key, l);
    const parent = stack[stack.length - 1];
    if (parent) layers.get(parent.key)!.self -= (e.tdur ?? 0) / 1000;
    stack.push({ end: e.ts + (e.dur ?? 0), key });
  }
  console.log('  paint layers painted again, per step: times, own ms, cull rect');
  for (const [k, l] of [...layers].sort((a, b) => b[1].self - a[1].self).slice(0, 12))
    console.log(
      `    ${(l.count / n).toFixed(1).padStart(6)}  ${l.self / n >= 0 ? (l.self / n).toFixed(2) : '0'} ms  ${l.area}  ${k}`,
    );
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('slider', { name: 'Trace position' }).waitFor();
  await page.waitForFunction(
    () =>
      !(document.querySelector('input[aria-label="Trace position"]') as HTMLInputElement | null)?.disabled,
  );
}

async function shownStep(page: Page): Promise<number> {
  const shown = (await page.getByRole('status', { name: 'Step' }).textContent()) ?? '0';
  return Number(shown.split('/')[0].replace(/,/g, ''));
}

/** A figure per run, its CPU breakdown, and figures measured with it (printed after it). */
type Measure = (
  browser: Browser,
  page: Page,
) => Promise<{ value: number; parts?: Record<string, number>; beside?: Record<string, number> }>;

/*
 * Inside a traced window the page is driven through element handles found before it: a role
 * query (getByRole) computes accessible names over the whole page in the page's main thread, and
 * would be measured as the app's CPU (it cost more than the steps themselves).
 */

const stepCpu: Measure = async (browser, page) => {
  await open(page, './');
  await page.getByRole('combobox', { name: 'speed' }).selectOption('4');
  const play = await page.getByRole('button', { name: 'Play' }).elementHandle();
  if (!play) throw new Error('no Play button');
  const step0 = await shownStep(page);
  const cpu = await tracedCpu(browser, page, async () => {
    // The same button is Play, then Pause (its name follows the state).
    await play.evaluate((b: HTMLButtonElement) => b.click());
    await page.waitForTimeout(3000);
    await play.evaluate((b: HTMLButtonElement) => b.click());
  });
  if ((await play.getAttribute('aria-label')) !== 'Play') throw new Error('the player did not pause');
  const steps = (await shownStep(page)) - step0;
  if (BREAKDOWN) console.log(`  steps: ${steps}`);
  if (steps < 5) throw new Error(`only ${steps} steps played in 3 s at 4x`);
  if (WHY) cpu.why(steps);
  return { value: cpu.ms / steps, parts: per(cpu.parts, steps) };
};

const scrubCpu: Measure = async (browser, page) => {
  await open(page, BIG_LINK);
  const slider = page.getByRole('slider', { name: 'Trace position' });
  const total = Number((await slider.getAttribute('max')) ?? 0);
  const handle = await slider.elementHandle();
  if (!handle) throw new Error('no Trace position slider');
  const moves = 40;
  const cpu = await tracedCpu(browser, page, async () => {
    for (let i = 1; i <= moves; i++) {
      // Spread over the whole trace, back and forth, as a hand on the slider goes.
      const at = Math.round(((i % 2 ? i : moves - i) / moves) * (total - 1));
      await handle.fill(String(at));
      // Two frames: the move's render and paint are done.
      await page.evaluate(
        () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
      );
    }
  });
  const at = Number(await handle.inputValue());
  if (at !== Math.round(((moves % 2 ? moves : 0) / moves) * (total - 1)))
    throw new Error(`the slider is at ${at} after the last move`);
  if (WHY) cpu.why(moves);
  return { value: cpu.ms / moves, parts: per(cpu.parts, moves) };
};

function per(parts: Record<string, number>, n: number): Record<string, number> {
  return Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, v / n]));
}

/** Marks of the page's first load, in ms from navigation (NaN when missing). */
async function loadMarks(page: Page): Promise<{ paint: number; frame: number; run: number; fcp: number }> {
  await open(page, './');
  // FCP is reported a frame or more after the commit that causes it.
  await page.waitForFunction(() =>
    // (FCP follows the app's first frame, which marks itself as it begins.)
    ['first-contentful-paint', 'hmm:first-run'].every((n) => performance.getEntriesByName(n).length > 0),
  );
  // No function declared inside: tsx wraps named functions in a helper the page does not have.
  const [paint, frame, run, fcp] = await page.evaluate(() =>
    ['first-paint', 'hmm:first-frame', 'hmm:first-run', 'first-contentful-paint'].map(
      (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN,
    ),
  );
  return { paint, frame, run, fcp };
}

const firstRun: Measure = async (_browser, page) => {
  const m = await loadMarks(page);
  return {
    value: Math.max(0, m.run - m.frame),
    beside: {
      first_frame_ms: m.frame,
      first_run_ms: m.run,
      first_paint_ms: m.paint,
      first_contentful_paint_ms: m.fcp,
    },
  };
};

async function main(): Promise<void> {
  await withPreview(PORT, async (base) => {
    const browser = await chromium.launch({
      executablePath: findChromium().executablePath,
      args: [...CHROMIUM_ARGS],
    });
    const figures: Record<string, Measure> = {
      step_cpu_ms: stepCpu,
      scrub_cpu_ms: scrubCpu,
      first_run_after_paint_ms: firstRun,
    };
    for (const [name, measure] of Object.entries(figures)) {
      if (ONLY && !ONLY.split(',').includes(name)) continue;
      const values: number[] = [];
      const besides: Record<string, number[]> = {};
      for (let r = 0; r < RUNS; r++) {
        const context = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        traceName = `${name}-${r + 1}`;
        const { value, parts, beside } = await measure(browser, page);
        values.push(value);
        for (const [k, v] of Object.entries(beside ?? {})) (besides[k] ??= []).push(v);
        if (BREAKDOWN && parts)
          console.log(
            `  ${name} run ${r + 1}: ${Object.entries(parts)
              .map(([k, v]) => `${k} ${v.toFixed(1)}`)
              .join(', ')} (ms, inclusive)`,
          );
        await context.close();
      }
      for (const [k, vs] of [[name, values] as const, ...Object.entries(besides)])
        console.log(`${k}: ${median(vs).toFixed(1)} (runs: ${vs.map((v) => v.toFixed(1)).join(', ')})`);
    }
    await browser.close();
  });
}

await main();
