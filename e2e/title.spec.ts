import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { waitReady, watchErrors } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

test('an edited title and notes travel into the header, the link, the exports and the embed', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await waitReady(page);
  const editor = page.getByRole('complementary', { name: 'Scenario editor' });
  await editor.getByText('Title and notes').click();
  await editor.getByRole('textbox', { name: 'Title' }).fill('Nouveau: 2 MiB buffer, every 4th page written');
  await editor.getByRole('textbox', { name: 'Notes' }).fill('For the GPU team.\nPages 100-163 are swapped.');

  await expect(
    page.getByRole('heading', { level: 2, name: 'Nouveau: 2 MiB buffer, every 4th page written' }),
  ).toBeVisible();
  await expect(page.getByRole('main').getByText('Pages 100-163 are swapped.')).toBeVisible();

  // The JSON export carries both.
  await page.getByRole('button', { name: 'Export' }).click();
  const panel = page.getByRole('dialog', { name: 'Export' });
  let download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Scenario as JSON' }).click();
  const file = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as Record<string, string>;
  expect(file.title).toBe('Nouveau: 2 MiB buffer, every 4th page written');
  expect(file.notes).toBe('For the GPU team.\nPages 100-163 are swapped.');
  expect((await download).suggestedFilename()).toBe('nouveau-2-mib-buffer-every-4th-page-written.json');

  // The picture is titled with it.
  download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Stage as SVG' }).click();
  const svg = readFileSync(await (await download).path(), 'utf8');
  expect(svg).toContain('Nouveau: 2 MiB buffer, every 4th page written');
  await page.keyboard.press('Escape');

  // The embed's snippet names it, and the embed itself shows it.
  await page.getByRole('button', { name: 'Embed' }).click();
  const snippet = await page
    .getByRole('dialog', { name: 'Embed this figure' })
    .getByRole('textbox', { name: 'HTML to paste' })
    .inputValue();
  expect(snippet).toContain('title="HMM Explorer: Nouveau: 2 MiB buffer, every 4th page written"');
  const src = /src="([^"]+)"/.exec(snippet)![1].replace(/&amp;/g, '&');
  await page.keyboard.press('Escape');

  // The link opens it again with title and notes, and so does the embed.
  const link = await page.evaluate(() => location.href);
  const again = await page.context().newPage();
  await again.goto(link);
  await expect(
    again.getByRole('heading', { level: 2, name: 'Nouveau: 2 MiB buffer, every 4th page written' }),
  ).toBeVisible();
  await expect(again.getByRole('main').getByText('Pages 100-163 are swapped.')).toBeVisible();
  await again.goto(src);
  await expect(again.getByRole('heading', { level: 1 })).toHaveText(
    'Nouveau: 2 MiB buffer, every 4th page written',
  );

  // One undo per field visit.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('main').getByText('Pages 100-163 are swapped.')).toHaveCount(0);
  expect(errors).toEqual([]);
});
