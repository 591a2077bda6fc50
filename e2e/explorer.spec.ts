import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { EXAMPLE_2, expandMap, faultCount, sim, tableStates, waitReady, watchErrors } from './support/app.ts';

test.use({ viewport: { width: 1440, height: 900 } });

const example2 = JSON.parse(readFileSync(EXAMPLE_2, 'utf8')) as { title: string; range: { pages: number } };

test.describe('a newcomer with the seed example', () => {
  test('plays example 2 to the end and gets what `npm run sim` gets', async ({ page }) => {
    // A whole run played at 4x: 52 steps of 162 ms, many times that while other jobs load the machine.
    test.setTimeout(300_000);
    const errors = watchErrors(page);
    const expected = sim(EXAMPLE_2);
    await page.goto('./');
    await expect(page.getByRole('heading', { level: 2, name: example2.title })).toBeVisible();
    await waitReady(page);

    // Before the run, the device has nothing.
    expect(await tableStates(page, 'Device page table')).toEqual(new Array(16).fill('none'));

    await page.getByRole('combobox', { name: 'speed' }).selectOption('4');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
    // Played to the end, the player stops by itself (~9 s at 4x; minutes on a busy machine).
    await expect(page.getByRole('button', { name: 'Play' })).toBeVisible({ timeout: 240_000 });
    await expect(page.getByRole('button', { name: 'Step forward' })).toBeDisabled();

    expect(await tableStates(page, 'Device page table')).toEqual(expandMap(expected.device, 16));
    expect(await tableStates(page, 'CPU page table')).toEqual(expandMap(expected.cpu, 16));
    expect(await faultCount(page)).toBe(String(expected.faults.length));
    expect(errors).toEqual([]);
  });

  test('toggling a pfn_flags_mask bit and running again changes the outcome', async ({ page }) => {
    await page.goto('./');
    await waitReady(page);
    await page.getByRole('button', { name: 'To end' }).click();
    const before = await tableStates(page, 'Device page table');
    const faultsBefore = await faultCount(page);

    const mask = page.getByRole('group', { name: 'pfn_flags_mask' });
    const writeBit = mask.getByRole('checkbox', { name: /^bit 62 WRITE/ });
    await expect(writeBit).toBeChecked();
    await writeBit.uncheck();
    await expect(mask.getByRole('textbox')).toHaveValue('0x0000000000000000');

    await page.getByRole('button', { name: 'Run' }).click();
    await waitReady(page);
    await page.getByRole('button', { name: 'To end' }).click();

    const file = JSON.parse(readFileSync(EXAMPLE_2, 'utf8'));
    const expected = sim({ ...file, pfnFlagsMask: '0x0' });
    const after = await tableStates(page, 'Device page table');
    expect(after).toEqual(expandMap(expected.device, 16));
    expect(await faultCount(page)).toBe(String(expected.faults.length));
    // Without WRITE in the mask, page 5's write request no longer counts.
    expect(after).not.toEqual(before);
    expect(await faultCount(page)).not.toBe(faultsBefore);
  });

  test("the pseudocode marks the line each step executes, in the panel's view", async ({ page }) => {
    await page.goto('./');
    await waitReady(page);
    const narration = page.getByRole('status', { name: 'Narration' });
    const code = page.getByRole('region', { name: /^Pseudocode of / });
    const current = code.locator('[aria-current="step"]');
    // Step to the first fault: the line that calls handle_mm_fault(), far down the listing.
    const forward = page.getByRole('button', { name: 'Step forward' });
    for (let i = 0; i < 60 && (await forward.isEnabled()); i++) {
      if (((await narration.textContent()) ?? '').includes('handle_mm_fault(page')) break;
      await forward.click();
    }
    await expect(narration).toContainText('handle_mm_fault(page');
    await expect(current).toHaveCount(1);
    await expect(current).toContainText(
      'if (handle_mm_fault(vma, addr, fault_flags, NULL) & VM_FAULT_ERROR)',
    );
    // Scrolled to it: the line lies inside the panel's box.
    await expect
      .poll(() =>
        current.evaluate((line) => {
          const box = line.closest('[role="region"]')!.getBoundingClientRect();
          const at = line.getBoundingClientRect();
          return at.top >= box.top && at.bottom <= box.bottom;
        }),
      )
      .toBe(true);
  });

  test('steps back and forward through the trace', async ({ page }) => {
    await page.goto('./');
    await waitReady(page);
    const step = page.getByRole('status', { name: 'Step' });
    const narration = page.getByRole('status', { name: 'Narration' });
    await page.getByRole('button', { name: 'Step forward' }).click();
    await page.getByRole('button', { name: 'Step forward' }).click();
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect(step).toHaveText(/^3 \//);
    const third = await narration.textContent();
    await page.getByRole('button', { name: 'Step back' }).click();
    await expect(step).toHaveText(/^2 \//);
    await expect(narration).not.toHaveText(third ?? '');
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect(step).toHaveText(/^3 \//);
    await expect(narration).toHaveText(third ?? '');

    // Back from the end undoes the device's programming.
    await page.getByRole('button', { name: 'To end' }).click();
    const end = await tableStates(page, 'Device page table');
    expect(end).toContain('rw');
    await page.getByRole('button', { name: 'Step back' }).click();
    expect(await tableStates(page, 'Device page table')).toEqual(new Array(16).fill('none'));
    await page.getByRole('button', { name: 'Step forward' }).click();
    expect(await tableStates(page, 'Device page table')).toEqual(end);
  });

  test('a slider jump shows its step still; a step forward moves the walk and flashes what changed', async ({
    page,
  }) => {
    await page.goto('./');
    await waitReady(page);
    const stage = page.getByRole('region', { name: 'Stage: the range, page by page' });
    // Motion the stage starts (an animation or a transition), counted as the browser starts it:
    // at the window, in the capture phase, where the app stops these events (main.tsx) after its
    // own listener, which a listener on the window still follows.
    await stage.evaluate((el) => {
      const w = window as unknown as { started: string[] };
      w.started = [];
      const note = (e: Event) => {
        if (e.target instanceof Node && el.contains(e.target))
          w.started.push((e as AnimationEvent).animationName ?? e.type);
      };
      window.addEventListener('animationstart', note, { capture: true });
      window.addEventListener('transitionrun', note, { capture: true });
    });
    const started = () => page.evaluate(() => (window as unknown as { started: string[] }).started.length);
    const step = page.getByRole('status', { name: 'Step' });
    const slider = page.getByRole('slider', { name: 'Trace position' });
    for (const at of [10, 20, 14]) {
      await slider.fill(String(at));
      await expect(step).toHaveText(new RegExp(`^${at} /`));
    }
    // Two frames after the last jump: its style is computed, and nothing has started.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await started()).toBe(0);
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step forward' }).click();
    await expect(step).toHaveText(/^17 \//);
    await expect.poll(started).toBeGreaterThan(0);
  });
});

test.describe('links', () => {
  test('Copy link opens the same state in a fresh page', async ({ page, browser, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto('./');
    await waitReady(page);
    // Make a state that differs from the default: no WRITE in the mask, 20 pages.
    await page
      .getByRole('group', { name: 'pfn_flags_mask' })
      .getByRole('checkbox', { name: /^bit 62 WRITE/ })
      .uncheck();
    await page.getByRole('spinbutton', { name: 'Pages', exact: true }).fill('20');
    await waitReady(page);
    await page.getByRole('button', { name: 'To end' }).click();
    const device = await tableStates(page, 'Device page table');
    const faults = await faultCount(page);

    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/#v=1&s=/);
    await expect(page.getByRole('textbox', { name: 'Link to this scenario' })).toHaveValue(link);

    // A fresh browser context: no localStorage to fall back on, only the link.
    const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const other = await fresh.newPage();
    await other.goto(link);
    await waitReady(other);
    await expect(
      other.getByRole('group', { name: 'pfn_flags_mask' }).getByRole('checkbox', { name: /^bit 62 WRITE/ }),
    ).not.toBeChecked();
    await expect(other.getByRole('spinbutton', { name: 'Pages', exact: true })).toHaveValue('20');
    // The link carries the moment too (at=end): the fresh page opens at the end of the run.
    await expect(other.getByRole('button', { name: 'To end' })).toBeDisabled();
    expect(await tableStates(other, 'Device page table')).toEqual(device);
    expect(await faultCount(other)).toBe(faults);
    await fresh.close();
  });

  test('a hand-written #scenario= link loads', async ({ page }) => {
    const scenario = {
      format: 1,
      title: 'Hand-written link',
      kernel: 'v5.2',
      call: 'hmm_range_fault',
      range: { start: '0x7f0000000000', pages: 4 },
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
      cpu: { '0-1': 'rw' },
      defaultFlags: ['VALID'],
      pfnFlagsMask: '0x0',
    };
    await page.goto(`./#scenario=${encodeURIComponent(JSON.stringify(scenario))}`);
    await expect(page.getByRole('heading', { level: 2, name: 'Hand-written link' })).toBeVisible();
    await waitReady(page);
    await page.getByRole('button', { name: 'To end' }).click();
    const expected = sim(scenario);
    expect(await tableStates(page, 'Device page table')).toEqual(expandMap(expected.device, 4));
  });

  test('a broken link says what is wrong and opens the default scenario', async ({ page }) => {
    const errors = watchErrors(page);
    const bad = { format: 1, kernel: 'v7', range: { start: '0x7f0000000000', pages: 4 } };
    await page.goto(`./#scenario=${encodeURIComponent(JSON.stringify(bad))}`);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('not valid');
    await expect(alert).toContainText('kernel');
    await expect(alert).toContainText('Opened the default scenario');
    await expect(page.getByRole('heading', { level: 2, name: example2.title })).toBeVisible();
    await waitReady(page);

    // Followed from the open page (a hashchange), it leaves what is on screen alone.
    await page.goto('./#s=this-is-not-lz-data');
    await expect(page.getByRole('alert')).toContainText('damaged');
    await expect(page.getByRole('alert')).toContainText('unchanged');

    // Opened in a new tab, it opens the default scenario. (A reload of the first tab is not the
    // same test: the URL there follows the state on screen again once the app saves it.)
    const tab = await page.context().newPage();
    const tabErrors = watchErrors(tab);
    await tab.goto('./#s=this-is-not-lz-data');
    await expect(tab.getByRole('alert')).toContainText('damaged');
    await expect(tab.getByRole('heading', { level: 2, name: example2.title })).toBeVisible();
    await tab.close();
    expect(errors).toEqual([]);
    expect(tabErrors).toEqual([]);
  });
});

test('an edit goes into the URL, and the last scenario comes back without one', async ({ page }) => {
  await page.goto('./');
  await waitReady(page);
  await page.getByRole('spinbutton', { name: 'Pages', exact: true }).fill('12');
  await expect(page).toHaveURL(/#v=1&s=/);
  await page.goto('./'); // no hash: localStorage has the last scenario
  await expect(page.getByRole('spinbutton', { name: 'Pages', exact: true })).toHaveValue('12');
  await waitReady(page);
  expect(await tableStates(page, 'Device page table')).toHaveLength(12);
});

test('undo and redo an edit', async ({ page }) => {
  await page.goto('./');
  await waitReady(page);
  const bit = page
    .getByRole('group', { name: 'default_flags' })
    .getByRole('checkbox', { name: /^bit 62 WRITE/ });
  await expect(bit).not.toBeChecked();
  await bit.check();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(bit).not.toBeChecked();
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(bit).toBeChecked();
});

test('presets are one click away', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Presets' }).click();
  const dialog = page.getByRole('dialog', { name: 'Presets' });
  await dialog.getByRole('button', { name: /after fork/i }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 2, name: /after fork/i })).toBeVisible();
  await expect(page.getByText('Watch for:')).toBeVisible();
  await waitReady(page);
});
