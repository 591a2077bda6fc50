/**
 * The kernel generations in the app (issue 9): the picker offers Linux 5.2, 6.1, 6.12 and 7.3 with
 * their year and what changed; a 7.3 preset played to the end shows what `npm run sim` says;
 * Compare puts 6.1 and 6.12 side by side on one swap-in; the tour of today's hmm.rst wording.
 */
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expandMap, faultCount, sim, tableStates, waitReady, watchErrors } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

async function axeClean(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
}

test('the kernel picker offers four generations, each with its year and what changed', async ({ page }) => {
  test.setTimeout(120_000);
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
  await axeClean(page);
});

test('a Linux 7.3 preset played to the end shows what `npm run sim` says', async ({ page }) => {
  test.setTimeout(180_000);
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

  await page.getByRole('combobox', { name: 'speed' }).selectOption('4');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Step forward' })).toBeDisabled();
  expect(await tableStates(page, 'Device page table')).toEqual(expandMap(expected.device, 8));
  expect(await tableStates(page, 'CPU page table')).toEqual(expandMap(expected.cpu, 8));
  expect(await faultCount(page)).toBe(String(expected.faults.length));
  expect(errors).toEqual([]);
  await axeClean(page);
});

test('Compare puts Linux 6.1 and Linux 6.12 side by side on the same swap-in', async ({ page }) => {
  test.setTimeout(120_000);
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
  await axeClean(page);
});

test("the tour of today's hmm.rst: its first steps quote HMM_PFN_REQ_FAULT and run on Linux 7.3", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('./#today=1');
  const tour = page.getByRole('complementary', { name: 'Guided tour' });
  await expect(tour.getByRole('heading', { level: 2 })).toContainText(
    'Two fields, one policy for the whole range',
  );
  await expect(tour.getByText('Documentation/mm/hmm.rst, Linux 7.3')).toBeVisible();
  await waitReady(page);
  await expect(page.getByText('Linux 7.3', { exact: true }).filter({ visible: true })).toBeVisible();
  await axeClean(page);

  await tour.getByRole('button', { name: 'Next' }).click();
  await expect(tour.getByRole('heading', { level: 2 })).toContainText('Read-fault the whole range');
  await expect(tour.locator('blockquote')).toContainText('range->default_flags = HMM_PFN_REQ_FAULT;');
  await expect(page).toHaveURL(/#v=1&view=tour&tour=today&step=2(&|$)/);
  await waitReady(page);
  // The step opens at hmm_record_fault.
  await expect(page.getByRole('status', { name: 'Narration' })).toContainText('hmm_record_fault');
  await page.screenshot({ path: 'test-results/tour-today-2.png' });
  await axeClean(page);

  // The other wording is one click away.
  await tour.getByRole('button', { name: /Read the 2019 wording/ }).click();
  await expect(page).toHaveURL(/#v=1&view=tour&step=1(&|$)/);
  await expect(tour.locator('figcaption')).toHaveText('Documentation/mm/hmm.rst, the seed patch (2019)');
});
