import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import LZString from 'lz-string';
import { parseScenarioText } from '../src/engine/scenario/parse.ts';
import type { Scenario } from '../src/engine/types.ts';
import { COST_ROWS, cost, sourceFromOutput } from '../src/ui/compare/cost.ts';
import type { SimTraceOutput } from '../src/ui/compare/cost.ts';
import { parseCsv } from '../src/ui/compare/csv.ts';
import { AXE_BUDGET_MS, axeViolations } from './support/axe.ts';
import { simText, waitReady, watchErrors } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

interface LinkedSide {
  /** The scenario file's text, as the link carries it. */
  text: string;
  scenario: Scenario;
}

/** `npm run sim -- --trace` on a side's scenario file, exactly as the link carries it. */
function simTrace(side: LinkedSide): SimTraceOutput {
  return JSON.parse(simText(side.text, ['--trace', '--compact'])) as SimTraceOutput;
}

/** Copy link, read from the field it shows (no clipboard permission needed). */
async function copyLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Copy link' }).click();
  const field = page.getByRole('textbox', { name: 'Link to this scenario' });
  await expect(field).toHaveValue(/#v=1&view=compare&/);
  const link = await field.inputValue();
  await page.keyboard.press('Escape');
  return link;
}

/** Both sides' scenarios, as the link carries them (`a=` and `b=`, lz-string compressed files). */
function linkedSides(link: string): { a: LinkedSide; b: LinkedSide } {
  const fields = new Map(
    new URL(link).hash
      .slice(1)
      .split('&')
      .map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] as const),
  );
  const side = (key: 'a' | 'b'): LinkedSide => {
    const text = LZString.decompressFromEncodedURIComponent(fields.get(key) ?? '');
    if (!text) throw new Error(`${key}: no scenario in ${link}`);
    const r = parseScenarioText(text);
    if (!r.ok) throw new Error(`${key}: ${r.problems.join('; ')}`);
    return { text, scenario: r.scenario };
  };
  return { a: side('a'), b: side('b') };
}

const costTable = (page: Page) => page.getByRole('table', { name: /^Cost of each policy/ });

/** The cost table as rows of [counter, A, B, B − A], read by role. */
async function tableRows(page: Page): Promise<string[][]> {
  const rows = costTable(page).getByRole('row');
  const out: string[][] = [];
  for (const row of await rows.all()) {
    const cells = await row.getByRole('cell').allTextContents();
    if (!cells.length) continue; // the header
    const head = (await row.getByRole('rowheader').textContent())?.trim() ?? '';
    out.push([head, ...cells.map((c) => c.trim())]);
  }
  return out;
}

/** What the table must say for two CLI runs: each counter's A and B, and B − A. */
function expectedRows(a: LinkedSide, b: LinkedSide): string[][] {
  const ca = cost(a.scenario, sourceFromOutput(a.scenario, simTrace(a)));
  const cb = cost(b.scenario, sourceFromOutput(b.scenario, simTrace(b)));
  const signed = (d: number) => (d > 0 ? `+${d}` : d < 0 ? `−${-d}` : '0');
  return COST_ROWS.map(({ key, label }) => [
    label,
    String(ca[key]),
    String(cb[key]),
    signed(cb[key] - ca[key]),
  ]);
}

async function fresh(browser: Browser, link: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(link);
  return page;
}

