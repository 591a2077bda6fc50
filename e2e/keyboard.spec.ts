import { test, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { EXAMPLE_2, expandMap, faultCount, sim, tableStates, waitReady } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

/** Presses `key` until `target` has the focus; fails after `max` presses. */
async function pressUntilFocused(page: Page, key: string, target: Locator, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
  }
  throw new Error(`${key} × ${max} never focused ${target}`);
}

test('the whole flow works with the keyboard alone', async ({ page }) => {
  // Tabbing to each control is one key press and one focus check per stop: minutes when busy.
  test.setTimeout(300_000);
  await page.goto('./');
  await waitReady(page);
  const expected = sim(EXAMPLE_2);
  const step = page.getByRole('status', { name: 'Step' });

  // The first Tab stop skips to the player; from there Tab reaches Play.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to the player' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('group', { name: 'Player' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Play' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toBeFocused();

  // End, arrows and Home move the cursor.
  await page.keyboard.press('End');
  expect(await tableStates(page, 'Device page table')).toEqual(expandMap(expected.device, 16));
  expect(await faultCount(page)).toBe(String(expected.faults.length));
  const end = (await step.textContent()) ?? '';
  await page.keyboard.press('ArrowLeft');
  await expect(step).not.toHaveText(end);
  await page.keyboard.press('ArrowRight');
  await expect(step).toHaveText(end);
  await page.keyboard.press('Home');
  await expect(step).toHaveText(/^0 \//);

  // Back into the editor: the register is one Tab stop, arrows move between its bits.
  const mask = page.getByRole('group', { name: 'pfn_flags_mask' });
  await pressUntilFocused(page, 'Shift+Tab', mask.getByRole('checkbox', { name: /^bit 63 VALID/ }));
  await page.keyboard.press('ArrowRight');
  const write = mask.getByRole('checkbox', { name: /^bit 62 WRITE/ });
  await expect(write).toBeFocused();
  await page.keyboard.press('Space');
  await expect(write).not.toBeChecked();
  await page.keyboard.press('Control+z');
  await expect(write).toBeChecked();
  await page.keyboard.press('Control+Shift+z');
  await expect(write).not.toBeChecked();

  // Run it: the device table now differs from the seed's.
  await pressUntilFocused(page, 'Shift+Tab', page.getByRole('button', { name: 'Run' }));
  await page.keyboard.press('Enter');
  await waitReady(page);
  await page.keyboard.press('End');
  expect(await tableStates(page, 'Device page table')).not.toEqual(expandMap(expected.device, 16));

  // Presets open with Enter, close with Escape (focus returns), and load with Enter.
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Presets' })).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Presets' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Presets' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Tab');
  // The focused preset's accessible name starts with its title, which becomes the heading.
  const chosen = (await page.evaluate(() => document.activeElement?.textContent)) ?? '';
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  const heading =
    (await page.getByRole('main').getByRole('heading', { level: 2 }).first().textContent()) ?? '';
  expect(heading.length).toBeGreaterThan(10);
  expect(chosen.startsWith(heading)).toBe(true);
  await waitReady(page);

  // Copy link is reachable and shows the link.
  await pressUntilFocused(page, 'Tab', page.getByRole('button', { name: 'Copy link' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Link to this scenario' })).toHaveValue(/#v=1&s=/);
});

test("the stage's rows are one Tab stop each: arrows move along the pages, Enter paints the focused one", async ({
  page,
}) => {
  await page.goto('./');
  await waitReady(page);
  const cpu = page.getByRole('table', { name: 'CPU page table' }).getByRole('cell');
  const cpuButton = (p: number) => cpu.nth(p).getByRole('button');
  await expect(cpu.nth(4)).toHaveText('ro');
  await cpuButton(3).focus();
  await page.keyboard.press('ArrowRight');
  await expect(cpuButton(4)).toBeFocused();
  await expect(cpuButton(4)).toHaveAttribute('tabindex', '0');
  await expect(cpuButton(3)).toHaveAttribute('tabindex', '-1');
  // The CPU brush is rw: Enter paints page 4 with it, and the focus stays on the page.
  await page.keyboard.press('Enter');
  await expect(cpu.nth(4)).toHaveText('rw');
  await expect(cpuButton(4)).toBeFocused();
  await page.keyboard.press('End');
  await expect(cpuButton(15)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(cpuButton(0)).toBeFocused();

  const input = (p: number) => page.getByRole('button', { name: new RegExp(`^page ${p} input `) });
  await input(0).focus();
  await page.keyboard.press('ArrowRight');
  await expect(input(1)).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(input(0)).toBeFocused();
  await expect(input(0)).toHaveAttribute('tabindex', '0');
});
