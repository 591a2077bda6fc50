import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { sim, waitReady, watchErrors } from './support/app.ts';
import { AXE_BUDGET_MS, axeViolations } from './support/axe.ts';

/**
 * The locks as actors (hmm-semantics.md 10.5): on Linux 6.1 a munmap issued after the first
 * fault waits while the driver holds mmap_lock for read, runs when the call returns, and its
 * invalidation moves the interval past notifier_seq, so the driver retries and sees the new
 * state. The lock lane says who holds the lock and why, in words.
 */

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

const link = (at: string) => `./#v=1&scenario=${encodeURIComponent(JSON.stringify(MUNMAP_6_1))}&at=${at}`;
const SHOTS = process.env.SCREENSHOTS_DIR;

async function open(page: Page, at: string) {
  await page.goto(link(at));
  await waitReady(page);
}

test.describe('a munmap after the first fault, on Linux 6.1', () => {
  test('waits while the driver holds mmap_lock, runs after the call, and the driver retries', async ({
    page,
  }) => {
    test.setTimeout((1 + 1) * AXE_BUDGET_MS);
    const errors = watchErrors(page);
    await open(page, '1st-cpu-wait');
    const lane = page.getByRole('region', { name: 'Locks' });
    const narration = page.getByRole('status', { name: 'Narration' });

    // The munmap is issued and waits: the lane says who holds the lock and who waits, and why.
    await expect(narration).toContainText('munmap of pages 6-7 is issued');
    await expect(lane).toContainText('mmap_lock held for read by the driver');
    await expect(lane).toContainText('waiting for write munmap (pages 6-7)');
    await expect(lane).toContainText(
      'munmap of pages 6-7 waits: it needs mmap_lock for write, and the driver holds it for read.',
    );
    await expect(lane).toContainText('notifier_seq 0, interval at 0: in step');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/lock-lane-waits.png` });

    // The rest of the call runs on the old page tables: page 6 is still faulted in.
    const forward = page.getByRole('button', { name: 'Step forward' });
    await forward.click();
    await expect(narration).toContainText('handle_mm_fault(page 5');
    await expect(lane).toContainText('waiting for write munmap (pages 6-7)');

    // Step on until the driver's check: the munmap ran at the release, the interval moved on.
    for (let i = 0; i < 40; i++) {
      if (((await narration.textContent()) ?? '').includes('mmu_interval_read_retry')) break;
      await forward.click();
    }
    await expect(narration).toContainText('mmu_interval_read_retry(): an invalidation ran since read_begin');
    await expect(lane).toContainText('mmap_lock free');
    await expect(lane).not.toContainText('waiting for write');
    await expect(lane).toContainText(
      'notifier_seq is 0, the interval is at 2: an invalidation ran since read_begin, so the driver retries.',
    );
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/lock-lane-retry.png` });

    // The driver's second attempt sees the new state: pages 6-7 have no vma, -EFAULT.
    const expected = sim(MUNMAP_6_1);
    expect(expected.attempts).toBe(2);
    await page.getByRole('button', { name: 'To end' }).click();
    await expect(page.getByRole('status', { name: 'driver attempts' })).toHaveText(String(expected.attempts));
    await expect(page.getByRole('status', { name: 'returned' })).toHaveText(`-${expected.errno}`);

    // Back at the retry: the view a teacher stops on, checked by axe (the explorer's stage and
    // explanations; its editor and top bar are analysed whole in a11y.spec.ts).
    await page.getByRole('button', { name: 'Step back' }).click();
    expect(await axeViolations(page, 'lock lane at the retry', 'main')).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('the lane stays readable on a 375 px phone: every item in the window', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    await open(page, '1st-cpu-wait');
    const lane = page.getByRole('region', { name: 'Locks' });
    await expect(lane).toContainText('munmap of pages 6-7 waits');
    for (const item of await lane.getByRole('listitem').all()) {
      const box = await item.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    }
    if (SHOTS) {
      await lane.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/lock-lane-375.png` });
    }
  });
});

test('the tour chapter on the mmap lock: linked from the first tour, each step on its moment', async ({
  page,
}) => {
  test.setTimeout((1 + 1) * AXE_BUDGET_MS);
  await page.goto('./#v=1&view=tour&step=1');
  const tour = page.getByRole('complementary', { name: 'Guided tour' });
  await tour.getByRole('button', { name: 'Tour: Holding the mmap lock across HMM faults' }).click();
  await expect(page).toHaveURL(/#v=1&view=tour&tour=locks&step=1(&|$)/);
  await expect(tour.getByRole('heading', { level: 2 })).toHaveText(
    'Step 1. What the driver holds, and what it protects',
  );
  await expect(tour.locator('figcaption')).toHaveText('Documentation/mm/hmm.rst, Linux 7.3');
  await waitReady(page);
  const lane = page.getByRole('region', { name: 'Locks' });
  await expect(lane).toContainText('mmap_lock held for read by the driver');

  // Step 3: the 6.1 munmap, opened at the driver's check.
  await tour.getByRole('button', { name: /^Step 3: munmap after the first fault, on Linux 6\.1/ }).click();
  await expect(page).toHaveURL(/#v=1&view=tour&tour=locks&step=3(&|$)/);
  await waitReady(page);
  await expect(page.getByRole('status', { name: 'Narration' })).toContainText('mmu_interval_read_retry()');
  await expect(lane).toContainText('notifier_seq 0, interval at 2: moved on, the driver must retry');
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/lock-tour-3.png` });

  // Step 4: the same munmap on 5.2 runs after the device was programmed, and erases it.
  await tour.getByRole('button', { name: /^Next/ }).click();
  await waitReady(page);
  await expect(lane).toContainText('mmap_sem free');
  await expect(page.getByRole('status', { name: 'Narration' })).toContainText(
    'sync_cpu_device_pagetables() erases 2 device entries',
  );
  // The tour's text and the stage with its lane (the tour view is analysed whole in views-a11y).
  expect(await axeViolations(page, 'lock tour step 4', '#tour, #stage')).toEqual([]);
});

