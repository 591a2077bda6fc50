import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { waitReady } from './support/app.ts';

/**
 * axe over every view beside the explorer (a11y.spec.ts covers the explorer itself), in both
 * themes: the embed (narrow), the tour, a prediction before and after the reveal, a comparison,
 * presentation mode, the Embed dialog and the Export panel, and the phone layout.
 */
async function violations(page: Page, where: string): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations.map(
    (v) => `${where}: ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ')}`,
  );
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds nothing in any view, ${scheme} theme`, async ({ page }) => {
    test.slow();
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 1440, height: 900 });
    const found: string[] = [];

    // The embed, as narrow as a docs column gets.
    await page.setViewportSize({ width: 360, height: 900 });
    await page.goto('./?embed&from=11#preset=example-2');
    await waitReady(page);
    found.push(...(await violations(page, 'embed')));

    // The phone layout of the explorer.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('./#preset=example-2');
    await waitReady(page);
    found.push(...(await violations(page, 'phone')));

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('./#tour=3');
    await waitReady(page);
    await expect(page.getByRole('status', { name: 'Narration' })).toContainText('Page 5');
    found.push(...(await violations(page, 'tour')));

    await page.goto('./#predict=2');
    await expect(page.getByRole('button', { name: 'Reveal' })).toBeEnabled();
    found.push(...(await violations(page, 'predict')));
    await page.getByRole('button', { name: 'Reveal' }).click();
    await expect(page.getByRole('status', { name: 'Score' })).toBeVisible();
    found.push(...(await violations(page, 'predict, revealed')));

    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect(page.getByRole('slider', { name: 'Trace position' })).toBeEnabled();
    await page.getByRole('button', { name: 'To end' }).click();
    found.push(...(await violations(page, 'compare')));

    await page.getByRole('button', { name: 'Presentation mode' }).click();
    found.push(...(await violations(page, 'compare, presenting')));
    await page.getByRole('button', { name: 'Explore', exact: true }).click();
    await waitReady(page);
    await page.getByRole('slider', { name: 'Trace position' }).fill('9');
    found.push(...(await violations(page, 'explore, presenting')));
    await page.keyboard.press('Escape');
    await expect(page.getByRole('button', { name: 'Presentation mode' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );

    await page.getByRole('button', { name: 'Export' }).click();
    await expect(page.getByRole('dialog', { name: 'Export' })).toBeVisible();
    found.push(...(await violations(page, 'export panel')));
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Embed' }).click();
    await expect(page.getByRole('dialog', { name: 'Embed this figure' })).toBeVisible();
    found.push(...(await violations(page, 'embed dialog')));

    expect(found).toEqual([]);
  });
}
