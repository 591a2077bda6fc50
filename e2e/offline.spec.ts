import { test, expect } from '@playwright/test';
import { waitReady } from './support/app.ts';

/** Once loaded, the app and its embeds work with the network gone (a classroom's wifi fails). */

test.use({ serviceWorkers: 'allow' });
test.describe.configure({ timeout: 180_000 });

test('after the first load, the app and an embed reload and run offline', async ({ page, context }) => {
  await page.goto('./#preset=example-1');
  await waitReady(page);
  // The service worker has cached the build once it controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) =>
        navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }),
      );
  });

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('main').getByRole('heading', { level: 2 })).toHaveText(/^Seed example 1/);
  await waitReady(page);
  // Another view, another preset: all from the cache.
  await page.getByRole('button', { name: 'Tour', exact: true }).click();
  await waitReady(page);
  await expect(page.getByRole('alert')).toBeHidden();

  await page.goto('./?embed&from=3#preset=example-2');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Seed example 2/);
  await waitReady(page);
  await expect(page.getByRole('status', { name: 'Step' })).toHaveText(/^3 \//);
  await context.setOffline(false);
});
