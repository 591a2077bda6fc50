import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { sim, waitReady } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

/** Presses a page's guess cell until it says `to`. */
async function guess(page: Page, kind: 'fault' | 'device', p: number, to: string) {
  const cell = page.getByRole('group', { name: 'Your prediction' }).getByRole('button', {
    name: new RegExp(`^page ${p} ${kind} guess: `),
  });
  for (let i = 0; i < 3; i++) {
    if ((await cell.getAttribute('aria-label'))?.endsWith(`: ${to}`)) return;
    await cell.click();
  }
  await expect(cell).toHaveAccessibleName(`page ${p} ${kind} guess: ${to}`);
}

test('a ready question: a wrong prediction is scored with reasons, a right one in full', async ({ page }) => {
  await page.goto('./#predict=2');
  await expect(page.getByRole('button', { name: 'Predict', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.getByRole('main').getByRole('heading', { level: 2 })).toHaveText(
    'The mask lets page 5 ask for write',
  );
  // Until the reveal the run stays hidden: the player is locked, the counters are not shown.
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();
  await expect(page.getByRole('status', { name: 'handle_mm_fault calls' })).toHaveCount(0);

  // The natural first guess: only page 5 is write-faulted, only page 5 writable on the device.
  await guess(page, 'fault', 5, 'write fault');
  await page.getByRole('button', { name: 'all: device ro' }).click();
  await guess(page, 'device', 5, 'rw');
  await page.getByRole('button', { name: 'Reveal' }).click();

  const score = page.getByRole('status', { name: 'Score' });
  await expect(score).toContainText('6 / 8 faults right');
  await expect(score).toContainText('6 / 8 device entries right');
  const misses = page.getByRole('region', { name: 'What happened instead' });
  await expect(misses.getByRole('listitem')).toHaveCount(2);
  await expect(misses.getByRole('listitem').first()).toContainText(
    "you said no fault; it was a write fault: page 6 was write-faulted because page 5's write fault spans the rest of its pmd chunk.",
  );
  await expect(misses.getByRole('listitem').first()).toContainText(
    'you said ro; the device ends rw: page 6 was write-faulted, so its CPU pte became writable and HMM reported WRITE.',
  );
  await expect(page.getByText('page 7 wrong')).toBeAttached();
  await expect(page.getByText('page 4 right')).toBeAttached();
  // Revealed, the run is on the stage at its end, with the same faults as the command line.
  await expect(page.getByRole('status', { name: 'handle_mm_fault calls' })).toHaveText('3');

  // Guess again, right this time.
  await page.getByRole('button', { name: 'Guess again' }).click();
  for (const p of [6, 7]) {
    await guess(page, 'fault', p, 'write fault');
    await guess(page, 'device', p, 'rw');
  }
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(score).toContainText('8 / 8 faults right');
  await expect(score).toContainText('8 / 8 device entries right');
  await expect(page.getByText('Every page right')).toBeVisible();

  await page.getByRole('button', { name: 'Next question' }).click();
  await expect(page).toHaveURL(/#v=1&view=predict&question=3$/);
  await expect(page.getByRole('main').getByRole('heading', { level: 2 })).toHaveText(
    'The same request, pfn_flags_mask = 0',
  );
  await expect(page.getByRole('button', { name: 'Reveal' })).toBeVisible();
});

test('any scenario can be predicted: the explorer’s own, scored against `npm run sim`', async ({ page }) => {
  await page.goto('./#preset=example-1');
  await waitReady(page);
  await expect(page.getByText('Watch for:')).toBeVisible();
  await page.getByRole('button', { name: 'Predict', exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Question' })).toHaveValue('0');
  // The preset's sentence would give the answer away: it waits for the reveal.
  await expect(page.getByText('Watch for:')).toHaveCount(0);
  await page.getByRole('button', { name: 'all: device ro' }).click();
  await page.getByRole('button', { name: 'Reveal' }).click();
  const expected = sim('public/scenarios/example-1.json');
  const faulted = new Set(expected.faults.map((f) => f.page));
  const ro = Object.entries(expected.device)
    .flatMap(([k, v]) => {
      const [a, b] = k.split('-').map(Number);
      return Array.from({ length: (b ?? a) - a + 1 }, () => v);
    })
    .filter((v) => v === 'ro').length;
  const score = page.getByRole('status', { name: 'Score' });
  await expect(page.getByText('Watch for:')).toBeVisible();
  await expect(score).toContainText(`${16 - faulted.size} / 16 faults right`);
  await expect(score).toContainText(`${ro} / 16 device entries right`);
  // Back in the explorer, the same scenario, nothing lost.
  await page.getByRole('button', { name: 'Explore', exact: true }).click();
  await expect(page.getByRole('main').getByRole('heading', { level: 2 })).toHaveText(/Seed example 1/);
});
