import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { EXAMPLE_2, expandMap, faultCount, sim, tableStates, waitReady, watchErrors } from './support/app.ts';
import { animationsSettled } from './support/axe.ts';

test.use({ viewport: { width: 1280, height: 720 } });

/** The page numbers of the stage's columns, from the CPU table's column headers. */
async function columns(page: Page): Promise<number[]> {
  const heads = await page
    .getByRole('table', { name: 'CPU page table' })
    .getByRole('columnheader')
    .allTextContents();
  return heads.filter((h) => /^page \d+$/.test(h.trim())).map((h) => Number(h.trim().slice(5)));
}

/** Everything named is inside the 1280x720 window: nothing needs scrolling to be seen. */
async function inWindow(
  page: Page,
  what: { role: Parameters<Page['getByRole']>[0]; name: string | RegExp }[],
) {
  for (const w of what) {
    const box = await page.getByRole(w.role, { name: w.name }).first().boundingBox();
    expect(box, `${w.role} ${String(w.name)}`).not.toBeNull();
    expect(box!.y + box!.height, `${w.role} ${String(w.name)} bottom`).toBeLessThanOrEqual(720);
    expect(box!.x + box!.width, `${w.role} ${String(w.name)} right`).toBeLessThanOrEqual(1280);
  }
}

async function violations(page: Page): Promise<string[]> {
  await animationsSettled(page);
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const SIXTEEN = Array.from({ length: 16 }, (_, i) => i);
const SHOTS = process.env.SCREENSHOTS_DIR;

test.describe('a teacher on a 1280x720 projector, in presentation mode', () => {
  test('every view but Compare shows all 16 pages and its controls without scrolling', async ({ page }) => {
    test.setTimeout(240_000);
    const errors = watchErrors(page);
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await page.goto('./');
    await waitReady(page);
    await page.getByRole('button', { name: 'Presentation mode' }).click();

    // Explore.
    expect(await columns(page)).toEqual(SIXTEEN);
    await inWindow(page, [
      { role: 'table', name: 'Device page table' },
      { role: 'group', name: 'Player' },
      { role: 'status', name: 'Narration' },
      { role: 'button', name: 'Play' },
    ]);
    // No "watch for" answer while presenting.
    await expect(page.getByText('Watch for:')).toHaveCount(0);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/present-720p-explore.png` });

    // Tour.
    await page.getByRole('button', { name: 'Tour' }).click();
    await expect(page.getByRole('progressbar', { name: 'Tour progress' })).toHaveAttribute(
      'aria-valuetext',
      /^step 1 of/,
    );
    await waitReady(page);
    // The tour's step has its own scenario: every one of its pages is on the stage. Read once the
    // step is shown (the stage said the explorer's 16 pages until then).
    const stage = page.getByRole('region', { name: /^Stage/ });
    await expect
      .poll(async () => {
        const n = Number(((await stage.getByText(/^of \d+$/).textContent()) ?? '').slice(3));
        const shown = await columns(page);
        return shown.length === n && shown.every((p, i) => p === i) ? 'all' : `${shown.length} of ${n}`;
      })
      .toBe('all');
    await inWindow(page, [
      { role: 'table', name: 'Device page table' },
      { role: 'group', name: 'Player' },
    ]);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/present-720p-tour.png` });

    // Predict on the default scenario: its 16 pages, the guess rows and Reveal.
    await page.goto('./');
    await waitReady(page);
    const toggle = page.getByRole('button', { name: 'Presentation mode' });
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
    await page.getByRole('button', { name: 'Predict' }).click();
    await expect(page.getByRole('button', { name: 'Presentation mode' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(page.getByRole('button', { name: /^Reveal/ })).toBeVisible();
    expect(await columns(page)).toEqual(SIXTEEN);
    await inWindow(page, [
      { role: 'table', name: 'Device page table' },
      { role: 'button', name: /^Reveal/ },
    ]);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/present-720p-predict.png` });
    expect(await violations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('flipping bit 62 of pfn_flags_mask from the stage changes the run as `npm run sim` says', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await page.goto('./');
    await waitReady(page);
    await page.getByRole('button', { name: 'Presentation mode' }).click();
    const bit = page.getByRole('button', { name: /^pfn_flags_mask bit 62 / });
    await expect(bit).toHaveAttribute('aria-pressed', 'true');
    await bit.click();
    await expect(bit).toHaveAttribute('aria-pressed', 'false');
    await waitReady(page);
    await page.getByRole('button', { name: 'To end' }).click();

    const file = JSON.parse(readFileSync(EXAMPLE_2, 'utf8')) as object;
    const expected = sim({ ...file, pfnFlagsMask: '0x0' });
    expect(await tableStates(page, 'Device page table')).toEqual(expandMap(expected.device, 16));
    expect(await faultCount(page)).toBe(String(expected.faults.length));
    expect(expected.faults.length).not.toBe(sim(EXAMPLE_2).faults.length);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/present-720p-bit62.png` });

    // The legend and the formula panel on request; `?` lists the keys.
    await expect(page.getByRole('note', { name: 'Legend' })).toBeHidden();
    await page.getByRole('button', { name: 'Legend' }).click();
    await expect(page.getByRole('note', { name: 'Legend' })).toBeVisible();
    await page.getByRole('button', { name: 'Formula' }).click();
    await expect(page.getByRole('button', { name: 'Formula' })).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('?');
    const keys = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(keys).toBeVisible();
    await expect(keys.getByRole('rowheader', { name: 'P', exact: true })).toBeVisible();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/present-720p-shortcuts.png` });
    await page.keyboard.press('Escape');
    await expect(keys).toBeHidden();
    // Escape closed the overlay only: still presenting.
    await expect(page.getByRole('button', { name: 'Presentation mode' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(await violations(page)).toEqual([]);
  });
});
