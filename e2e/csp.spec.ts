import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { waitReady } from './support/app.ts';
import { createHash } from 'node:crypto';
import { CSP_META, cspHeader, cspMeta } from '../src/security/csp.ts';

/**
 * Every view under the policy the build ships (a <meta> in index.html): a listener installed
 * before the app's first script records each `securitypolicyviolation`; none may happen, and the
 * cells keep their state colours (the theme's colours are not an inline <style>).
 */

test.use({ viewport: { width: 1440, height: 900 } });
test.describe.configure({ timeout: 180_000 });

declare global {
  interface Window {
    __violations: string[];
  }
}

async function watchViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
}

const violations = (page: Page) => page.evaluate(() => window.__violations);

/** The background colours of the CPU page table's cells: several states, several colours. */
async function cellColours(page: Page): Promise<number> {
  const colours = await page
    .getByRole('table', { name: 'CPU page table' })
    .first()
    .getByRole('cell')
    .evaluateAll((cells) => cells.map((c) => getComputedStyle(c).backgroundColor));
  return new Set(colours.filter((c) => c !== 'rgba(0, 0, 0, 0)')).size;
}

test('the build ships the policy, allowing only its own first-screen script inline', async ({ page }) => {
  // The page's inline scripts, as served: the policy allows each by its hash, and nothing else.
  const html = await (await page.request.get('./')).text();
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  expect(inline.length).toBeGreaterThan(0);
  const hashes = [
    ...new Set(inline.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`)),
  ];
  expect(cspMeta(hashes)).not.toBe(CSP_META);
  // The header form a server sends (README, "Serving it") allows the same script.
  const header = await (await page.request.get('./csp-header.txt')).text();
  expect(header.trim()).toBe(`Content-Security-Policy: ${cspHeader(hashes)}`);
  // A phone's plain start: the script puts the prerendered first screen up, with no violation.
  await page.setViewportSize({ width: 390, height: 844 });
  await watchViolations(page);
  await page.goto('./');
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    'content',
    cspMeta(hashes),
  );
  await waitReady(page);
  expect(await violations(page)).toEqual([]);
});

test('every view runs with no violation of the shipped policy, cells in colour', async ({ page }) => {
  await watchViolations(page);
  await page.goto('./#preset=example-2');
  await waitReady(page);
  expect(await cellColours(page)).toBeGreaterThanOrEqual(2);

  // Export: SVG, PNG and JSON files.
  await page.getByRole('button', { name: 'Export' }).click();
  const panel = page.getByRole('dialog', { name: 'Export' });
  for (const name of ['Stage as SVG', 'Stage as PNG']) {
    const download = page.waitForEvent('download');
    await panel.getByRole('button', { name }).click();
    await download;
  }
  await page.keyboard.press('Escape');

  // The Embed dialog.
  await page.getByRole('button', { name: 'Embed' }).click();
  await expect(page.getByRole('dialog', { name: 'Embed this figure' })).toBeVisible();
  await page.keyboard.press('Escape');

  // Tour, Predict, Compare.
  await page.getByRole('button', { name: 'Tour', exact: true }).click();
  await expect(page.getByRole('complementary', { name: 'Guided tour' })).toBeVisible();
  await waitReady(page);
  // Step 1's pages are all in one state: one colour, but a colour.
  expect(await cellColours(page)).toBeGreaterThanOrEqual(1);
  await page.getByRole('button', { name: 'Predict', exact: true }).click();
  await expect(page).toHaveURL(/[#&]s=/);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByRole('table', { name: /^Counters/ })).toBeVisible({ timeout: 30_000 });
  expect(await cellColours(page)).toBeGreaterThanOrEqual(2);

  // Presentation mode, in the dark theme.
  await page.getByRole('button', { name: 'Explore', exact: true }).click();
  await page.getByRole('button', { name: 'Presentation mode' }).click();
  await page.emulateMedia({ colorScheme: 'dark' });
  await waitReady(page);
  expect(await cellColours(page)).toBeGreaterThanOrEqual(2);

  expect(await violations(page)).toEqual([]);
});

test('an embed runs with no violation, cells in colour', async ({ page }) => {
  await watchViolations(page);
  await page.goto('./?embed&autoplay&theme=dark#preset=example-1');
  await waitReady(page);
  expect(await cellColours(page)).toBeGreaterThanOrEqual(2);
  expect(await violations(page)).toEqual([]);
});
