import { test, expect } from '@playwright/test';

test('the app shell loads with a title, a main landmark, a heading and no console errors', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));

  await page.goto('./');
  await expect(page).toHaveTitle('HMM Explorer');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'HMM Explorer' })).toBeVisible();

  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(icon).toBeTruthy();
  const res = await page.request.get(new URL(icon!, page.url()).toString());
  expect(res.ok()).toBe(true);

  expect(errors).toEqual([]);
});
