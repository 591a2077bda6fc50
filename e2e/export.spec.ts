import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { EXAMPLE_2, expandMap, faultCount, scrubTo, sim, tableStates, waitReady } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

/** Opens Export (it stays open after a save) and presses one of its buttons; returns the download. */
async function exportAs(page: Page, name: string) {
  const panel = page.getByRole('dialog', { name: 'Export' });
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Export' }).click();
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name }).click();
  return download;
}

test('the stage exports as an SVG that parses and a PNG that is not blank', async ({ page }) => {
  await page.goto('./#preset=example-2');
  await waitReady(page);
  await scrubTo(page, 11);

  const svgDownload = await exportAs(page, 'Stage as SVG');
  expect(svgDownload.suggestedFilename()).toMatch(/^seed-example-2-.*-step-11\.svg$/);
  const svg = readFileSync(await svgDownload.path(), 'utf8');
  // The browser's own XML parser: a parse error would come back as a <parsererror> document.
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: doc.getElementsByTagName('parsererror').length,
      root: doc.documentElement.nodeName,
      width: Number(doc.documentElement.getAttribute('width')),
      texts: [...doc.getElementsByTagName('text')].map((t) => t.textContent ?? ''),
    };
  }, svg);
  expect(parsed.error).toBe(0);
  expect(parsed.root).toBe('svg');
  expect(parsed.width).toBeGreaterThan(400);
  // The picture says what the stage says at this step.
  const narration = (await page.getByRole('status', { name: 'Narration' }).textContent()) ?? '';
  expect(parsed.texts.some((t) => narration.includes(t) && t.length > 20)).toBe(true);
  expect(parsed.texts).toContain('device pte');

  await expect(page.getByRole('dialog', { name: 'Export' }).getByRole('status')).toHaveText(
    /^Saved .*\.svg$/,
  );
  const pngDownload = await exportAs(page, 'Stage as PNG');
  expect(pngDownload.suggestedFilename()).toMatch(/\.png$/);
  const png = readFileSync(await pngDownload.path());
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Decoded by the browser: many colours, and a good share of pixels unlike the background.
  const stats = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set<number>();
    let unlike = 0;
    for (let i = 0; i < d.length; i += 4) {
      const rgb = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      colours.add(rgb);
      if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 60) unlike++;
    }
    return { width: c.width, colours: colours.size, unlike: unlike / (d.length / 4) };
  }, png.toString('base64'));
  expect(stats.width).toBeGreaterThan(800);
  expect(stats.colours).toBeGreaterThan(20);
  expect(stats.unlike).toBeGreaterThan(0.05);
});

test('the scenario exports as a readable JSON file that `npm run sim` runs', async ({ page }) => {
  await page.goto('./#preset=example-2');
  await waitReady(page);
  const download = await exportAs(page, 'Scenario as JSON');
  expect(download.suggestedFilename()).toBe('seed-example-2-read-fault-the-range-write-fault-page-5.json');
  const file = await download.path();
  const text = readFileSync(file, 'utf8');
  expect(text.split('\n').length).toBeGreaterThan(8); // indented, not one line
  expect(JSON.parse(text)).toMatchObject({ format: 1, kernel: 'v6', range: { pages: 16 } });
  expect(sim(file)).toEqual(sim(EXAMPLE_2));
});

test('importing a malformed file says what is wrong and keeps everything; a valid one opens', async ({
  page,
}) => {
  await page.goto('./#preset=example-2');
  await waitReady(page);
  // Something of the user's own: WRITE taken out of the mask.
  const writeBit = page
    .getByRole('group', { name: 'pfn_flags_mask' })
    .getByRole('checkbox', { name: /^bit 62 WRITE/ });
  await writeBit.uncheck();
  const heading = page.getByRole('main').getByRole('heading', { level: 2 });
  const title = (await heading.textContent()) ?? '';

  const choose = async (name: string, content: string) => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import a scenario file' }).click();
    await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
  };

  const bad = {
    format: 1,
    kernel: 'v7',
    range: { start: '0x7f0000000000', pages: 4 },
    vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
    requests: { '9': ['VALID'] },
  };
  await choose('bad.json', JSON.stringify(bad));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('“bad.json” is not a scenario this app can open. Nothing was changed.');
  await expect(alert.getByRole('listitem').filter({ hasText: /^kernel: / })).toHaveCount(1);
  await expect(heading).toHaveText(title);
  await expect(writeBit).not.toBeChecked();

  await choose('broken.json', '{"format": 1,\n  "kernel": "v6",\n  "range": }');
  await expect(alert).toContainText('“broken.json” is not a scenario');
  await expect(alert).toContainText(/line 3, column \d+: invalid JSON/);
  await expect(writeBit).not.toBeChecked();

  await choose('example-1.json', readFileSync('public/scenarios/example-1.json', 'utf8'));
  await expect(heading).toHaveText(/Seed example 1/);
  await expect(alert).toContainText('Opened “example-1.json”');
  await waitReady(page);
  await page.getByRole('button', { name: 'To end' }).click();
  const expected = sim('public/scenarios/example-1.json');
  expect(await tableStates(page, 'Device page table')).toEqual(expandMap(expected.device, 16));
  expect(await faultCount(page)).toBe(String(expected.faults.length));

  // What the user had is one Undo away.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(heading).toHaveText(title);
  await expect(writeBit).not.toBeChecked();
});

test('the Export panel, loaded when first opened, takes the focus from the keyboard and gives it back', async ({
  page,
}) => {
  await page.goto('./#preset=example-2');
  await waitReady(page);
  const button = page.getByRole('button', { name: 'Export' });
  await button.focus();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('dialog', { name: 'Export' });
  await expect(panel.getByRole('textbox', { name: 'Pages' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(button).toBeFocused();
});
