/**
 * The kernel generations in the app (issue 9): the picker offers Linux 5.2, 6.1, 6.12 and 7.3 with
 * their year and what changed; a 7.3 preset played to the end shows what `npm run sim` says;
 * Compare puts 6.1 and 6.12 side by side on one swap-in; the tour of today's hmm.rst wording.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expandMap, faultCount, sim, tableStates, waitReady, watchErrors } from './support/app.ts';
import { AXE_BUDGET_MS, axeViolations } from './support/axe.ts';

test.use({ viewport: { width: 1440, height: 900 } });

/**
 * axe over the part of the page a test is about: the whole explorer, tour and comparison are
 * analysed in both themes by a11y.spec.ts and views-a11y.spec.ts, so each test here analyses only
 * what a kernel generation changes (the picker and the pseudocode, the stage, the tour's text).
 */
async function axeClean(page: Page, where: string, scope: string) {
  expect(await axeViolations(page, where, scope)).toEqual([]);
}

test('the kernel picker offers four generations, each with its year and what changed', async ({ page }) => {
  test.setTimeout(2 * AXE_BUDGET_MS);
  await page.goto('./');
  await waitReady(page);
  const picker = page.getByRole('radiogroup', { name: 'Kernel' });
  const radios = picker.getByRole('radio');
  await expect(radios).toHaveCount(4);
  for (const [label, year] of [
    ['Linux 5.2', '2019'],
    ['Linux 6.1', '2022'],
    ['Linux 6.12', '2024'],
    ['Linux 7.3', '2026'],
  ])
    await expect(
      picker.getByRole('radio', { name: new RegExp(`^${label.replace('.', '\\.')} ${year}\\b`) }),
    ).toHaveCount(1);
  // Each option says what changed, for a screen reader as for the eye.
  await expect(
    picker.getByRole('radio', { name: /^Linux 6\.12 2024.*What changed: .*VM_FAULT_WRITE/ }),
  ).toHaveCount(1);

  await picker.getByRole('radio', { name: /^Linux 7\.3/ }).check();
  await waitReady(page);
  await expect(page.getByText('Linux 7.3', { exact: true }).filter({ visible: true })).toBeVisible();
  await expect(page.getByText(/^What changed: Record, unwind, then fault/)).toBeVisible();
  // The pseudocode follows 7.3's source.
  await expect(page.getByText('static int hmm_record_fault(addr, end, required_fault, walk)')).toBeVisible();
  await page.screenshot({ path: 'test-results/kernel-picker.png' });
  await axeClean(page, 'picker on 7.3', '#editor, [aria-labelledby=code-title]');
});

