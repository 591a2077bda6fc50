import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { AXE_BUDGET_MS, axeViolations } from './support/axe.ts';

/** Fixture 001, as the kernel recorded it: what the panel must show on the kernel's side. */
const fixture = JSON.parse(
  readFileSync('test/fixtures/linux-6.1/001-hmmrst-example-on-pte-table.json', 'utf8'),
) as {
  scenario: { title: string };
  observed: { faults: unknown[]; ret: number; restarts: number; attempts: number };
};

test('a recorded preset shows what Linux 6.1 did beside what the engine does', async ({ page }) => {
  test.setTimeout(3 * AXE_BUDGET_MS);
  await page.goto('./');
  await page.getByRole('button', { name: 'Presets' }).click();
  const recorded = page.getByRole('region', { name: 'Recorded on Linux 6.1', exact: true });
  await recorded.getByRole('button', { name: fixture.scenario.title }).click();

  const panel = page.getByRole('region', { name: /Recorded on Linux 6\.1\.192/ });
  await expect(panel.getByRole('status')).toHaveText(/reproduces this recording exactly/);
  const row = (label: string) => panel.getByRole('row', { name: new RegExp(`^${label}`) }).getByRole('cell');
  await expect(row('handle_mm_fault calls')).toHaveText([
    String(fixture.observed.faults.length),
    String(fixture.observed.faults.length),
  ]);
  await expect(row('driver attempts')).toHaveText([
    String(fixture.observed.attempts),
    String(fixture.observed.attempts),
  ]);
  await expect(row('walk restarts')).toHaveText([
    String(fixture.observed.restarts),
    String(fixture.observed.restarts),
  ]);
  // The panel in both themes (the explorer around it is analysed whole in a11y.spec.ts).
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(page, scheme, '[aria-labelledby=recorded-title]')).toEqual([]);
    await page.screenshot({ path: `test-results/recorded-panel-${scheme}.png` });
  }

  // An edit makes the recording stop applying, and the way back restores it.
  await page.getByRole('button', { name: 'Presets' }).click();
  await page.keyboard.press('Escape');
  await page
    .getByRole('checkbox', { name: /bit 62/ })
    .first()
    .click();
  await expect(page.getByRole('region', { name: 'Recording' })).toContainText('no longer applies');
  await page.getByRole('button', { name: 'Back to the recording' }).click();
  await expect(panel.getByRole('status')).toHaveText(/reproduces this recording exactly/);
});

test('About says how many recordings the engine reproduces, counted by the build', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'About HMM Explorer' }).click();
  const about = page.getByRole('dialog', { name: 'About HMM Explorer' });
  await expect(about).toBeVisible();
  await expect(about.getByRole('status')).toHaveText([
    /The Linux 6\.1 model reproduces 284 of 284 scenarios recorded on a real Linux 6\.1\.192 kernel/,
    /The Linux 6\.12 model reproduces 268 of 268 scenarios recorded on a real Linux 6\.12\.117 kernel/,
  ]);
  await page.keyboard.press('Escape');
  await expect(about).toBeHidden();
});

test('the Recorded on Linux 6.12 group opens a 6.12 recording beside what the engine does', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto('./');
  await page.getByRole('button', { name: 'Presets' }).click();
  const group = page.getByRole('region', { name: 'Recorded on Linux 6.12' });
  await group.getByRole('button', { name: fixture.scenario.title }).click();
  const panel = page.getByRole('region', { name: /Recorded on Linux 6\.12\.117/ });
  await expect(panel.getByRole('status')).toHaveText(/reproduces this recording exactly/);
  await expect(page.getByRole('radio', { name: /^Linux 6\.12/ })).toBeChecked();
  expect(await axeViolations(page, 'recorded on 6.12', '[aria-labelledby=recorded-title]')).toEqual([]);
});
