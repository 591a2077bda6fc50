import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { waitReady, watchErrors } from './support/app.ts';

/**
 * The explorer's first screen from the HTML (scripts/prerender/): a plain start on a phone paints
 * the top bar and the scenario heading before the app's code has loaded, exactly where the app
 * then draws them; any other start never shows it; each way in (the explorer, an embed) fetches
 * its own first screen's chunks with the entry, and an embed never the explorer's.
 */

const PHONE = { width: 390, height: 844 };
const TITLE = (JSON.parse(readFileSync('public/scenarios/example-2.json', 'utf8')) as { title: string })
  .title;

declare global {
  interface Window {
    __framed: boolean;
  }
}

/** Records whether the prerendered frame (inert, in #root) was ever on the page. */
async function watchFrame(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__framed = false;
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes)
          if (n instanceof Element && n.parentElement?.id === 'root' && n.hasAttribute('inert'))
            window.__framed = true;
    }).observe(document, { childList: true, subtree: true });
  });
}
const framed = (page: Page) => page.evaluate(() => window.__framed);

/** Where the bar's parts and the heading are: the frame must put them where the app does. */
function boxes(page: Page) {
  return page.evaluate(() =>
    ['.brand h1', '.mode-switch', '.toolbar', '.title-line h2', '.title-line'].map((s) => {
      const r = document.querySelector(`#root ${s}`)?.getBoundingClientRect();
      return { s, box: r ? [r.x, r.y, r.width, r.height] : null };
    }),
  );
}

test.use({ viewport: PHONE });

test('a plain start on a phone paints the top bar and the heading before the app, where the app draws them', async ({
  page,
}) => {
  // The app's entry never arrives: what is on screen is the HTML's alone.
  await page.route(/\/assets\/index-[^/]*\.js$/, (r) => r.abort());
  await page.goto('./');
  const root = page.locator('#root');
  await expect(root.getByRole('heading', { level: 2, name: TITLE })).toBeVisible();
  await expect(root.getByRole('heading', { level: 1, name: 'HMM Explorer' })).toBeVisible();
  await expect(root.getByRole('button', { name: 'Run' })).toBeVisible();
  // Inert until the app renders over it: its buttons do nothing yet, so they take no focus.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  const before = await boxes(page);
  expect(before.every((b) => b.box !== null)).toBe(true);

  const errors = watchErrors(page);
  const app = await page.context().newPage();
  await watchFrame(app);
  await app.goto('./');
  await waitReady(app);
  expect(await framed(app)).toBe(true);
  // The app replaced the frame: one heading, usable.
  await expect(app.getByRole('heading', { level: 2, name: TITLE })).toHaveCount(1);
  await expect(app.locator('#root [inert]')).toHaveCount(0);
  expect(await boxes(app)).toEqual(before);
  expect(errors).toEqual([]);
});

const notPlain: [string, (page: Page) => Promise<string>][] = [
  ['a link with state', async () => './#preset=example-1'],
  ['an embed', async () => './?embed'],
  [
    'a scenario stored in this browser',
    async (page) => {
      const stored = readFileSync('public/scenarios/example-1.json', 'utf8');
      await page.addInitScript((s) => localStorage.setItem('hmm-explorer:scenario', s), stored);
      return './';
    },
  ],
  [
    "a reload's note",
    async (page) => {
      await page.addInitScript(() => sessionStorage.setItem('hmm-explorer:reload', '{}'));
      return './';
    },
  ],
  [
    'a wide screen',
    async (page) => {
      await page.setViewportSize({ width: 1024, height: 800 });
      return './';
    },
  ],
  [
    'a dark system theme',
    async (page) => {
      await page.emulateMedia({ colorScheme: 'dark' });
      return './';
    },
  ],
];

for (const [name, prepare] of notPlain)
  test(`${name} never shows the prerendered default`, async ({ page }) => {
    const url = await prepare(page);
    await watchFrame(page);
    await page.goto(url);
    await waitReady(page);
    expect(await framed(page)).toBe(false);
  });

test("each way in asks for its own first screen's chunks from <head>, before the entry runs", async ({
  page,
}) => {
  // The entry never runs here: what is preloaded came from the page's own first script, not
  // from the bundler's loader (which adds the same links when the entry imports a chunk).
  await page.route('**/assets/index-*.js', (r) => r.abort());
  const preloaded = (url: string) =>
    page
      .goto(url, { waitUntil: 'domcontentloaded' })
      .then(() =>
        page.evaluate(() =>
          [...document.head.querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"]')].map((l) =>
            new URL(l.href).pathname.split('/').pop()!,
          ),
        ),
      );
  const explorer = await preloaded('./#preset=example-1');
  expect(explorer.filter((f) => /^(App|explorer)-/.test(f))).toHaveLength(2);
  expect(explorer.filter((f) => /^(EmbedApp|embed)-/.test(f))).toEqual([]);
  const embed = await preloaded('./?embed');
  expect(embed.filter((f) => /^(EmbedApp|StageFigure|embed)-/.test(f))).toHaveLength(3);
  expect(embed.filter((f) => /^(App|explorer)-/.test(f))).toEqual([]);
});

test("an embed fetches none of the explorer's chunks", async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto('./?embed');
  await waitReady(page);
  expect(fetched.filter((p) => /\/(App|explorer)-[^/]*\.(js|css)$/.test(p))).toEqual([]);
  expect(fetched.filter((p) => /\/EmbedApp-[^/]*\.js$/.test(p))).toHaveLength(1);
});
