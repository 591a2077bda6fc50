import { test, expect } from '@playwright/test';
import type { FrameLocator } from '@playwright/test';
import { scrubTo, sim } from './support/app.ts';

/** A documentation page with two embeds of the app, the way a docs site writes them. */
const DOCS = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>HMM docs</title></head>
<body><main><h1>Leverage default_flags and pfn_flags_mask</h1>
<iframe src="./?embed#preset=example-1" title="Example 1" width="100%" height="720" style="border:0"></iframe>
<iframe src="./?embed&from=5&to=20#preset=example-2" title="Example 2" style="width:320px;height:900px;border:0"></iframe>
</main></body></html>`;

async function step(frame: FrameLocator): Promise<string> {
  return ((await frame.getByRole('status', { name: 'Step' }).textContent()) ?? '').trim();
}

test('two embeds on one docs page run on their own and leave the page alone', async ({ page }) => {
  await page.route('**/docs-test.html', (route) => route.fulfill({ contentType: 'text/html', body: DOCS }));
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto('./docs-test.html#section-2');
  await page.evaluate(() => localStorage.clear());
  const one = page.frameLocator('iframe[title="Example 1"]');
  const two = page.frameLocator('iframe[title="Example 2"]');

  await expect(one.getByRole('heading', { level: 1 })).toHaveText(/Seed example 1/);
  await expect(two.getByRole('heading', { level: 1 })).toHaveText(/Seed example 2/);
  // Stage, player and narration only: no editor, no tools.
  for (const f of [one, two]) {
    await expect(f.getByRole('region', { name: /^Stage/ })).toBeVisible();
    await expect(f.getByRole('group', { name: 'Player' })).toBeVisible();
    await expect(f.getByRole('status', { name: 'Narration' })).toBeVisible();
    await expect(f.getByRole('complementary', { name: 'Scenario editor' })).toHaveCount(0);
    await expect(f.getByRole('button', { name: 'Run' })).toHaveCount(0);
  }
  await expect(one.getByRole('slider', { name: 'Trace position' })).toBeEnabled();
  await expect(two.getByRole('slider', { name: 'Trace position' })).toBeEnabled();

  // The second is locked to steps 5-20 and starts at 5.
  await expect(two.getByRole('status', { name: 'Step' })).toHaveText('5 / 20');
  const total = sim('public/scenarios/example-1.json') && (await step(one)).split('/')[1].trim();
  expect(await step(one)).toBe(`0 / ${total}`);

  // Stepping one leaves the other where it was; keys go to the embed that has the focus.
  await one.getByRole('button', { name: 'Step forward' }).click();
  await one.getByRole('button', { name: 'Step forward' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(one.getByRole('status', { name: 'Step' })).toHaveText(`3 / ${total}`);
  await expect(two.getByRole('status', { name: 'Step' })).toHaveText('5 / 20');

  await two.getByRole('button', { name: 'To end' }).click();
  await expect(two.getByRole('status', { name: 'Step' })).toHaveText('20 / 20');
  await expect(two.getByRole('button', { name: 'Step forward' })).toBeDisabled();
  await two.getByRole('button', { name: 'To start' }).click();
  await expect(two.getByRole('status', { name: 'Step' })).toHaveText('5 / 20');
  await expect(one.getByRole('status', { name: 'Step' })).toHaveText(`3 / ${total}`);

  // Nothing was written to the origin's storage, the page's address or the embeds' own.
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  expect(new URL(page.url()).hash).toBe('#section-2');
  const hashes = await page.evaluate(() =>
    [...document.querySelectorAll('iframe')].map((f) => f.contentWindow?.location.hash),
  );
  expect(hashes).toEqual(['#preset=example-1', '#preset=example-2']);

  // The 320 px embed fits its width: nothing scrolls sideways.
  const overflow = await page.evaluate(() => {
    const doc = document.querySelectorAll('iframe')[1].contentDocument!;
    return doc.documentElement.scrollWidth - doc.documentElement.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the Embed dialog writes an iframe for the scenario and step on screen', async ({ page, context }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('./#preset=example-2');
  await expect(page.getByRole('slider', { name: 'Trace position' })).toBeEnabled();
  await scrubTo(page, 7);
  await page.getByRole('button', { name: 'Embed' }).click();
  const dialog = page.getByRole('dialog', { name: 'Embed this figure' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('spinbutton', { name: 'Start at step' })).toHaveValue('7');
  await dialog.getByRole('spinbutton', { name: 'Stop at step' }).fill('12');
  await dialog.getByRole('checkbox', { name: /Play by itself/ }).check();
  const snippet = await dialog.getByRole('textbox', { name: 'HTML to paste' }).inputValue();
  // The moments are named by what happens (they survive engine changes), the state in the link format.
  expect(snippet).toMatch(
    /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed&amp;from=[a-z0-9-]+&amp;to=[a-z0-9-]+&amp;autoplay#v=1&amp;s=/,
  );
  expect(snippet).not.toMatch(/from=7&/);
  expect(snippet).toContain('title="HMM Explorer: Seed example 2: read-fault the range, write-fault page 5"');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  // The snippet's address opens the embed at step 7 and plays it to step 12 by itself.
  const src = /src="([^"]+)"/.exec(snippet)![1].replace(/&amp;/g, '&');
  const embed = await context.newPage();
  await embed.goto(src);
  await expect(embed.getByRole('heading', { level: 1 })).toHaveText(/Seed example 2/);
  await expect(embed.getByRole('status', { name: 'Step' })).toHaveText('12 / 12', { timeout: 60_000 });
  await expect(embed.getByRole('button', { name: 'Play' })).toBeVisible();
});
