import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { waitReady } from './support/app.ts';

/** Work is never lost: a reload, a closed tab, a view change or a failing storage keeps it. */

test.describe.configure({ timeout: 180_000 });

const writeBit = (page: Page) =>
  page.getByRole('group', { name: 'pfn_flags_mask' }).getByRole('checkbox', { name: /^bit 62 WRITE/ });
const heading = (page: Page) => page.getByRole('main').getByRole('heading', { level: 2 });

async function importFile(page: Page, name: string, content: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import a scenario file' }).click();
  await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
}

test('a file imported in the tour and edited survives a reload', async ({ page }) => {
  await page.goto('./');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitReady(page);
  await page.getByRole('button', { name: 'Tour', exact: true }).click();
  await expect(page).toHaveURL(/#v=1&view=tour&step=1(&|$)/);
  await importFile(page, 'example-1.json', readFileSync('public/scenarios/example-1.json', 'utf8'));
  await expect(heading(page)).toHaveText(/^Seed example 1/);
  await expect(page.getByRole('button', { name: 'Explore', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await Promise.all([
    page.waitForEvent('load'),
    writeBit(page).evaluate((box: HTMLInputElement) => {
      box.click();
      location.reload();
    }),
  ]);
  await expect(heading(page)).toHaveText(/^Seed example 1/);
  await expect(writeBit(page)).toBeChecked();
  await waitReady(page);
});

test('an edit followed at once by a reload is kept', async ({ page }) => {
  await page.goto('./#preset=example-2');
  await waitReady(page);
  // The click and the reload in one task: no timer of the app's can run between them.
  await Promise.all([
    page.waitForEvent('load'),
    writeBit(page).evaluate((box: HTMLInputElement) => {
      box.click();
      location.reload();
    }),
  ]);
  await expect(heading(page)).toHaveText(/^Seed example 2/);
  await expect(writeBit(page)).not.toBeChecked();
  await waitReady(page);
});

test('storage that is full says so at the first edit, once, and the URL keeps the work', async ({ page }) => {
  await page.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.goto('./#preset=example-2');
  await waitReady(page);
  await expect(page.getByRole('alert')).toBeHidden();
  await writeBit(page).uncheck();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(
    'Your edits are not being saved in this browser: the browser’s storage for this site is full.',
  );
  await expect(alert).toContainText('use Copy link');
  await expect(page).toHaveURL(/[#&]s=/);
  await page.reload();
  await expect(writeBit(page)).not.toBeChecked();
});

test('a new message joins the one on screen, and each is dismissed on its own', async ({ page }) => {
  await page.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.goto('./#preset=example-2');
  await waitReady(page);
  await writeBit(page).uncheck();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Your edits are not being saved');
  // A damaged link followed from the open page says so too; the first message stays.
  await page.evaluate(() => {
    location.hash = '#s=this-is-not-lz-data';
  });
  await expect(alert).toContainText('damaged');
  await expect(alert).toContainText('Your edits are not being saved');
  await alert.getByRole('button', { name: 'Dismiss the message' }).last().click();
  await expect(alert).not.toContainText('damaged');
  await expect(alert).toContainText('Your edits are not being saved');
});

test('storage the browser does not allow is said at once, and the app works', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
    });
  });
  await page.goto('./');
  await expect(page.getByRole('alert')).toContainText(
    'Your work cannot be kept in this browser: this browser does not let the page use its storage.',
  );
  await waitReady(page);
  await writeBit(page).uncheck();
  await page.getByRole('button', { name: 'Tour', exact: true }).click();
  await expect(page).toHaveURL(/#v=1&view=tour&step=1(&|$)/);
});

test('a damaged stored scenario is set aside with a notice, not silently replaced', async ({ page }) => {
  // Written from a page of the app's origin that is not the app (the app saves as it goes away).
  await page.goto('./scenarios/example-1.json');
  await page.evaluate(() => localStorage.setItem('hmm-explorer:scenario', '{"format":1,"kernel":"v9"'));
  await page.goto('./');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The scenario saved in this browser is damaged and was set aside');
  await expect(alert).toContainText('hmm-explorer:scenario:unreadable');
  await waitReady(page);
  expect(await page.evaluate(() => localStorage.getItem('hmm-explorer:scenario:unreadable'))).toBe(
    '{"format":1,"kernel":"v9"',
  );
});

test('a stored tour step the tour does not have opens step 1 with its own scenario', async ({ page }) => {
  await page.goto('./#preset=example-1');
  await page.evaluate(() => localStorage.setItem('hmm-explorer:tour-step', '10'));
  await waitReady(page);
  await page.getByRole('button', { name: 'Tour', exact: true }).click();
  await expect(page).toHaveURL(/#v=1&view=tour&step=1(&|$)/);
  const tour = page.getByRole('complementary', { name: 'Guided tour' });
  await expect(tour.getByRole('heading', { level: 2 })).toHaveText(/^Step 1\. /);
  await expect(heading(page)).not.toHaveText(/^Seed example 1/);
});
