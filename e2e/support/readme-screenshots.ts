/**
 * Takes the README's screenshots from the built app: `npx vite build && npx vite preview` in one
 * shell, `npx tsx e2e/support/readme-screenshots.ts` in another. Not a test: it only writes PNGs
 * to docs/screenshots/.
 */
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './find-chromium.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4173/';
const OUT = 'docs/screenshots';

interface Shot {
  file: string;
  hash: string;
  theme: 'light' | 'dark';
  steps: number;
  width?: number;
  height?: number;
  editor?: boolean;
}

const SHOTS: Shot[] = [
  // The seed's example 2 as it opens, at its first write fault: the request formula row by row.
  { file: 'example-2-write-fault.png', hash: '#preset=example-2', theme: 'light', steps: 11, editor: false },
  // The same kernel walking example 1: read faults sweep the pmd chunk, then the walk restarts.
  { file: 'example-1-restart-dark.png', hash: '#preset=example-1', theme: 'dark', steps: 21, editor: false },
  // The 2019 API: write-fault, restart at last, the chunk's entries reset to NONE.
  { file: 'v5.2-restart.png', hash: '#preset=example-2-v5.2', theme: 'light', steps: 24 },
  // The end of example 2: the device page table programmed.
  { file: 'example-2-programmed-dark.png', hash: '#preset=example-2', theme: 'dark', steps: 48 },
  // 4096 pages: a window of the range on the stage, the whole range in the strip below it.
  {
    file: 'large-range.png',
    hash: `#scenario=${encodeURIComponent(JSON.stringify(large()))}`,
    theme: 'light',
    steps: 5000,
    editor: false,
  },
];

function large() {
  return {
    format: 1,
    title: 'A 4096-page range: read the range, write pages 3000-3010',
    kernel: 'v6',
    call: 'hmm_range_fault',
    range: { start: '0x7f0000000000', pages: 4096 },
    vmas: [{ from: 0, pages: 4096, prot: 'rw', backing: 'anon' }],
    cpu: { '0-1000': 'rw', '1001-2000': 'ro', '2500': 'zero', '3000-3100': 'zero' },
    defaultFlags: ['REQ_FAULT'],
    pfnFlagsMask: ['REQ_WRITE'],
    requests: { '3000-3010': ['REQ_WRITE'] },
  };
}

async function shoot(page: Page, s: Shot) {
  await page.emulateMedia({ colorScheme: s.theme, reducedMotion: 'reduce' });
  await page.setViewportSize({ width: s.width ?? 1440, height: s.height ?? 1000 });
  await page.goto(BASE + s.hash);
  await page.reload(); // a hash-only change would keep the previous shot's view state
  await page.getByRole('slider', { name: 'Trace position' }).waitFor({ state: 'visible' });
  await page.waitForFunction(
    () => !document.querySelector('input[aria-label="Trace position"]')?.hasAttribute('disabled'),
  );
  if (s.editor === false) await page.getByRole('button', { name: 'Hide the editor' }).click();
  await page.getByRole('slider', { name: 'Trace position' }).fill(String(s.steps));
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/${s.file}` });
  console.log(`${OUT}/${s.file}`);
}

const browser = await chromium.launch({
  executablePath: findChromium().executablePath,
  args: [...CHROMIUM_ARGS],
});
const page = await browser.newPage();
for (const s of SHOTS) await shoot(page, s);
await browser.close();
