import { test, expect } from '@playwright/test';
import { waitReady } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

/** 4096 pages: the UI's largest range. Writes all over, a few COW copies, two attempts. */
const big = {
  format: 1,
  title: 'A 4096-page range',
  kernel: 'v6',
  call: 'hmm_range_fault',
  range: { start: '0x7f0000000000', pages: 4096 },
  vmas: [{ from: 0, pages: 4096, prot: 'rw', backing: 'anon' }],
  cpu: { '0-1000': 'rw', '1001-2000': 'ro', '2500': 'zero', '3000-3100': 'zero' },
  defaultFlags: ['REQ_FAULT'],
  pfnFlagsMask: ['REQ_WRITE'],
  requests: { '5': ['REQ_WRITE'], '3000-3010': ['REQ_WRITE'] },
};

test('a 4096-page scenario plays with no main-thread task over 50 ms', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
  });
  await page.goto(`./#scenario=${encodeURIComponent(JSON.stringify(big))}`);
  await expect(page.getByRole('heading', { level: 2, name: big.title })).toBeVisible();
  await waitReady(page);
  const total = Number((await page.getByRole('slider', { name: 'Trace position' }).getAttribute('max')) ?? 0);
  expect(total).toBeGreaterThan(4096);

  // From here on the player owns the main thread: count long tasks.
  await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks = []));
  await page.getByRole('combobox', { name: 'speed' }).selectOption('4');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(2500);
  // Scrub across the whole trace while playing, the heaviest case (replay from checkpoints).
  const slider = page.getByRole('slider', { name: 'Trace position' });
  for (const at of [Math.floor(total / 3), Math.floor((2 * total) / 3), total - 20]) {
    await slider.fill(String(at));
    await page.waitForTimeout(600);
  }
  await page.getByRole('button', { name: 'Play' }).click(); // playing resumes at the scrubbed place
  await page.waitForTimeout(2000);
  const shown = (await page.getByRole('status', { name: 'Step' }).textContent()) ?? '0';
  const step = Number(shown.split('/')[0].replace(/,/g, ''));
  expect(step).toBeGreaterThan(0);
  const long = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  expect(long.filter((ms) => ms > 50)).toEqual([]);
});
