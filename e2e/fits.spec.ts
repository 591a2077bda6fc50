import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { LARGE_LINK } from '../scripts/support/preview.ts';
import { waitReady } from './support/app.ts';

/**
 * Every view fits its window at every width a reader, a teacher's projector or a docs column
 * gives it: the page never scrolls sideways, and the player keeps all its controls inside its
 * bar. Before, at 720-790 px the toolbar was up to 68 px wider than the window, and from 920 to
 * 1040 px (a 1024 px projector) the player beside the editor cut its speed control off by up to
 * 126 px; an embed 600 px wide cut it by 18.
 */
const WIDTHS = Array.from({ length: (1440 - 320) / 20 + 1 }, (_, i) => 320 + i * 20);

const views: Record<string, { url: string; open?: (page: Page) => Promise<void> }> = {
  explorer: { url: './' },
  // The widest step count ("9,334 / 9,334") the player holds.
  'explorer on 4096 pages': {
    url: `./${LARGE_LINK}`,
    open: (page) => page.getByRole('button', { name: 'To end' }).click(),
  },
  tour: { url: './', open: (page) => page.getByRole('button', { name: 'Tour', exact: true }).click() },
  predict: { url: './', open: (page) => page.getByRole('button', { name: 'Predict', exact: true }).click() },
  compare: { url: './', open: (page) => page.getByRole('button', { name: 'Compare', exact: true }).click() },
  'presentation mode': {
    url: './',
    open: (page) => page.getByRole('button', { name: 'Presentation mode' }).click(),
  },
  embed: { url: './?embed' },
};

/** How far (px) the page is wider than the window, and a player's controls stick out of its bar. */
async function overflow(page: Page): Promise<{ page: number; player: number }> {
  // The width's layout, container queries included, is done by the next frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const player = await page.getByRole('group', { name: 'Player' }).evaluateAll((bars) => {
    let out = 0;
    for (const bar of bars) {
      const b = bar.getBoundingClientRect();
      for (const el of bar.querySelectorAll('*')) {
        const e = el.getBoundingClientRect();
        if (e.width) out = Math.max(out, Math.round(e.right - b.right), Math.round(b.left - e.left));
      }
    }
    return out;
  });
  const wider = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  return { page: wider, player };
}

for (const [name, view] of Object.entries(views)) {
  test(`the ${name} fits the window from 320 to 1440 px`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(view.url);
    await waitReady(page);
    await view.open?.(page);
    // The view is there, with its player.
    await expect(page.getByRole('group', { name: 'Player' }).first()).toBeVisible();
    const wrong: string[] = [];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      const o = await overflow(page);
      if (o.page > 0) wrong.push(`${width} px: the page is ${o.page} px wider than the window`);
      if (o.player > 0) wrong.push(`${width} px: a player control sticks out ${o.player} px`);
    }
    expect(wrong).toEqual([]);
  });
}

/**
 * The formula panel's words (64 bits, the hex, the named bits) are all in reach: side by side
 * where the panel is wide, wrapped under each other where it is not, and scrolled sideways in
 * their own box on a phone. Before, beside the editor below ~1400 px the hex and the names were
 * cut off by the column, with nothing to scroll.
 */
for (const width of [390, 760, 1000, 1280, 1440]) {
  test(`the formula panel's words are all in reach at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('./');
    await waitReady(page);
    const words = page.getByRole('group', { name: /^The request of page \d+, bit by bit$/ });
    await words.scrollIntoViewIfNeeded();
    // Scrolled to its end, as a reader would (a no-op when nothing overflows).
    const cut = await words.evaluate(async (box) => {
      box.scrollLeft = box.scrollWidth;
      await new Promise((r) => requestAnimationFrame(r));
      const view = box.getBoundingClientRect();
      const right = Math.min(view.right, window.innerWidth);
      return [...box.querySelectorAll('tr:not([hidden]) .names')]
        .map((n) => n.getBoundingClientRect())
        .filter((r) => r.right > right + 0.5)
        .map((r) => Math.round(r.right - right));
    });
    expect(cut, "how far each row's named bits are past what can be seen").toEqual([]);
  });
}