test('a Linux 7.3 preset played to the end shows what `npm run sim` says', async ({ page }) => {
  test.setTimeout(2 * AXE_BUDGET_MS);
  const errors = watchErrors(page);
  const file = 'public/scenarios/example-2-v7.3.json';
  const title = (JSON.parse(readFileSync(file, 'utf8')) as { title: string }).title;
  const expected = sim(file);
  await page.goto('./');
  await waitReady(page);
  await page.getByRole('button', { name: 'Presets' }).click();
  await page
    .getByRole('region', { name: 'New in Linux 6.12 and 7.3' })
    .getByRole('button', { name: new RegExp(`^${title}`) })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
  await waitReady(page);

  // Step to the first recorded fault: the narration says the walk records, then unwinds.
  const narration = page.getByRole('status', { name: 'Narration' });
  for (let i = 0; i < 40; i++) {
    if (((await narration.textContent()) ?? '').includes('hmm_record_fault')) break;
    await page.getByRole('button', { name: 'Step forward' }).click();
  }
  await expect(narration).toContainText('HMM_FAULT_PENDING');
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(narration).toContainText('the walk has unwound');

  // Played over the last steps, the player stops by itself at the end (explorer.spec.ts plays a
  // whole run; the pace of a play on a busy machine is not what this test is about).
  await page.getByRole('button', { name: 'To end' }).click();
  const step = page.getByRole('status', { name: 'Step' });
  const last = Number(/^\d+ \/ (\d+)$/.exec((await step.textContent()) ?? '')?.[1]);
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step back' }).click();
  await expect(step).toHaveText(`${last - 3} / ${last}`);
  await page.getByRole('combobox', { name: 'speed' }).selectOption('4');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(step).toHaveText(`${last} / ${last}`, { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Step forward' })).toBeDisabled();
  expect(await tableStates(page, 'Device page table')).toEqual(expandMap(expected.device, 8));
  expect(await tableStates(page, 'CPU page table')).toEqual(expandMap(expected.cpu, 8));
  expect(await faultCount(page)).toBe(String(expected.faults.length));
  expect(errors).toEqual([]);
  await axeClean(page, '7.3 at the end', 'main');
});

test('Compare puts Linux 6.1 and Linux 6.12 side by side on the same swap-in', async ({ page }) => {
  test.setTimeout(2 * AXE_BUDGET_MS);
  await page.goto('./');
  await waitReady(page);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await page
    .getByRole('combobox', { name: 'Ready comparisons' })
    .selectOption({ label: 'A read swap-in on Linux 6.1 and Linux 6.12' });
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(/Linux 6\.1 vs Linux 6\.12/);
  await waitReady(page);
  await page.getByRole('button', { name: 'To end' }).click();
  // Pages 0-3 end differently: read-only on 6.1, writable on 6.12.
  const diff = page.getByRole('region', { name: /^Differences by page/ });
  await expect(diff.getByRole('listitem')).toHaveCount(4);
  await expect(diff.getByRole('listitem').first()).toContainText('page 0');
  await expect(diff.getByRole('listitem').first()).toContainText('device ro');
  await expect(diff.getByRole('listitem').first()).toContainText('device rw');
  // Any generation can be chosen on either side.
  const kernelB = page.getByRole('group', { name: 'Policy B' }).getByRole('combobox', { name: 'Kernel' });
  await expect(kernelB.getByRole('option')).toHaveText([
    'Linux 5.2 (2019)',
    'Linux 6.1 (2022)',
    'Linux 6.12 (2024)',
    'Linux 7.3 (2026)',
  ]);
  await page.screenshot({ path: 'test-results/compare-6.1-6.12.png' });
  await axeClean(page, 'compare 6.1 and 6.12', 'main');
});

test("the tour of today's hmm.rst: its first steps quote HMM_PFN_REQ_FAULT and run on Linux 7.3", async ({
  page,
}) => {
  test.setTimeout(3 * AXE_BUDGET_MS);
  await page.goto('./#today=1');
  const tour = page.getByRole('complementary', { name: 'Guided tour' });
  await expect(tour.getByRole('heading', { level: 2 })).toContainText(
    'Two fields, one policy for the whole range',
  );
  await expect(tour.getByText('Documentation/mm/hmm.rst, Linux 7.3')).toBeVisible();
  await waitReady(page);
  await expect(page.getByText('Linux 7.3', { exact: true }).filter({ visible: true })).toBeVisible();
  await axeClean(page, 'tour today, step 1', '#tour, #stage');

  await tour.getByRole('button', { name: 'Next' }).click();
  await expect(tour.getByRole('heading', { level: 2 })).toContainText('Read-fault the whole range');
  await expect(tour.locator('blockquote')).toContainText('range->default_flags = HMM_PFN_REQ_FAULT;');
  await expect(page).toHaveURL(/#v=1&view=tour&tour=today&step=2(&|$)/);
  await waitReady(page);
  // The step opens at hmm_record_fault.
  await expect(page.getByRole('status', { name: 'Narration' })).toContainText('hmm_record_fault');
  await page.screenshot({ path: 'test-results/tour-today-2.png' });
  await axeClean(page, 'tour today, step 2', '#tour, #stage');

  // The other wording is one click away.
  await tour.getByRole('button', { name: /Read the 2019 wording/ }).click();
  await expect(page).toHaveURL(/#v=1&view=tour&step=1(&|$)/);
  await expect(tour.locator('figcaption')).toHaveText('Documentation/mm/hmm.rst, the seed patch (2019)');
});
