import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { waitReady } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

async function violations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ')}`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds nothing on the main view, ${scheme} theme, before and during a run`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto('./');
    await waitReady(page);
    expect(await violations(page)).toEqual([]);

    // Mid-run: a fault, the cursor band, a need decision, outputs filled.
    for (let i = 0; i < 12; i++) await page.getByRole('button', { name: 'Step forward' }).click();
    expect(await violations(page)).toEqual([]);

    await page.getByRole('button', { name: 'To end' }).click();
    expect(await violations(page)).toEqual([]);
  });
}

test('axe finds nothing with the presets open, a broken-link notice, and a v5.2 custom layout', async ({
  page,
}) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('./#s=broken');
  await expect(page.getByRole('alert')).toContainText('damaged');
  await waitReady(page);
  expect(await violations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Presets' }).click();
  await expect(page.getByRole('dialog', { name: 'Presets' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.keyboard.press('Escape');

  await page.getByRole('radio', { name: /Linux 5\.2/ }).check();
  await page.getByRole('combobox', { name: 'Driver layout' }).selectOption('custom');
  await page.getByRole('button', { name: 'Copy link' }).click();
  expect(await violations(page)).toEqual([]);
});
