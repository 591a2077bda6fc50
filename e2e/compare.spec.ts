import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { EXAMPLE_2, sim } from './support/app.ts';
import type { SimOutput } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

/** One column of the counters table ("A" or "B") as the numbers it shows, read by row name. */
async function counters(page: Page, col: 1 | 2) {
  const table = page.getByRole('table', { name: /^Counters/ });
  const cell = async (row: RegExp) =>
    (
      (await table
        .getByRole('row', { name: row })
        .getByRole('cell')
        .nth(col - 1)
        .textContent()) ?? ''
    ).trim();
  const first = (t: string) => t.split(' of ')[0];
  return {
    faults: first(await cell(/^handle_mm_fault calls/)),
    restarts: first(await cell(/^walk restarts/)),
    attempts: first(await cell(/^driver attempts/)),
    failed: await cell(/^failed faults/),
    returned: await cell(/^returned/),
  };
}

function expected(o: SimOutput) {
  return {
    faults: String(o.faults.length),
    restarts: String(o.restarts),
    attempts: String(o.attempts),
    failed: String(o.faults.filter((f) => (f as { result?: string }).result !== 'ok').length),
    returned: o.status !== 'returned' ? o.status : o.errno ? `-${o.errno}` : String(o.ret),
  };
}

async function ready(page: Page) {
  await expect(page.getByRole('slider', { name: 'Trace position' })).toBeEnabled({ timeout: 60_000 });
}

test('compares two policies and the two kernels; the counters are what `npm run sim` says', async ({
  page,
}) => {
  await page.goto('./#preset=example-2');
  await ready(page);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(
    'Compare · Seed example 2: pfn_flags_mask WRITE vs 0',
  );
  const stageA = page.getByRole('region', { name: 'Stage A' });
  const stageB = page.getByRole('region', { name: 'Stage B' });
  await expect(stageA).toBeVisible();
  await expect(stageB).toBeVisible();
  await ready(page);

  // One player drives both sides.
  for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(page.getByLabel('Narration A')).toContainText('Page 5 (zero) asks for write');
  await expect(page.getByLabel('Narration B')).toContainText('Page 5 (zero) asks for read');

  await page.getByRole('button', { name: 'To end' }).click();
  const file = JSON.parse(readFileSync(EXAMPLE_2, 'utf8'));
  expect(await counters(page, 1)).toEqual(expected(sim(EXAMPLE_2)));
  expect(await counters(page, 2)).toEqual(expected(sim({ ...file, pfnFlagsMask: '0x0' })));
  // The rows that differ say so.
  await expect(page.getByRole('row', { name: /^walk restarts \(differs\)/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /^failed faults/ })).not.toContainText('differs');

  // Page by page: 11 pages end differently, page 5 first; both stages mark them.
  const diff = page.getByRole('region', { name: /^Differences by page/ });
  await expect(diff.getByRole('listitem')).toHaveCount(11);
  const first = diff.getByRole('listitem').first();
  await expect(first).toContainText('page 5');
  await expect(first).toContainText('A: write fault, output V W, device rw');
  await expect(first).toContainText('B: no fault, output V, device ro');
  await expect(stageA.getByText('(differs between A and B)')).toHaveCount(11);

  // Same policy on both kernels.
  await page.getByRole('button', { name: 'The explorer’s scenario on Linux 5.2 and 6.1' }).click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(
    'Compare · Seed example 2: Linux 5.2 vs Linux 6.1',
  );
  await expect(page.getByRole('region', { name: 'Stage A' }).getByText('Linux 5.2')).toHaveCount(0);
  await ready(page);
  await page.getByRole('button', { name: 'To end' }).click();
  expect(await counters(page, 1)).toEqual(expected(sim('public/scenarios/example-2-v5.2.json')));
  expect(await counters(page, 2)).toEqual(expected(sim(EXAMPLE_2)));

  // A policy menu reruns its side: B with WRITE in the mask on v5.2 is A again.
  const policyB = page.getByRole('group', { name: 'Policy B' });
  await policyB.getByRole('combobox', { name: 'Kernel' }).selectOption('v5.2');
  await ready(page);
  await expect(diff).toContainText('none');
  await expect(page.getByRole('row', { name: /differs/ })).toHaveCount(0);
});
