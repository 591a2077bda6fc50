import { test, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { waitReady } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });
// Several page loads and runs per test, on a machine that may be busy.
test.setTimeout(180_000);

/**
 * Seed example 1 restarts its walk at step 22 (back to last = page 4). The arc of a restart is
 * drawn at that step only: one step later, and anywhere else the same stage goes, it is gone.
 */
const RESTART = 22;
const ARC = { name: /^The walk jumps back from page \d+ to page 4$/ };

function arcs(scope: Page | Locator) {
  return scope.getByRole('img', ARC);
}

test('the restart arc is gone one step after the restart in the explorer, the tour and an embed', async ({
  page,
}) => {
  await page.goto('./#preset=example-1');
  await waitReady(page);
  const slider = page.getByRole('slider', { name: 'Trace position' });
  await slider.fill(String(RESTART));
  await expect(arcs(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(page.getByRole('status', { name: 'Step' })).toHaveText(new RegExp(`^${RESTART + 1} /`));
  await expect(arcs(page)).toHaveCount(0);
  // Back on it, then Home: gone again.
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(arcs(page)).toHaveCount(1);
  await page.keyboard.press('Home');
  await expect(arcs(page)).toHaveCount(0);

  // The tour's step 6 opens at the restart; the next step does not keep its arc.
  await page.goto('./#tour=6');
  await waitReady(page);
  await expect(arcs(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(arcs(page)).toHaveCount(0);
  const tour = page.getByRole('complementary', { name: 'Guided tour' });
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(arcs(page)).toHaveCount(1);
  await tour.getByRole('button', { name: /^Next/ }).click();
  await waitReady(page);
  await expect(arcs(page)).toHaveCount(0);

  // An embed.
  await page.goto(`./?embed&from=${RESTART}#preset=example-1`);
  await waitReady(page);
  await expect(arcs(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(arcs(page)).toHaveCount(0);
});

test('the restart arc is gone one step after the restart in both Compare panels', async ({ page }) => {
  await page.goto('./#preset=example-1');
  await waitReady(page);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  // Example 1 itself is side A of "two policies" and side B of "Linux 5.2 and 6.1".
  for (const [pair, side] of [
    ['The explorer’s scenario, two policies', 'Stage A'],
    ['The explorer’s scenario on Linux 5.2 and 6.1', 'Stage B'],
  ] as const) {
    await page.getByRole('button', { name: pair }).click();
    await waitReady(page);
    // The other side may restart at a step of its own: each side is checked on its own stage.
    const stage = page.getByRole('region', { name: side });
    await page.getByRole('slider', { name: 'Trace position' }).fill(String(RESTART));
    await expect(arcs(stage)).toHaveCount(1);
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect(arcs(stage)).toHaveCount(0);
    await page.getByRole('button', { name: 'Step back' }).click();
    await expect(arcs(stage)).toHaveCount(1);
    await page.keyboard.press('Home');
    await expect(arcs(page)).toHaveCount(0);
  }
});