test('presenting at 1280x720: the locks and the whole device row above the player', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, '1st-read-retry');
  await page.getByRole('button', { name: 'Presentation mode' }).click();
  const lane = page.getByRole('region', { name: 'Locks' });
  await expect(lane).toContainText('notifier_seq 0, interval at 2: moved on, the driver must retry');
  const player = await page.getByRole('group', { name: 'Player' }).boundingBox();
  for (const what of [lane, page.getByRole('table', { name: 'Device page table' })]) {
    const box = await what.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(player!.y);
  }
});

test('a comparison shows each side its own locks, named apart', async ({ page }) => {
  await open(page, '1st-cpu-wait');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  for (const side of ['A', 'B']) {
    const lane = page.getByRole('region', { name: `Locks ${side}` });
    await expect(lane).toContainText('mmap_lock');
    await expect(lane).toContainText('notifier_seq');
  }
  await expect(page.getByRole('region', { name: 'Locks', exact: true })).toHaveCount(0);
});

test('7.3’s unlocked call on a userfaultfd range: the fault drops the lock, the walk restarts at the start', async ({
  page,
}) => {
  test.setTimeout((1 + 1) * AXE_BUDGET_MS);
  const errors = watchErrors(page);
  await page.goto('./#v=1&view=tour&tour=locks&step=6');
  await waitReady(page);
  const lane = page.getByRole('region', { name: 'Locks' });
  const narration = page.getByRole('status', { name: 'Narration' });
  // The step opens at the lock drop: nobody holds mmap_lock, the fault released it.
  await expect(narration).toContainText('handle_userfault(): page 0 is missing');
  await expect(lane).toContainText('mmap_lock free: the fault dropped it');
  // The munmap issued after that fault runs at once (it never waits), then the next pass walks
  // again from range->start.
  const forward = page.getByRole('button', { name: 'Step forward' });
  await expect(async () => {
    await forward.click();
    await expect(narration).toContainText('Pass 2: the walk starts again at range->start (page 0)', {
      timeout: 1000,
    });
  }).toPass({ timeout: 60_000 });
  await expect(lane).not.toContainText('waiting for write');
  expect(await axeViolations(page, 'unlocked call restart', '#tour, #stage')).toEqual([]);
  expect(errors).toEqual([]);
});
