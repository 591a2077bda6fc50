import { test, expect } from '@playwright/test';
import { waitReady } from './support/app.ts';
import { AXE_BUDGET_MS, axeViolations } from './support/axe.ts';

test.use({ viewport: { width: 1440, height: 900 } });

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds nothing on the main view, ${scheme} theme, before and during a run`, async ({ page }) => {
    test.setTimeout(3 * AXE_BUDGET_MS);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto('./');
    await waitReady(page);
    expect(await axeViolations(page, 'loaded')).toEqual([]);

    // Mid-run: a fault, the cursor band, a need decision, outputs filled. Only the stage, the
    // explanations and the player change as the run plays: the editor was analysed above.
    for (let i = 0; i < 12; i++) await page.getByRole('button', { name: 'Step forward' }).click();
    expect(await axeViolations(page, 'mid-run', 'main')).toEqual([]);

    await page.getByRole('button', { name: 'To end' }).click();
    expect(await axeViolations(page, 'end', 'main')).toEqual([]);
  });
}

test('axe finds nothing with the presets open, a broken-link notice, and a v5.2 custom layout', async ({
  page,
}) => {
  test.setTimeout(3 * AXE_BUDGET_MS);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('./#s=broken');
  await expect(page.getByRole('alert')).toContainText('damaged');
  await waitReady(page);
  expect(await axeViolations(page, 'notice')).toEqual([]);

  await page.getByRole('button', { name: 'Presets' }).click();
  await expect(page.getByRole('dialog', { name: 'Presets' })).toBeVisible();
  expect(await axeViolations(page, 'presets', 'dialog[open], [role=dialog]')).toEqual([]);
  await page.keyboard.press('Escape');

  // The layout change redraws the editor's registers and the stage's rows; the copy notice shows
  // in the top bar. The explanations below the stage were analysed with the page above.
  await page.getByRole('radio', { name: /Linux 5\.2/ }).check();
  await page.getByRole('combobox', { name: 'Driver layout' }).selectOption('custom');
  await page.getByRole('button', { name: 'Copy link' }).click();
  expect(await axeViolations(page, 'v5.2 custom layout', '#editor, header, #stage')).toEqual([]);
});
