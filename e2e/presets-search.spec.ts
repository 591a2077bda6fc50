import { test, expect } from '@playwright/test';
import { waitReady } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

test('the presets can be searched, by title, kernel or group', async ({ page }) => {
  await page.goto('./');
  await waitReady(page);
  await page.getByRole('button', { name: 'Presets' }).click();
  const dialog = page.getByRole('dialog', { name: 'Presets' });
  const all = await dialog.getByRole('button').count();
  const search = dialog.getByRole('searchbox', { name: 'Search presets' });
  await search.fill('after fork');
  const some = await dialog.getByRole('button').count();
  expect(some).toBeGreaterThan(0);
  expect(some).toBeLessThan(all);
  await dialog
    .getByRole('button', { name: /after fork/i })
    .first()
    .click();
  await expect(page.getByRole('heading', { level: 2, name: /after fork/i })).toBeVisible();

  await page.getByRole('button', { name: 'Presets' }).click();
  await dialog.getByRole('searchbox', { name: 'Search presets' }).fill('no such preset anywhere');
  await expect(dialog.getByRole('status')).toHaveText('No preset matches “no such preset anywhere”.');
});
