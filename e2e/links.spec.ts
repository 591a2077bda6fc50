import { test, expect } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { scrubTo, waitReady } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });
// Two page loads and two engine runs per test, on a machine that may be busy.
test.setTimeout(180_000);

/** Copy link, read from the field it shows (no clipboard permission needed). */
async function copyLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Copy link' }).click();
  const field = page.getByRole('textbox', { name: 'Link to this scenario' });
  await expect(field).toHaveValue(/#v=1&/);
  return field.inputValue();
}

/** Opens a link in a fresh browser context: no localStorage to fall back on, only the link. */
async function fresh(browser: Browser, link: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(link);
  return page;
}

const step = (page: Page) => page.getByRole('status', { name: 'Step' });
const narration = (page: Page) => page.getByRole('status', { name: 'Narration' });
const pressed = (page: Page, view: string) =>
  expect(page.getByRole('button', { name: view, exact: true })).toHaveAttribute('aria-pressed', 'true');

test('Copy link in the explorer opens the same scenario at the same step', async ({ page, browser }) => {
  await page.goto('./#preset=example-2');
  await waitReady(page);
  await scrubTo(page, 12);
  const said = await narration(page).textContent();
  const link = await copyLink(page);
  // The moment is written by what happens, not by its number.
  expect(link).toMatch(/&at=1st-write-fault-on-5$/);
  const other = await fresh(browser, link);
  await waitReady(other);
  await expect(step(other)).toHaveText(/^12 \//);
  await expect(narration(other)).toHaveText(said!);
  await expect(other.getByText(/not in this run/)).toHaveCount(0);
  await other.context().close();
});

test('Copy link in the tour opens the same step at the same moment', async ({ page, browser }) => {
  await page.goto('./#tour=3');
  await waitReady(page);
  await page.getByRole('button', { name: 'Step forward' }).click();
  await page.getByRole('button', { name: 'Step forward' }).click();
  const at = await step(page).textContent();
  const said = await narration(page).textContent();
  const link = await copyLink(page);
  expect(link).toMatch(/#v=1&view=tour&step=3&at=/);
  const other = await fresh(browser, link);
  await waitReady(other);
  await pressed(other, 'Tour');
  await expect(
    other.getByRole('complementary', { name: 'Guided tour' }).getByRole('heading', { level: 2 }),
  ).toHaveText(/^Step 3\. /);
  await expect(step(other)).toHaveText(at!);
  await expect(narration(other)).toHaveText(said!);
  await other.context().close();
});

test('Copy link in Predict opens the question, answer hidden, for a ready one and a custom one', async ({
  page,
  browser,
}) => {
  await page.goto('./#predict=2');
  const heading = page.getByRole('main').getByRole('heading', { level: 2 });
  await expect(page.getByRole('button', { name: 'Reveal' })).toBeVisible();
  const title = await heading.textContent();
  let link = await copyLink(page);
  expect(link).toMatch(/#v=1&view=predict&question=2$/);
  let other = await fresh(browser, link);
  await pressed(other, 'Predict');
  await expect(other.getByRole('main').getByRole('heading', { level: 2 })).toHaveText(title!);
  await expect(other.getByRole('button', { name: 'Reveal' })).toBeVisible();
  await other.context().close();

  // A prediction on the explorer's own scenario has a link of its own too.
  await page.goto('./#preset=example-1');
  await waitReady(page);
  await page.getByRole('button', { name: 'Predict', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Reveal' })).toBeVisible();
  link = await copyLink(page);
  expect(link).toMatch(/#v=1&view=predict&s=/);
  other = await fresh(browser, link);
  await pressed(other, 'Predict');
  await expect(other.getByRole('main').getByRole('heading', { level: 2 })).toHaveText(/^Seed example 1/);
  await expect(other.getByRole('button', { name: 'Reveal' })).toBeVisible();
  await expect(other.getByRole('slider', { name: 'Trace position' })).toBeDisabled();
  await other.context().close();
});

test('Copy link in Compare opens both sides and the step', async ({ page, browser }) => {
  await page.goto('./#preset=example-2');
  await waitReady(page);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await page
    .getByRole('group', { name: 'Policy B' })
    .getByRole('combobox', { name: 'Kernel' })
    .selectOption('v5.2');
  await waitReady(page);
  // The slider is live while side B runs again (side A's trace is there): wait for B's run.
  await expect(page.getByLabel('Narration B')).not.toHaveText(/Running…/);
  await scrubTo(page, 9);
  await expect(page.getByLabel('Narration A')).toHaveText(/^9/);
  const heading = await page.getByRole('heading', { level: 2 }).textContent();
  const a = await page.getByLabel('Narration A').textContent();
  const b = await page.getByLabel('Narration B').textContent();
  // Export and Embed are there too.
  await expect(page.getByRole('button', { name: 'Embed' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Export' })).toBeEnabled();
  const link = await copyLink(page);
  expect(link).toMatch(/#v=1&view=compare&a=.+&b=.+&at=/);

  const other = await fresh(browser, link);
  await pressed(other, 'Compare');
  await waitReady(other);
  await expect(other.getByRole('heading', { level: 2 })).toHaveText(heading!);
  await expect(
    other.getByRole('group', { name: 'Policy B' }).getByRole('combobox', { name: 'Kernel' }),
  ).toHaveValue('v5.2');
  await expect(
    other.getByRole('group', { name: 'Policy A' }).getByRole('combobox', { name: 'Kernel' }),
  ).toHaveValue('v6');
  await expect(step(other)).toHaveText(/^9 \//);
  await expect(other.getByLabel('Narration A')).toHaveText(a!);
  await expect(other.getByLabel('Narration B')).toHaveText(b!);
  await other.context().close();
});

test('a hand-written durable anchor opens its moment; one that cannot resolve says so', async ({ page }) => {
  await page.goto('./#v=1&preset=example-2&at=1st-write-fault-on-5');
  await waitReady(page);
  await expect(narration(page)).toContainText('handle_mm_fault(page 5, FAULT_FLAG_WRITE)');
  await expect(page.getByText(/not in this run/)).toHaveCount(0);

  // A new document each time (a hash change alone would not reload the app).
  await page.goto('about:blank');
  await page.goto('./#v=1&preset=example-1&at=2nd-restart');
  await waitReady(page);
  await expect(page.getByRole('alert')).toContainText(
    'The link’s moment, the 2nd restart, is not in this run.',
  );
  await expect(page.getByRole('alert')).toContainText('showing the 1st (the last)');
  await expect(narration(page)).toContainText('The walk restarts');

  // A step past the run: a visible notice, not a silent clamp.
  await page.goto('about:blank');
  await page.goto('./#v=1&preset=example-1&at=999');
  await waitReady(page);
  await expect(page.getByRole('alert')).toContainText('Step 999 is past the end of this run');
  await expect(step(page)).toHaveText(/^(\d+) \/ \1$/);
});
