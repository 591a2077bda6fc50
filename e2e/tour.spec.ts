import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { waitReady } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

const TITLES = [
  'Before: one request per entry',
  'default_flags alone',
  'The mask lets one page ask for write',
  'A writable CPU pte comes back writable',
  'A fault spreads over the rest of the chunk',
  'The walk restarts',
  'An invalidation races the driver',
  'What changed after Linux 5.2',
  'Your turn',
];

/** What each step opens at: the narration of its moment. */
const MOMENTS: Record<number, RegExp> = {
  1: /Page 7 \(ro\) asks for write/,
  3: /Page 5 \(ro\) asks for write/,
  5: /handle_mm_fault\(page 8, read\): pte present/,
  6: /The walk restarts at last = page 4/,
  7: /Invalidation \(MMU_NOTIFY_CLEAR\) of pages 0-3/,
  8: /Page 6 \(ro\) asks for read: no fault/,
};

async function atStep(page: Page, n: number) {
  const tour = page.getByRole('complementary', { name: 'Guided tour' });
  await expect(tour.getByRole('heading', { level: 2 })).toHaveText(`Step ${n}. ${TITLES[n - 1]}`);
  await expect(tour.getByRole('progressbar', { name: 'Tour progress' })).toHaveAttribute(
    'aria-valuetext',
    `step ${n} of ${TITLES.length}`,
  );
  await expect(tour.getByRole('button', { name: `Step ${n}: ${TITLES[n - 1]}` })).toHaveAttribute(
    'aria-current',
    'step',
  );
  await expect(page).toHaveURL(new RegExp(`#v=1&view=tour&step=${n}(&|$)`));
  await waitReady(page);
  if (MOMENTS[n]) await expect(page.getByRole('status', { name: 'Narration' })).toHaveText(MOMENTS[n]);
}

test('the tour from its first step to its last, and back to the scenario the user had', async ({ page }) => {
  await page.goto('./#preset=example-1');
  await waitReady(page);
  await page.getByRole('button', { name: 'Tour', exact: true }).click();
  await atStep(page, 1);
  const tour = page.getByRole('complementary', { name: 'Guided tour' });
  // The seed's own words are quoted where a step explains them.
  await expect(tour.getByRole('figure')).toContainText('default_flags and pfn_flags_mask that allows');

  for (let n = 2; n <= TITLES.length; n++) {
    await tour.getByRole('button', { name: /^Next/ }).click();
    await atStep(page, n);
    if (n === 3) {
      // Try it: WRITE out of the mask; page 5's request no longer counts and nothing is faulted.
      await tour.getByRole('button', { name: 'Try it: Take WRITE out of the mask' }).click();
      await expect(tour.getByRole('status')).toContainText('its own request no longer counts');
      await waitReady(page);
      await page.getByRole('button', { name: 'To end' }).click();
      await expect(page.getByRole('status', { name: 'handle_mm_fault calls' })).toHaveText('0');
    }
  }
  await tour.getByRole('button', { name: 'Back', exact: true }).click();
  await atStep(page, TITLES.length - 1);
  await tour.getByRole('button', { name: /^Next/ }).click();
  await atStep(page, TITLES.length);

  await tour.getByRole('button', { name: 'Finish' }).click();
  await expect(page.getByRole('button', { name: 'Explore', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.getByRole('main').getByRole('heading', { level: 2 })).toHaveText(/^Seed example 1/);
  await expect(page).toHaveURL(/#v=1&s=/);
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
});

test('the tour is linkable by step and resumes where it was left', async ({ page }) => {
  await page.goto('./#tour=6');
  await atStep(page, 6);
  // A clicker's Page Down steps the run, and at its end turns the page.
  await page.getByRole('button', { name: 'To end' }).click();
  await page.keyboard.press('PageDown');
  await atStep(page, 7);
  await page.keyboard.press('PageDown');
  await expect(page.getByRole('status', { name: 'Narration' })).not.toHaveText(MOMENTS[7]);

  // Left, then entered again from the explorer: the tour resumes at step 7.
  await page.getByRole('button', { name: 'Explore', exact: true }).click();
  await page.goto('./');
  await waitReady(page);
  await page.getByRole('button', { name: 'Tour', exact: true }).click();
  await atStep(page, 7);

  // A scenario link followed during the tour opens in the explorer, and the URL holds it again.
  await page.evaluate(() => (location.hash = '#preset=example-1'));
  await expect(page.getByRole('button', { name: 'Explore', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.getByRole('main').getByRole('heading', { level: 2 })).toHaveText(/^Seed example 1/);
  await expect(page).toHaveURL(/#v=1&s=/);

  // A link to a step that does not exist opens the explorer and says so.
  // A new document (a hash change alone would not reload the app; a reload after it raced the
  // app's rewrite of the address, and reloaded whatever the address held by then).
  await page.goto('about:blank');
  await page.goto('./#tour=99');
  await expect(page.getByRole('alert')).toContainText(
    'There is no tour step “99”. Opened the explorer instead.',
  );
  await expect(page.getByRole('button', { name: 'Explore', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});
