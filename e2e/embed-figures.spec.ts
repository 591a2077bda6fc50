import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import type { FrameLocator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { waitReady } from './support/app.ts';

/**
 * The docs page example (public/embed-demo.html): three figures, a stage at 320 px, a tour step
 * at 480 px and a comparison at 700 px, sized by the host script through the postMessage
 * protocol; and the same page without the script, where each frame keeps the height the snippet
 * gives it and the player and narration stay in view.
 */
test.setTimeout(180_000);

const FIGURES = [
  { title: /seed example 2 at page 5/, width: 320, narration: 'Narration' },
  { title: /tour, step 6/, width: 480, narration: 'Narration' },
  { title: /Linux 6\.1 and Linux 5\.2/, width: 700, narration: 'Narration B' },
] as const;

const DEMO = readFileSync('public/embed-demo.html', 'utf8');

/** The frames' outer and inner sizes: the frame's box, its document's scroll and client height. */
async function sizes(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLIFrameElement>('iframe[data-hmm-explorer]')].map((f) => {
      const doc = f.contentDocument!.documentElement;
      return {
        width: Math.round(f.getBoundingClientRect().width),
        frame: Math.round(f.getBoundingClientRect().height),
        scroll: doc.scrollHeight,
        client: doc.clientHeight,
        styled: f.style.height,
      };
    }),
  );
}

/** The three figures, in page order, once each has its run. */
async function ready(page: Page): Promise<FrameLocator[]> {
  const out = FIGURES.map((_, i) => page.frameLocator('iframe[data-hmm-explorer]').nth(i));
  for (const fr of out)
    await expect(fr.getByRole('slider', { name: 'Trace position' })).toBeEnabled({ timeout: 60_000 });
  return out;
}

test('three embeds on a docs page end up sized to their content through the postMessage protocol', async ({
  page,
}) => {
  // Tall enough that no frame waits for a scroll to load (they are loading="lazy").
  await page.setViewportSize({ width: 1000, height: 4000 });
  await page.goto('./embed-demo.html');
  const frames = await ready(page);
  // Each frame's height becomes its content's: no inner scrollbar, whatever the snippet said.
  await expect
    .poll(async () => (await sizes(page)).map((s) => s.scroll <= s.client + 1 && s.styled !== ''), {
      timeout: 30_000,
    })
    .toEqual([true, true, true]);
  const measured = await sizes(page);
  console.log(`embed heights with the host script: ${JSON.stringify(measured)}`);
  expect(measured.map((s) => s.width)).toEqual(FIGURES.map((f) => f.width));
  for (const [i, f] of FIGURES.entries()) {
    if (f.narration === 'Narration')
      await expect(frames[i].getByRole('status', { name: 'Narration' })).toBeInViewport();
    else await expect(frames[i].getByLabel(f.narration)).toBeInViewport();
  }
  // The stage figure is held between its two moments; the tour opens at the restart it explains.
  await expect(frames[0].getByRole('status', { name: 'Narration' })).toContainText(
    'handle_mm_fault(page 5, FAULT_FLAG_WRITE)',
  );
  await expect(frames[1].getByRole('heading', { name: 'Step 6. The walk restarts' })).toBeVisible();
  await expect(frames[1].getByRole('status', { name: 'Narration' })).toContainText(
    'The walk restarts at last = page 4',
  );
  await expect(frames[2].getByLabel('Narration A')).toContainText(
    'handle_mm_fault(page 5, FAULT_FLAG_WRITE)',
  );
});

test('without the host script each frame keeps its snippet height, player and narration in view', async ({
  page,
}) => {
  await page.route('**/embed-demo-nohost.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: DEMO.replace(/<script[^>]*embed-host\.js[^>]*><\/script>/, ''),
    }),
  );
  await page.setViewportSize({ width: 1000, height: 4000 });
  await page.goto('./embed-demo-nohost.html');
  const frames = await ready(page);
  const s = await sizes(page);
  console.log(`embed heights without the host script: ${JSON.stringify(s)}`);
  // Nobody sized the frames: they keep the heights the snippet wrote.
  expect(s.map((x) => x.styled)).toEqual(['', '', '']);
  expect(s.map((x) => x.frame)).toEqual([...DEMO.matchAll(/height="(\d+)"/g)].map((m) => Number(m[1])));
  for (const [i, f] of FIGURES.entries()) {
    await expect(frames[i].getByRole('button', { name: /^(Play|Pause)$/ })).toBeInViewport();
    if (f.narration === 'Narration')
      await expect(frames[i].getByRole('status', { name: 'Narration' })).toBeInViewport();
    else await expect(frames[i].getByLabel(f.narration)).toBeInViewport();
  }
});

test('a pinned pages= window does not move while playing', async ({ page }) => {
  await page.setViewportSize({ width: 480, height: 900 });
  await page.goto('./?embed&pages=3-7&autoplay#v=1&preset=example-2');
  const table = page.getByRole('table', { name: 'CPU page table' });
  const headers = table.getByRole('columnheader');
  const pages = async () => (await headers.allTextContents()).slice(1).join(',');
  await expect.poll(pages).toBe('page 3,page 4,page 5,page 6,page 7');
  // Every page window the table shows from here to the end of the run, recorded by the page itself
  // at each change (not sampled), so no moment is missed however fast or slow the machine is.
  await table.evaluate((t) => {
    const w = window as unknown as { windows: Set<string> };
    const now = () =>
      [...t.querySelectorAll('[role=columnheader]')]
        .map((h) => h.textContent?.trim() ?? '')
        .filter((h) => /^page \d+$/.test(h))
        .join(',');
    w.windows = new Set([now()]);
    new MutationObserver(() => w.windows.add(now())).observe(t, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
  // The autoplay plays at 1x (52 steps, 34 s); a reader may speed it up, and the window stays put.
  await page.getByRole('combobox', { name: 'speed' }).selectOption('4');
  // Played to the end (the walk goes over all 16 pages), the window stays on 3-7 throughout.
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible({ timeout: 150_000 });
  const status = await page.getByRole('status', { name: 'Step' }).textContent();
  expect(status).toMatch(/^(\d+) \/ \1$/);
  const seen = await page.evaluate(() => [...(window as unknown as { windows: Set<string> }).windows]);
  expect(seen).toEqual(['page 3,page 4,page 5,page 6,page 7']);
});

async function violations(page: Page, where: string): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations.map(
    (v) => `${where}: ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ')}`,
  );
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds nothing in any embed kind, ${scheme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const found: string[] = [];
    for (const [where, width, url] of [
      ['stage', 320, './?embed&from=1st-write-fault-on-5&legend#v=1&preset=example-2'],
      ['tour', 480, './?embed&pages=0-7#v=1&view=tour&step=6'],
      [
        'compare',
        700,
        './?embed#v=1&view=compare&a=preset:example-2&b=preset:example-2-v5.2&at=1st-write-fault-on-5',
      ],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto('about:blank');
      await page.goto(url);
      await waitReady(page);
      found.push(...(await violations(page, where)));
    }
    expect(found).toEqual([]);
  });
}
