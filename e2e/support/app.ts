import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

/** The output form `npm run sim` prints (the parts the UI shows). */
export interface SimOutput {
  status: string;
  ret: number | null;
  errno: string | null;
  faults: { page: number; write: boolean }[];
  restarts: number;
  attempts: number;
  device: Record<string, string>;
  cpu: Record<string, string>;
}

/**
 * The command `npm run sim` runs (package.json's `scripts.sim`), started without npm: npm's own
 * start costs more CPU than the simulation of a small scenario, and a spec runs it many times.
 */
const SIM_COMMAND = (() => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { sim: string } };
  const [program, ...args] = pkg.scripts.sim.split(' ');
  if (program !== 'node') throw new Error(`npm run sim is "${pkg.scripts.sim}": update e2e/support/app.ts`);
  return args;
})();

/** Each distinct run once per worker: the engine is deterministic, so the same input, the same output. */
const simRuns = new Map<string, string>();

/** `npm run sim -- ...args FILE` on a scenario file's text, its standard output. */
export function simText(text: string, args: readonly string[] = []): string {
  const key = `${args.join(' ')}\0${text}`;
  let out = simRuns.get(key);
  if (out === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'hmm-e2e-'));
    const file = join(dir, 'scenario.json');
    try {
      writeFileSync(file, text);
      out = execFileSync(process.execPath, [...SIM_COMMAND, ...args, file], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        maxBuffer: 64 * 1024 * 1024,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    simRuns.set(key, out);
  }
  return out;
}

/** Runs the command line on a scenario file (a path, or an object written to a temp file). */
export function sim(scenario: string | object): SimOutput {
  const text = typeof scenario === 'string' ? readFileSync(scenario, 'utf8') : JSON.stringify(scenario);
  return JSON.parse(simText(text)) as SimOutput;
}

/** Expands a page map ({"0-3": "rw", "5": "ro"}) to one value per page. */
export function expandMap(map: Record<string, string>, pages: number, fill = 'none'): string[] {
  const out = new Array<string>(pages).fill(fill);
  for (const [key, value] of Object.entries(map)) {
    const [a, b] = key.split('-').map(Number);
    for (let p = a; p <= (b ?? a); p++) out[p] = value;
  }
  return out;
}

/** The state text of each cell of a page table on screen, in page order. */
export async function tableStates(
  page: Page,
  name: 'Device page table' | 'CPU page table',
): Promise<string[]> {
  const cells = page.getByRole('table', { name }).getByRole('cell');
  return (await cells.allTextContents()).map((t) => t.trim());
}

export async function faultCount(page: Page): Promise<string> {
  return (await page.getByRole('status', { name: 'handle_mm_fault calls' }).textContent())?.trim() ?? '';
}

/** Waits until the engine has answered for the scenario on screen. */
export async function waitReady(page: Page): Promise<void> {
  await expect(page.getByRole('slider', { name: 'Trace position' })).toBeEnabled({ timeout: 60_000 });
}

/**
 * Moves the trace slider to `at` and waits until the step is on screen: the player draws a
 * slider move on the next animation frame, so what the page says right after fill() is the
 * step before.
 */
export async function scrubTo(page: Page, at: number): Promise<void> {
  await page.getByRole('slider', { name: 'Trace position' }).fill(String(at));
  await expect(page.getByRole('status', { name: 'Step' })).toHaveText(new RegExp(`^${at} /`));
}

/** Collects console errors and page errors, to assert none happened. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** The seed's example 2, the app's default scenario. */
export const EXAMPLE_2 = 'public/scenarios/example-2.json';
