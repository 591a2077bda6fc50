import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { waitReady } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

test('pictures take the pages on screen or a chosen range, and copy to the clipboard', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./');
  await waitReady(page);
  const editor = page.getByRole('complementary', { name: 'Scenario editor' });
  await editor.getByRole('button', { name: '512 pages' }).click();
  await editor.getByRole('textbox', { name: 'Selected pages' }).fill('300-310');
  await editor.getByRole('button', { name: /^Set CPU pte to/ }).click();
  await waitReady(page);
  const heads = await page
    .getByRole('table', { name: 'CPU page table' })
    .getByRole('columnheader')
    .allTextContents();
  const shown = heads.filter((h) => /^page \d+$/.test(h)).map((h) => Number(h.slice(5)));
  expect(shown[0]).toBe(299);

  await page.getByRole('button', { name: 'Export' }).click();
  const panel = page.getByRole('dialog', { name: 'Export' });
  let download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Stage as SVG' }).click();
  const last = shown[shown.length - 1];
  expect((await download).suggestedFilename()).toBe(
    `seed-example-2-read-fault-the-range-write-fault-page-5-pages-299-${last}-step-0.svg`,
  );
  const svg = readFileSync(await (await download).path(), 'utf8');
  expect(svg).toContain('>299<');
  expect(svg).not.toContain('>298<');

  // A chosen range.
  const pages = panel.getByRole('textbox', { name: 'Pages' });
  await pages.fill('100-163');
  download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Stage as SVG' }).click();
  expect((await download).suggestedFilename()).toMatch(/-pages-100-163-step-0\.svg$/);
  await pages.fill('0-100');
  await expect(panel.getByText('101 pages is more than a picture holds (64)')).toBeVisible();
  await pages.fill('');

  // Copy as PNG: a PNG on the clipboard.
  await panel.getByRole('button', { name: 'Copy as PNG' }).click();
  await expect(panel.getByRole('status')).toHaveText(/^Copied the stage/, { timeout: 30_000 });
  const types = await page.evaluate(async () => (await navigator.clipboard.read()).flatMap((i) => i.types));
  expect(types).toContain('image/png');
});
