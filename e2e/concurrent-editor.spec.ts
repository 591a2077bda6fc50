/**
 * The concurrent-event editor (issue 10): it offers exactly the format's ops and moments, and says
 * next to each event, in words, when the op will really run given the kernel and the call
 * (hmm-semantics.md 10.5), the same sentence `npm run sim` prints.
 */
import { expect, test } from '@playwright/test';
import { AXE_BUDGET_MS, axeViolations } from './support/axe.ts';
import { sim, waitReady, watchErrors } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

test('each CPU event says when it really runs, as npm run sim does', async ({ page }) => {
  test.setTimeout(2 * AXE_BUDGET_MS);
  const errors = watchErrors(page);
  await page.goto('./#v=1&preset=munmap-after-fault');
  await waitReady(page);
  await page.getByRole('heading', { name: 'Concurrent CPU events' }).click();

  const what = page.getByRole('combobox', { name: 'event 1 what' });
  const when = page.getByRole('combobox', { name: 'event 1 when' });
  // Exactly the format's ops and moments.
  await expect(what.getByRole('option')).toHaveText([
    'munmap',
    'mprotect read-only',
    'mprotect PROT_NONE',
    'swap-out (reclaim)',
    'migrate-to-device',
    'fork',
    'invalidate (bare)',
    'madv-pageout (MADV_PAGEOUT)',
    'sigkill (fatal signal)',
  ]);
  await expect(when.getByRole('option')).toHaveText([
    'before the call',
    'after fault n',
    'before programming',
    'after programming',
  ]);

  const out = sim('public/scenarios/munmap-after-fault.json') as unknown as {
    concurrent: { when: string }[];
  };
  await expect(what).toHaveAccessibleDescription(out.concurrent[0].when);
  await expect(page.getByText(out.concurrent[0].when)).toBeVisible();
  const card = page.getByRole('listitem').filter({ has: what });
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: 'test-results/concurrent-editor-munmap.png' });

  await what.selectOption({ label: 'swap-out (reclaim)' });
  await expect(what).toHaveAccessibleDescription(
    'swap-out (reclaim) takes no mmap_lock: issued after fault 1 of the run, it runs at once.',
  );
  await when.selectOption({ label: 'before the call' });
  await page.getByRole('checkbox', { name: 'repeat in every attempt' }).check();
  await expect(when).toHaveAccessibleDescription(
    /issued before the call of every attempt, it runs at once\.$/,
  );

  // An invalidation that lasts until the driver waits: offered for an op that takes no write lock,
  // said in the same sentence, and gone with an op that waits for the lock.
  const lasts = page.getByRole('checkbox', { name: 'lasts until the driver waits' });
  await lasts.check();
  await expect(when).toHaveAccessibleDescription(
    /its invalidation stays in progress until the next mmu_interval_read_begin\(\) waits for it to end, or the run ends\.$/,
  );
  await what.selectOption({ label: 'munmap' });
  await expect(lasts).toHaveCount(0);

  expect(await axeViolations(page, 'editor', '#editor')).toEqual([]);
  expect(errors).toEqual([]);
});
