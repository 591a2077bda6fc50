import { test, expect } from '@playwright/test';
import { waitReady } from './support/app.ts';

/** The UI's largest range, as a link: the stage then shows a window and the strip under it. */
const big = {
  format: 1,
  title: 'A 4096-page range',
  kernel: 'v6',
  call: 'hmm_range_fault',
  range: { start: '0x7f0000000000', pages: 4096 },
  vmas: [{ from: 0, pages: 4096, prot: 'rw', backing: 'anon' }],
  cpu: { '0-1000': 'rw', '1001-2000': 'ro' },
  defaultFlags: ['REQ_FAULT'],
};

const pages = {
  'the default page': './',
  'an embed': './?embed',
  'a 4096-page link': `./#scenario=${encodeURIComponent(JSON.stringify(big))}`,
};

/**
 * The layout is decided before the first paint (the editor's place, the stage's width), and the
 * first run fills the cells it drew: nothing on screen moves while the page loads. The score is
 * the browser's own cumulative layout shift over the load, until the run is on screen.
 */
for (const width of [360, 390, 700, 701, 1024, 1440]) {
  test(`nothing moves while the page loads at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.addInitScript(() => {
      const w = window as unknown as { shifts: { value: number; sources: string[] }[] };
      w.shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as {
          value: number;
          hadRecentInput: boolean;
          sources: { node?: Node }[];
        }[]) {
          if (e.hadRecentInput) continue;
          const sources = e.sources.map((s) =>
            s.node instanceof Element ? `${s.node.tagName}.${s.node.className}` : String(s.node?.nodeName),
          );
          w.shifts.push({ value: e.value, sources });
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    for (const [name, url] of Object.entries(pages)) {
      await page.goto(url);
      await waitReady(page);
      // Two frames after the run is drawn: a shift it causes is recorded by then.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const shifts = await page.evaluate(
        () => (window as unknown as { shifts: { value: number; sources: string[] }[] }).shifts,
      );
      const total = shifts.reduce((a, s) => a + s.value, 0);
      expect(total, `${name}: ${JSON.stringify(shifts)}`).toBeLessThan(0.02);
    }
  });
}
