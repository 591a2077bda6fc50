import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import LZString from 'lz-string';
import { EXAMPLE_2, expandMap, faultCount, sim, waitReady, watchErrors } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

/** The scenario the URL holds (the app keeps `#v=1&s=<lz-string>&…` up to date). */
async function urlScenario(page: Page): Promise<Record<string, unknown>> {
  const hash = await page.evaluate(() => location.hash);
  const m = /^#(?:.*&)?s=([^&]*)/.exec(hash);
  if (!m) throw new Error(`no s= field in the link ${hash}`);
  return JSON.parse(LZString.decompressFromEncodedURIComponent(m[1])) as Record<string, unknown>;
}

/** The page numbers of the stage's columns, from the CPU table's column headers. */
async function visiblePages(page: Page): Promise<number[]> {
  const heads = await page
    .getByRole('table', { name: 'CPU page table' })
    .getByRole('columnheader')
    .allTextContents();
  return heads.filter((h) => /^page \d+$/.test(h.trim())).map((h) => Number(h.trim().slice(5)));
}

test.describe('a GPU driver developer building a 512-page situation', () => {
  test('a 2 MiB buffer, some pages swapped, a read-only mapping, a write request on every 4th page', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const errors = watchErrors(page);
    await page.goto('./');
    await waitReady(page);
    const editor = page.getByRole('complementary', { name: 'Scenario editor' });
    const selection = editor.getByRole('textbox', { name: 'Selected pages' });
    const setCpu = editor.getByRole('button', { name: /^Set CPU pte to/ });

    // Thirteen actions.
    await editor.getByRole('button', { name: '512 pages' }).click(); // 1
    await selection.fill('all'); // 2
    await editor.getByRole('radio', { name: /^rw:/ }).check(); // 3
    await setCpu.click(); // 4
    await selection.fill('100-163'); // 5
    await editor.getByRole('radio', { name: /^swap:/ }).check(); // 6
    await setCpu.click(); // 7
    await selection.fill('256-511'); // 8
    await editor.getByRole('combobox', { name: 'mapping for the selected pages' }).selectOption('r'); // 9
    await editor.getByRole('button', { name: 'Set vma' }).click(); // 10
    // The view went to the pages edited (256-511 were out of view) and stays there.
    await waitReady(page);
    const edited = await visiblePages(page);
    expect(edited[0]).toBe(255);
    await selection.fill('every 4th page'); // 11
    await expect(editor.getByText('128 of 512 pages selected')).toBeVisible();
    await editor.getByRole('radio', { name: 'VALID | WRITE' }).check(); // 12
    await editor.getByRole('button', { name: /^Set pfns input to/ }).click(); // 13

    // A pattern that covers the pages on screen leaves the view there (no jump back to page 0).
    await waitReady(page);
    expect(await visiblePages(page)).toEqual(edited);

    // What was built is the situation asked for, written independently here.
    const example = JSON.parse(readFileSync(EXAMPLE_2, 'utf8')) as Record<string, unknown>;
    const requests: Record<string, string[]> = { '5': ['REQ_WRITE'] };
    for (let p = 0; p < 512; p += 4) requests[String(p)] = ['REQ_FAULT', 'REQ_WRITE'];
    const intended = {
      ...example,
      range: { start: '0x7f0000000000', pages: 512 },
      vmas: [
        { from: 0, pages: 256, prot: 'rw', backing: 'anon' },
        { from: 256, pages: 256, prot: 'r', backing: 'anon' },
      ],
      cpu: { '0-99': 'rw', '100-163': 'swap', '164-255': 'rw', '256-511': 'ro' },
      requests,
    };
    // The address follows the state after a pause (a debounce): read it once it holds the last edit.
    const expected = sim(intended);
    await expect.poll(async () => sim(await urlScenario(page)), { timeout: 60_000 }).toEqual(expected);
    // A write request in the read-only mapping (page 256) makes the call fail with -EPERM.
    expect(expected.errno).toBe('EPERM');

    // The run on screen is the one `npm run sim` gives.
    await page.getByRole('button', { name: 'To end' }).click();
    expect(await faultCount(page)).toBe(String(expected.faults.length));
    const pages = await visiblePages(page);
    const device = expandMap(expected.device, 512);
    const cells = await page
      .getByRole('table', { name: 'Device page table' })
      .getByRole('cell')
      .allTextContents();
    expect(cells.map((c) => c.trim())).toEqual(pages.map((p) => device[p]));

    // One undo takes back the last range edit whole.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect
      .poll(async () => (await urlScenario(page)).requests, { timeout: 60_000 })
      .toEqual({ '5': ['REQ_WRITE'] });

    // The editor and the stage (the whole page's event log of a 512-page run is slow to audit).
    const axe = await new AxeBuilder({ page }).include('#editor').include('#stage').analyze();
    expect(
      axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('Shift-click on the stage selects a run of pages; a bad selection says what is wrong', async ({
    page,
  }) => {
    await page.goto('./');
    await waitReady(page);
    const editor = page.getByRole('complementary', { name: 'Scenario editor' });
    const selection = editor.getByRole('textbox', { name: 'Selected pages' });
    const inputs = page.getByRole('group', { name: 'pfns array: input, request and output' });
    await inputs.getByRole('button', { name: /^page 2 input/ }).click();
    await inputs.getByRole('button', { name: /^page 9 input/ }).click({ modifiers: ['Shift'] });
    await expect(selection).toHaveValue('2-9');
    await expect(editor.getByText('8 of 16 pages selected')).toBeVisible();

    await selection.fill('3, 20-10');
    await expect(selection).toHaveAttribute('aria-invalid', 'true');
    await expect(
      editor.getByText('"20-10" runs backwards: write the lower page first (10-20)'),
    ).toBeVisible();
    await expect(editor.getByRole('button', { name: 'Set vma' })).toBeDisabled();
  });
});
