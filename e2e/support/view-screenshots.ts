/**
 * Takes the screenshots of the views beside the explorer (embed, tour, predict, compare, export,
 * presentation mode, phone) from the built app: `npx vite build && npx vite preview` in one shell,
 * `npx tsx e2e/support/view-screenshots.ts` in another. Not a test: it only writes PNGs to
 * docs/screenshots/.
 */
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './find-chromium.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4173/';
const OUT = 'docs/screenshots';

interface Shot {
  file: string;
  theme: 'light' | 'dark';
  width: number;
  height: number;
  /** Opens the view and puts it in the state to show. */
  go: (page: Page) => Promise<void>;
}

async function ready(page: Page) {
  await page.getByRole('slider', { name: 'Trace position' }).first().waitFor({ state: 'visible' });
  await page.waitForFunction(
    () => !document.querySelector('input[aria-label="Trace position"]')?.hasAttribute('disabled'),
  );
}

async function open(page: Page, hash: string) {
  await page.goto(BASE + hash);
  await page.reload(); // a hash-only change would keep the previous shot's view state
}

const DOCS = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>HMM documentation</title>
<style>body{font:16px/1.6 Georgia,serif;margin:0;background:#fbfaf7;color:#222}main{max-width:1180px;margin:0 auto;padding:24px 32px}
h1{font:700 26px system-ui,sans-serif;margin:0 0 4px}p{margin:6px 0 14px;max-width:76ch}
.row{display:flex;gap:24px;align-items:flex-start}.row p{flex:1}code{font-size:14px}</style></head>
<body><main><h1>Leverage default_flags and pfn_flags_mask</h1>
<p>Now let say driver wants to do the same except for one page in the range for which its want to have write. Now driver set
<code>range->default_flags = (1 &lt;&lt; 63)</code>, <code>range->pfn_flags_mask = (1 &lt;&lt; 62)</code> and
<code>range->pfns[index_of_write] = (1 &lt;&lt; 62)</code>.</p>
<iframe src="./?embed&from=9&to=24#preset=example-2" title="HMM Explorer: seed example 2" width="100%" height="640" style="border:0"></iframe>
<div class="row"><p>With HMM_PFN_REQ_WRITE out of the mask the same request asks for read only: the zero pages stay shared and
the device gets read-only entries. The figure beside this paragraph is the same embed at 340 pixels, the width of a phone or
a narrow docs column.</p>
<iframe src="./?embed&theme=dark#preset=example-1" title="HMM Explorer: seed example 1" style="width:340px;height:760px;border:0"></iframe></div>
</main></body></html>`;

/** munmap of pages 6-7 issued after the first fault, on Linux 6.1 (hmm-semantics.md 10.5). */
const MUNMAP_6_1 = {
  format: 1,
  title: 'munmap after the first fault, on Linux 6.1',
  kernel: 'v6',
  call: 'hmm_range_fault',
  range: { start: '0x7f0000000000', pages: 8 },
  vmas: [{ from: 0, pages: 8, prot: 'rw', backing: 'anon' }],
  cpu: { '0-3': 'rw' },
  defaultFlags: ['REQ_FAULT'],
  pfnFlagsMask: [],
  concurrent: [{ at: 'after-fault', n: 1, op: 'munmap', pages: '6-7' }],
};

const SHOTS: Shot[] = [
  {
    // A documentation page with two embeds, one in a narrow column, in the dark theme.
    file: 'embed-docs-page.png',
    theme: 'light',
    width: 1240,
    height: 1480,
    go: async (page) => {
      await page.route('**/docs-example.html', (r) => r.fulfill({ contentType: 'text/html', body: DOCS }));
      await page.goto(BASE + 'docs-example.html');
      for (const title of ['HMM Explorer: seed example 2', 'HMM Explorer: seed example 1']) {
        const f = page.frameLocator(`iframe[title="${title}"]`);
        await f.getByRole('slider', { name: 'Trace position' }).waitFor();
        await page.waitForTimeout(600);
      }
      const one = page.frameLocator('iframe[title="HMM Explorer: seed example 1"]');
      await one.getByRole('slider', { name: 'Trace position' }).fill('14');
    },
  },
  {
    file: 'embed-dialog.png',
    theme: 'light',
    width: 1440,
    height: 900,
    go: async (page) => {
      await open(page, '#preset=example-2');
      await ready(page);
      await page.getByRole('slider', { name: 'Trace position' }).fill('11');
      await page.getByRole('button', { name: 'Embed' }).click();
      await page
        .getByRole('dialog', { name: 'Embed this figure' })
        .getByRole('spinbutton', { name: 'Stop at step' })
        .fill('24');
    },
  },
  {
    file: 'tour-step-3.png',
    theme: 'light',
    width: 1440,
    height: 900,
    go: async (page) => {
      await open(page, '#tour=3');
      await ready(page);
    },
  },
  {
    file: 'predict-revealed.png',
    theme: 'light',
    width: 1440,
    height: 1000,
    go: async (page) => {
      await open(page, '#predict=2');
      await page.getByRole('button', { name: 'Reveal' }).waitFor();
      const cell = (p: number, kind: string) =>
        page
          .getByRole('group', { name: 'Your prediction' })
          .getByRole('button', { name: new RegExp(`^page ${p} ${kind} guess`) });
      await cell(5, 'fault').click();
      await cell(5, 'fault').click();
      await page.getByRole('button', { name: 'all: device ro' }).click();
      await cell(5, 'device').click();
      await page.getByRole('button', { name: 'Reveal' }).click();
    },
  },
  {
    file: 'compare-dark.png',
    theme: 'dark',
    width: 1440,
    height: 1320,
    go: async (page) => {
      await open(page, '#preset=example-2');
      await ready(page);
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await ready(page);
      // Mid-run: A write-faults its chunk while B only reads; the pages that end differently are marked.
      await page.getByRole('slider', { name: 'Trace position' }).fill('16');
    },
  },
  {
    file: 'compare-cost.png',
    theme: 'light',
    width: 1440,
    height: 900,
    go: async (page) => {
      await open(page, '#preset=example-2');
      await ready(page);
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await ready(page);
      // B: no default_flags, every pfns bit counts, a read request on all pages, a write on every 4th.
      const b = page.getByRole('group', { name: 'Policy B' });
      await b.getByText('Registers and requests of B').click();
      await b.getByRole('button', { name: 'Set default_flags to 0' }).click();
      await b.getByRole('button', { name: 'Set pfn_flags_mask to all' }).click();
      const requests = b.getByRole('group', { name: /^Per-page requests of B/ });
      for (const [pages, request] of [
        ['0-15', 'VALID'],
        ['every 4th page', 'VALID | WRITE'],
      ]) {
        await requests.getByRole('textbox', { name: 'Pages' }).fill(pages);
        await requests.getByRole('combobox', { name: 'Request' }).selectOption({ label: request });
        await requests.getByRole('button', { name: 'Apply to B' }).click();
      }
      await b.getByText('Registers and requests of B').click();
      await ready(page);
      await page.getByRole('button', { name: 'To end' }).click();
      await page.getByRole('region', { name: /^Cost of each policy/ }).scrollIntoViewIfNeeded();
    },
  },
  {
    file: 'compare-kernels.png',
    theme: 'light',
    width: 1440,
    height: 1100,
    go: async (page) => {
      await open(page, '#preset=example-1');
      await ready(page);
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await page.getByRole('combobox', { name: 'Ready comparisons' }).selectOption('seed-1-kernels');
      await ready(page);
      await page.getByRole('slider', { name: 'Trace position' }).fill('30');
    },
  },
  {
    file: 'presentation-720p-dark.png',
    theme: 'dark',
    width: 1280,
    height: 720,
    go: async (page) => {
      await open(page, '#preset=cow-after-fork');
      await ready(page);
      await page.keyboard.press('p');
      await page.getByRole('slider', { name: 'Trace position' }).fill('13');
    },
  },
  {
    // The lock lane on a projector: the 6.1 munmap waiting while the driver holds mmap_lock.
    file: 'lock-lane-720p.png',
    theme: 'light',
    width: 1280,
    height: 720,
    go: async (page) => {
      await open(page, `#v=1&scenario=${encodeURIComponent(JSON.stringify(MUNMAP_6_1))}&at=1st-cpu-wait`);
      await ready(page);
    },
  },
  {
    // The same at the driver's check, presenting: the interval moved on, the driver retries.
    file: 'lock-lane-720p-present.png',
    theme: 'dark',
    width: 1280,
    height: 720,
    go: async (page) => {
      await open(page, `#v=1&scenario=${encodeURIComponent(JSON.stringify(MUNMAP_6_1))}&at=1st-read-retry`);
      await ready(page);
      await page.keyboard.press('p');
    },
  },
  {
    file: 'lock-lane-phone.png',
    theme: 'light',
    width: 375,
    height: 812,
    go: async (page) => {
      await open(page, `#v=1&scenario=${encodeURIComponent(JSON.stringify(MUNMAP_6_1))}&at=1st-cpu-wait`);
      await ready(page);
      await page.getByRole('region', { name: 'Locks' }).scrollIntoViewIfNeeded();
    },
  },
  {
    file: 'phone.png',
    theme: 'light',
    width: 390,
    height: 844,
    go: async (page) => {
      await open(page, '#preset=example-2');
      await ready(page);
      await page.getByRole('slider', { name: 'Trace position' }).fill('11');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByRole('main').evaluate((m) => m.parentElement?.scrollTo(0, 150));
    },
  },
  {
    file: 'import-error.png',
    theme: 'light',
    width: 1440,
    height: 520,
    go: async (page) => {
      await open(page, '#preset=example-2');
      await ready(page);
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Import a scenario file' }).click();
      const bad = {
        format: 1,
        kernel: 'v7',
        range: { start: '0x7f0000000001', pages: 4 },
        vmas: [{ from: 0, pages: 4, prot: 'rwx', backing: 'anon' }],
        requests: { '9': ['VALID'] },
      };
      await (
        await chooser
      ).setFiles({
        name: 'my-scenario.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(bad, null, 2)),
      });
      await page.getByRole('alert').getByRole('listitem').first().waitFor();
    },
  },
];

/** The picture Export → "Stage as PNG" saves (for a slide), as a user gets it. */
async function exportedStage(file: string) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  await open(page, '#preset=example-1');
  await ready(page);
  await page.getByRole('slider', { name: 'Trace position' }).fill('21');
  await page.getByRole('button', { name: 'Export' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Stage as PNG' }).click();
  await (await download).saveAs(`${OUT}/${file}`);
  console.log(`${OUT}/${file}`);
  await context.close();
}

const browser = await chromium.launch({
  executablePath: findChromium().executablePath,
  args: [...CHROMIUM_ARGS],
});
const only = process.argv.slice(2);
for (const s of SHOTS) {
  if (only.length && !only.includes(s.file)) continue;
  const context = await browser.newContext({
    viewport: { width: s.width, height: s.height },
    colorScheme: s.theme,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  await s.go(page);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${OUT}/${s.file}` });
  console.log(`${OUT}/${s.file}`);
  await context.close();
}
if (!only.length || only.includes('export-stage.png')) await exportedStage('export-stage.png');
await browser.close();
