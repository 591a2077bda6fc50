import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { waitReady, watchErrors } from './support/app.ts';

/**
 * Links nobody should write, but someone will: cut short when copied, typed by hand, or made to
 * break the app. Each opens a usable app with a notice naming what is wrong, and the scenario
 * the user had is kept.
 */

// Every test loads the app more than once; the machine running the suite may be busy.
test.describe.configure({ timeout: 180_000 });

/** The five links the issue found giving a blank page, then malformed links of every route kind. */
const LINKS: { link: string; says: RegExp }[] = [
  { link: '#tour=%', says: /tour step cannot be read[\s\S]*#tour: “%”/ },
  { link: '#predict=%ZZ', says: /question cannot be read[\s\S]*#predict: “%ZZ”/ },
  { link: '#preset=%E0%A4%A', says: /preset name cannot be read[\s\S]*#preset: “%E0%A4%A”/ },
  { link: '#preset=example-2%', says: /preset name cannot be read[\s\S]*#preset: “%”/ },
  { link: '#tour=%E0%A4%A', says: /tour step cannot be read/ },
  { link: '#tour=0', says: /There is no tour step “0”/ },
  { link: '#tour=-1', says: /There is no tour step “-1”/ },
  { link: '#tour=1e3', says: /There is no tour step “1e3”/ },
  { link: '#tour=', says: /There is no tour step “”/ },
  { link: '#tour=__proto__', says: /There is no tour step “__proto__”/ },
  { link: '#predict=999', says: /There is no question “999”/ },
  { link: '#predict=%E2%80%AE1', says: /There is no question/ },
  { link: '#preset=nope', says: /There is no preset named “nope”/ },
  { link: '#preset=__proto__', says: /There is no preset named “__proto__”/ },
  { link: '#preset=', says: /There is no preset named “”/ },
  { link: '#scenario=%', says: /not valid percent-encoding[\s\S]*#scenario: “%”/ },
  { link: '#scenario=%7B', says: /scenario in this link is not valid/ },
  { link: '#scenario=null', says: /scenario in this link is not valid/ },
  { link: '#scenario=%5B%5D', says: /scenario in this link is not valid/ },
  { link: '#s=!!!', says: /compressed scenario in this link is damaged/ },
  { link: '#s=', says: /compressed scenario in this link is damaged/ },
  { link: '#nothing=1', says: /does not hold a scenario/ },
];

/** The user's own scenario (seed example 1), as the app stores it. */
const EXAMPLE_1 = readFileSync('public/scenarios/example-1.json', 'utf8');

/**
 * A returning visitor: the app's origin holds the user's own scenario in storage as the browser
 * context starts, before any page of it loads. Written from outside the app, so nothing the app
 * saves as it goes away can replace it, and with no page of the origin loaded first to write it.
 */
const returningUser = test.extend({
  storageState: async ({ baseURL }, provide) => {
    await provide({
      cookies: [],
      origins: [
        {
          origin: new URL(baseURL!).origin,
          localStorage: [{ name: 'hmm-explorer:scenario', value: EXAMPLE_1 }],
        },
      ],
    });
  },
});

/** The app answers: the player steps from the start. */
async function usable(page: Page): Promise<void> {
  await waitReady(page);
  const pause = page.getByRole('button', { name: 'Pause' });
  if (await pause.isVisible()) await pause.click();
  const slider = page.getByRole('slider', { name: 'Trace position' });
  await slider.press('Home');
  await slider.press('ArrowRight');
  await expect(page.getByRole('status', { name: 'Step' })).toHaveText(/^1 \//);
}

for (const { link, says } of LINKS) {
  returningUser(`${link} opens a usable app with a notice, the user's scenario kept`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(`./${link}`);
    await expect(page.getByRole('alert')).toContainText(says);
    await usable(page);
    await expect(page.getByRole('main').getByRole('heading', { level: 2 })).toHaveText(/^Seed example 1/);
    expect(errors).toEqual([]);
  });
}

test('the same links followed while the app is open leave the scenario on screen alone', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./#preset=example-1');
  await waitReady(page);
  for (const { link, says } of LINKS) {
    await page.evaluate((h) => (location.hash = h), link);
    await expect(page.getByRole('alert')).toContainText(says);
    await expect(page.getByRole('main').getByRole('heading', { level: 2 })).toHaveText(/^Seed example 1/);
    await page.getByRole('button', { name: 'Dismiss the message' }).click();
  }
  await usable(page);
  expect(errors).toEqual([]);
});

test('a huge link is quoted shortened, never echoed whole', async ({ page }) => {
  await page.goto('./#preset=example-1');
  await waitReady(page);
  // Chromium keeps URLs up to 2 MB; a hash change carries the whole value to the reader.
  await page.evaluate(() => (location.hash = `#preset=${'x'.repeat(1_500_000)}`));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('1,500,000 characters');
  expect((await alert.textContent())!.length).toBeLessThan(600);
  await usable(page);
});

const EMBEDS: { link: string; says: RegExp }[] = [
  { link: '?embed&autoplay#preset=%', says: /preset name cannot be read/ },
  { link: '?embed#scenario=%ZZ', says: /not valid percent-encoding/ },
  { link: '?embed&from=%&to=%ZZ&theme=%#tour=%', says: /tour step cannot be read/ },
  { link: '?embed#s=%', says: /damaged/ },
];

for (const { link, says } of EMBEDS) {
  test(`the embed ${link} shows the default figure with a notice`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(`./${link}`);
    await expect(page.getByRole('alert')).toContainText(says);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Seed example 2/);
    await usable(page);
    expect(errors).toEqual([]);
  });
}

test('a title with control characters exports an SVG that parses and a PNG that decodes', async ({
  page,
}) => {
  const scenario = JSON.parse(readFileSync('public/scenarios/example-2.json', 'utf8')) as { title: string };
  scenario.title = 'bell\u0007 nul\u0000 esc\u001b[31m ffff\uffff end';
  await page.goto(`./#scenario=${encodeURIComponent(JSON.stringify(scenario))}`);
  await waitReady(page);
  await page.getByRole('button', { name: 'Export' }).click();
  const panel = page.getByRole('dialog', { name: 'Export' });
  const save = async (name: string) => {
    const download = page.waitForEvent('download');
    await panel.getByRole('button', { name }).click();
    return readFileSync(await (await download).path());
  };
  const svg = (await save('Stage as SVG')).toString('utf8');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: doc.getElementsByTagName('parsererror').length,
      title: doc.getElementsByTagName('title')[0]?.textContent ?? '',
    };
  }, svg);
  expect(parsed.error).toBe(0);
  expect(parsed.title).toContain('bell\ufffd nul\ufffd esc\ufffd[31m ffff\ufffd end');
  const png = await save('Stage as PNG');
  const size = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  }, png.toString('base64'));
  expect(size[0]).toBeGreaterThan(400);
  expect(size[1]).toBeGreaterThan(100);
});
