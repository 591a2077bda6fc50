import { test, expect } from '@playwright/test';
import { waitReady } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

test('the presets can be searched, by title, kernel or group', async ({ page }) => {
  await page.goto('./');
  await waitReady(page);
  await page.getByRole('button', { name: 'Presets' }).click();
  const dialog = page.getByRole('dialog', { name: 'Presets' });
  const search = dialog.getByRole('searchbox', { name: 'Search presets' });
  // The panel loads when first opened: count its buttons once it is there (count() does not wait).
  await expect(search).toBeVisible();
  const all = await dialog.getByRole('button').count();
  await search.fill('after fork');
  await expect.poll(() => dialog.getByRole('button').count()).toBeLessThan(all);
  expect(await dialog.getByRole('button').count()).toBeGreaterThan(0);
  await dialog
    .getByRole('button', { name: /after fork/i })
    .first()
    .click();
  await expect(page.getByRole('heading', { level: 2, name: /after fork/i })).toBeVisible();

  await page.getByRole('button', { name: 'Presets' }).click();
  await dialog.getByRole('searchbox', { name: 'Search presets' }).fill('no such preset anywhere');
  await expect(dialog.getByRole('status')).toHaveText('No preset matches “no such preset anywhere”.');
});
