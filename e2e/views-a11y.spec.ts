import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { waitReady } from './support/app.ts';
import { AXE_BUDGET_MS, axeViolations } from './support/axe.ts';

/**
 * axe over every view beside the explorer (a11y.spec.ts covers the explorer itself), in both
 * themes: the embed (narrow), the phone layout, the tour, a prediction before and after the
 * reveal, a comparison, presentation mode, the Export panel and the Embed dialog. One test per
 * view, so each analysis has its own time and a failure names its view.
 */
const views: { name: string; analyses: number; check: (page: Page) => Promise<string[]> }[] = [
  {
    name: 'the embed, as narrow as a docs column gets',
    analyses: 1,
    check: async (page) => {
      await page.setViewportSize({ width: 360, height: 900 });
      await page.goto('./?embed&from=11#preset=example-2');
      await waitReady(page);
      return axeViolations(page, 'embed');
    },
  },
  {
    name: 'the phone layout of the explorer',
    analyses: 1,
    check: async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto('./#preset=example-2');
      await waitReady(page);
      return axeViolations(page, 'phone');
    },
  },
  {
    name: 'the tour',
    analyses: 1,
    check: async (page) => {
      await page.goto('./#tour=3');
      await waitReady(page);
      await expect(page.getByRole('status', { name: 'Narration' })).toContainText('Page 5');
      return axeViolations(page, 'tour');
    },
  },
  {
    name: 'a prediction, before and after the reveal',
    analyses: 2,
    check: async (page) => {
      await page.goto('./#predict=2');
      await expect(page.getByRole('button', { name: 'Reveal' })).toBeEnabled({ timeout: 60_000 });
      const found = await axeViolations(page, 'predict');
      await page.getByRole('button', { name: 'Reveal' }).click();
      await expect(page.getByRole('status', { name: 'Score' })).toBeVisible();
      found.push(...(await axeViolations(page, 'predict, revealed', 'main')));
      return found;
    },
  },
  {
    name: 'a comparison, and presentation mode over it and over the explorer',
    analyses: 3,
    check: async (page) => {
      await page.goto('./#predict=2');
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await expect(page.getByRole('slider', { name: 'Trace position' })).toBeEnabled({ timeout: 60_000 });
      await page.getByRole('button', { name: 'To end' }).click();
      const found = await axeViolations(page, 'compare');
      await page.getByRole('button', { name: 'Presentation mode' }).click();
      found.push(...(await axeViolations(page, 'compare, presenting')));
      await page.getByRole('button', { name: 'Explore', exact: true }).click();
      await waitReady(page);
      await page.getByRole('slider', { name: 'Trace position' }).fill('9');
      found.push(...(await axeViolations(page, 'explore, presenting')));
      await page.keyboard.press('Escape');
      await expect(page.getByRole('button', { name: 'Presentation mode' })).toHaveAttribute(
        'aria-pressed',
        'false',
      );
      return found;
    },
  },
  {
    name: 'the Export panel and the Embed dialog',
    analyses: 2,
    check: async (page) => {
      await page.goto('./#preset=example-2');
      await waitReady(page);
      await page.getByRole('button', { name: 'Export' }).click();
      await expect(page.getByRole('dialog', { name: 'Export' })).toBeVisible();
      const found = await axeViolations(page, 'export panel', 'dialog[open], [role=dialog]');
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Embed' }).click();
      const dialog = page.getByRole('dialog', { name: 'Embed this figure' });
      await expect(dialog).toBeVisible();
      // The preview is an embed of its own: it is checked once it has started (its first render
      // waits for its first run), not while its page is still empty.
      const preview = dialog.frameLocator('iframe');
      await expect(preview.getByRole('main')).toBeVisible({ timeout: 60_000 });
      await expect(preview.getByRole('heading', { level: 1 })).toBeAttached();
      found.push(...(await axeViolations(page, 'embed dialog', 'dialog[open], [role=dialog]')));
      return found;
    },
  },
];

for (const scheme of ['light', 'dark'] as const) {
  for (const view of views) {
    test(`axe finds nothing in ${view.name}, ${scheme} theme`, async ({ page }) => {
      test.setTimeout((view.analyses + 1) * AXE_BUDGET_MS);
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.setViewportSize({ width: 1440, height: 900 });
      expect(await view.check(page)).toEqual([]);
    });
  }
}