test('two policies with their own per-page requests, compared by cost: the counters are two `npm run sim` runs', async ({
  page,
  browser,
}) => {
  // Two axe analyses, two page loads, four command-line runs.
  test.setTimeout(3 * AXE_BUDGET_MS);
  const errors = watchErrors(page);
  await page.goto('./#preset=example-2');
  await waitReady(page);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(costTable(page)).toBeVisible({ timeout: 30_000 });

  // A: its pfn_flags_mask typed in hex (VALID|WRITE), and a write request on every 4th page.
  const policyA = page.getByRole('group', { name: 'Policy A' });
  await policyA.getByText('Registers and requests of A').click();
  const maskA = policyA.getByRole('group', { name: 'pfn_flags_mask' });
  await maskA.getByRole('textbox', { name: 'pfn_flags_mask in hex' }).fill('0xc000000000000000');
  await expect(maskA.getByRole('checkbox', { name: /^bit 63 / })).toBeChecked();
  await expect(maskA.getByRole('checkbox', { name: /^bit 62 / })).toBeChecked();
  const requestsA = policyA.getByRole('group', { name: /^Per-page requests of A/ });
  await requestsA.getByRole('textbox', { name: 'Pages' }).fill('every 4th page');
  await requestsA.getByRole('combobox', { name: 'Request' }).selectOption({ label: 'VALID | WRITE' });
  await requestsA.getByRole('button', { name: 'Apply to A' }).click();
  await expect(requestsA.getByRole('status')).toHaveText(
    'pfns[i] input of 4 pages set to VALID | WRITE in A.',
  );

  // B: default_flags cleared by its toggle, every pfns bit counts, and its own requests.
  const policyB = page.getByRole('group', { name: 'Policy B' });
  await policyB.getByText('Registers and requests of B').click();
  const defaultsB = policyB.getByRole('group', { name: 'default_flags' });
  await defaultsB.getByRole('checkbox', { name: /^bit 63 / }).uncheck();
  await expect(defaultsB.getByRole('textbox', { name: 'default_flags in hex' })).toHaveValue(
    '0x0000000000000000',
  );
  await policyB.getByRole('button', { name: 'Set pfn_flags_mask to all' }).click();
  const requestsB = policyB.getByRole('group', { name: /^Per-page requests of B/ });
  await requestsB.getByRole('textbox', { name: 'Pages' }).fill('0-3, 9');
  await requestsB.getByRole('combobox', { name: 'Request' }).selectOption({ label: 'VALID' });
  await requestsB.getByRole('button', { name: 'Apply to B' }).click();
  await requestsB.getByRole('textbox', { name: 'Pages' }).fill('12');
  await requestsB.getByRole('combobox', { name: 'Request' }).selectOption({ label: 'VALID | WRITE' });
  await requestsB.getByRole('button', { name: 'Apply to B' }).click();
  // A bad selection says what is wrong and applies nothing.
  await requestsB.getByRole('textbox', { name: 'Pages' }).fill('3-99');
  await expect(requestsB.getByRole('textbox', { name: 'Pages' })).toHaveAttribute('aria-invalid', 'true');
  await expect(requestsB.getByRole('button', { name: 'Apply to B' })).toBeDisabled();
  await expect(requestsB.getByText(/99/)).toBeVisible();

  // What was built is in the link: each side with its own registers and requests.
  const link = await copyLink(page);
  const { a, b } = linkedSides(link);
  expect(a.scenario.pfnFlagsMask).toBe(0xc000000000000000n);
  expect(b.scenario.defaultFlags).toBe(0n);
  expect(b.scenario.pfnFlagsMask).toBe((1n << 64n) - 1n);
  expect(a.scenario.requests.filter((w) => w !== 0n).length).toBeGreaterThanOrEqual(4);
  expect([...a.scenario.requests]).not.toEqual([...b.scenario.requests]);

  // The table is the command line's count for each side (the engine reruns each edit in a worker).
  const expected = expectedRows(a, b);
  await expect.poll(() => tableRows(page), { timeout: 30_000 }).toEqual(expected);
  // Independently of the counting code: the calls split by kind, the restarts and the attempts.
  const oa = simTrace(a);
  const ob = simTrace(b);
  const row = (label: string) => expected.find((r) => r[0] === label)!;
  expect(row('handle_mm_fault calls, write').slice(1, 3)).toEqual([
    String(oa.faults.filter((f) => f.write).length),
    String(ob.faults.filter((f) => f.write).length),
  ]);
  expect(row('handle_mm_fault calls, read').slice(1, 3)).toEqual([
    String(oa.faults.filter((f) => !f.write).length),
    String(ob.faults.filter((f) => !f.write).length),
  ]);
  expect(row('restarts of the walk').slice(1, 3)).toEqual([String(oa.restarts), String(ob.restarts)]);
  expect(row('attempts by the driver').slice(1, 3)).toEqual([String(oa.attempts), String(ob.attempts)]);
  // The two policies do cost differently.
  expect(expected.some((r) => r[3] !== '0')).toBe(true);

  // The chart has a name and says in words what it draws.
  const chart = page.getByRole('img', { name: 'handle_mm_fault calls along the range, A and B' });
  await expect(chart).toBeVisible();
  const total = (o: SimTraceOutput) => o.faults.length;
  await expect(
    page.getByText(`By page 15, A has made ${total(oa)} handle_mm_fault calls and B ${total(ob)}.`),
  ).toBeVisible();
  // The differences, as runs of pages.
  const runs = page.getByRole('region', { name: /^Differences in runs of pages/ });
  await expect(runs.getByRole('listitem').first()).toHaveText(/^pages? \d+(-\d+)?: /);

  // The CSV: downloaded, parsed, the same numbers as the table, B − A as a plain number.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download counters as CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('hmm-compare-counters.csv');
  const csv = parseCsv(readFileSync((await download.path())!, 'utf8'));
  expect(csv[0]).toEqual(['counter', 'A', 'B', 'B - A']);
  expect(csv.slice(1)).toEqual(expected.map(([label, x, y]) => [label, x, y, String(Number(y) - Number(x))]));

  expect(await axeViolations(page, 'compare by cost')).toEqual([]);

  // The link opens the same comparison, counters and all, in a fresh browser.
  const other = await fresh(browser, link);
  await expect(costTable(other)).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => tableRows(other), { timeout: 30_000 }).toEqual(expected);
  await other.context().close();
  expect(errors).toEqual([]);
});

test('Compare fits a 1280x720 projector in presentation mode: both sides, all 16 pages, the policies', async ({
  page,
}) => {
  test.setTimeout(2 * AXE_BUDGET_MS);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('./#preset=example-2');
  await waitReady(page);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await waitReady(page);
  await page.getByRole('button', { name: 'Presentation mode' }).click();
  for (const side of ['A', 'B']) {
    const heads = await page
      .getByRole('region', { name: `Stage ${side}` })
      .getByRole('table', { name: 'CPU page table' })
      .getByRole('columnheader')
      .allTextContents();
    expect(heads.filter((h) => /^page \d+$/.test(h.trim()))).toHaveLength(16);
    const inView = [
      page.getByRole('region', { name: `Stage ${side}` }).getByRole('table', { name: 'Device page table' }),
      page.getByRole('group', { name: `Policy ${side}` }).getByRole('combobox', { name: 'Kernel' }),
      page.getByRole('group', { name: `Policy ${side}` }).getByText(`Registers and requests of ${side}`),
      page.getByLabel(`Narration ${side}`),
      page.getByRole('button', { name: 'Play' }),
    ];
    for (const el of inView) {
      const box = await el.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.y + box!.height).toBeLessThanOrEqual(720);
      expect(box!.x + box!.width).toBeLessThanOrEqual(1280);
    }
  }
  if (process.env.SCREENSHOTS_DIR)
    await page.screenshot({ path: `${process.env.SCREENSHOTS_DIR}/present-720p-compare.png` });
});
