import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { waitReady } from './support/app.ts';

async function fontSize(page: Page, name: string): Promise<number> {
  return page.getByRole('status', { name }).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}

test('presentation mode: large type, high contrast, a clicker’s keys, Escape to leave', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.goto('./#preset=example-2');
  await waitReady(page);
  const before = await fontSize(page, 'Narration');
  const step = page.getByRole('status', { name: 'Step' });

  await page.keyboard.press('p');
  const toggle = page.getByRole('button', { name: 'Presentation mode' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await fontSize(page, 'Narration')).toBeGreaterThanOrEqual(before * 1.3);
  // Only the stage and the story: no editor, no code panels, no tools.
  await expect(page.getByRole('complementary', { name: 'Scenario editor' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Pseudocode' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Copy link' })).toHaveCount(0);
  // Stronger text colour than the normal theme's.
  expect(
    await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--text').trim()),
  ).toBe('#05080d');
  // The whole stage fits a 720p projector, down to the device row, above the player.
  const device = await page.getByRole('table', { name: 'Device page table' }).boundingBox();
  const player = await page.getByRole('group', { name: 'Player' }).boundingBox();
  expect(device!.y + device!.height).toBeLessThanOrEqual(player!.y);

  // A clicker sends Page Down / Page Up.
  for (let i = 0; i < 3; i++) await page.keyboard.press('PageDown');
  await expect(step).toHaveText(/^3 \//);
  await page.keyboard.press('PageUp');
  await expect(step).toHaveText(/^2 \//);

  await page.keyboard.press('Escape');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('complementary', { name: 'Scenario editor' })).toBeVisible();
});

test('the theme follows the system until one is chosen', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('./');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.getByRole('button', { name: 'Theme: system' }).click();
  await page.getByRole('button', { name: 'Theme: light' }).click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
});

test('on a phone every view fits the width, and the player follows the stage', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const views: [string, string][] = [
    ['explore', './#preset=example-2'],
    ['tour', './#tour=3'],
    ['predict', './#predict=2'],
    ['compare', './#preset=example-2'],
  ];
  for (const [view, url] of views) {
    await page.goto(url);
    await page.reload();
    if (view === 'compare') await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect(page.getByRole('group', { name: 'Player' })).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, view).toBeLessThanOrEqual(0);
    // The player is in the page right under the stage, not pinned over it.
    const stage = await page
      .getByRole('region', { name: /^Stage/ })
      .first()
      .boundingBox();
    const player = await page.getByRole('group', { name: 'Player' }).boundingBox();
    expect(player!.y, view).toBeGreaterThanOrEqual(stage!.y + stage!.height);
  }
  // The explorer opens on the stage: the editor is one tap away.
  await page.goto('./#preset=example-2');
  await page.reload();
  await expect(page.getByRole('complementary', { name: 'Scenario editor' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Show the editor' }).click();
  await expect(page.getByRole('complementary', { name: 'Scenario editor' })).toBeVisible();
});
