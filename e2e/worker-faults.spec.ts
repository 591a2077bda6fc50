import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { waitReady, watchErrors } from './support/app.ts';

/**
 * The engine's worker misbehaving: it never answers, it crashes, it answers nonsense. Each gives a
 * message and leaves an app that works again without a reload once the worker behaves.
 */

test.describe.configure({ timeout: 180_000 });

const WORKER = '**/engine.worker*.js';

/** Serves `body` instead of the engine's worker script, until unroute. */
async function badWorker(page: Page, body: string): Promise<void> {
  await page.route(WORKER, (route) => route.fulfill({ contentType: 'text/javascript', body }));
}

async function worksAgain(page: Page): Promise<void> {
  await page.unroute(WORKER);
  // Run again: a fresh worker answers, and the stale message goes away.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await waitReady(page);
  await expect(page.getByRole('alert')).toBeHidden();
}

test('a worker that never answers: progress, Cancel, then a message after one retry', async ({ page }) => {
  await badWorker(page, 'self.onmessage = () => {};');
  await page.goto('./#preset=example-2');
  // After a moment the run shows how long it has run, with a way to stop it.
  await expect(page.getByText(/^Running for \d+ s$/)).toBeVisible({ timeout: 60_000 });
  const cancel = page.getByRole('button', { name: 'Cancel the run' });
  await expect(cancel).toBeVisible();
  // Left alone, the silent worker is replaced, the run retried, and then it says so.
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('it was restarted and the run tried again', { timeout: 30_000 });
  await expect(alert).toContainText('The engine could not run this scenario', { timeout: 45_000 });
  await expect(alert).toContainText('The engine did not answer');
  await worksAgain(page);
});

test('Cancel stops a run that takes long, and the scenario stays', async ({ page }) => {
  await badWorker(page, 'self.onmessage = () => {};');
  await page.goto('./#preset=example-1');
  await page.getByRole('button', { name: 'Cancel the run' }).click({ timeout: 60_000 });
  await expect(page.getByRole('alert')).toContainText('Run cancelled. Your scenario is unchanged');
  await expect(page.getByRole('main').getByRole('heading', { level: 2 })).toHaveText(/^Seed example 1/);
  await worksAgain(page);
});

test('a worker that crashes: retried once, then a message; the app works again', async ({ page }) => {
  const errors = watchErrors(page);
  await badWorker(page, 'throw new Error("worker exploded");');
  await page.goto('./#preset=example-2');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The engine could not run this scenario', { timeout: 30_000 });
  await expect(alert).toContainText('crashed');
  await worksAgain(page);
  expect(errors.filter((e) => !/worker exploded|engine worker restarted/.test(e))).toEqual([]);
});

test('a malformed result is a message, not a blank page', async ({ page }) => {
  await badWorker(
    page,
    'self.onmessage = (e) => self.postMessage({ type: "result", id: e.data.id, run: { trace: 7 }, ms: 1 });',
  );
  await page.goto('./#preset=example-2');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('sent back a result that cannot be read', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Tour', exact: true })).toBeVisible();
  await worksAgain(page);
});
