import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { EXAMPLE_2, waitReady, watchErrors } from './support/app.ts';
import { parseScenarioText, scenarioToFile } from '../src/engine/scenario/parse.ts';
import { formatJson } from '../src/engine/scenario/json.ts';

test.use({ viewport: { width: 1440, height: 900 } });

async function openJson(page: Page) {
  const editor = page.getByRole('complementary', { name: 'Scenario editor' });
  await editor.getByRole('heading', { name: 'Scenario as JSON' }).click();
  await editor.getByRole('button', { name: 'Edit the scenario as JSON' }).click();
  const text = editor.getByRole('textbox', { name: 'Scenario JSON' });
  await expect(text).toBeVisible();
  return { editor, text };
}

/** Replaces the editor's whole text, as a paste would. */
async function replaceText(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Scenario JSON' }).click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(text);
}

test('a JSON edit with an error shows the message at its line and changes nothing until fixed', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('./');
  await waitReady(page);
  const { editor, text } = await openJson(page);
  // The address follows the state after a pause: read it once the app has written it.
  await expect(page).toHaveURL(/#v=1&/);
  const link = await page.evaluate(() => location.hash);
  // The text is the scenario's file form.
  await expect(text).toContainText('"title": "Seed example 2');

  // The text shown: the default scenario's file form (CodeMirror draws only the lines in view).
  const parsed = parseScenarioText(readFileSync(EXAMPLE_2, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const source = formatJson(scenarioToFile(parsed.scenario)) + '\n';
  const broken = source.replace('"prot": "rw"', '"prot": "rx"');
  const protLine = broken.split('\n').findIndex((l) => l.includes('"rx"')) + 1;
  expect(protLine).toBeGreaterThan(1);
  await replaceText(page, broken);

  const status = editor.getByRole('status').filter({ hasText: 'Not applied' });
  await expect(status).toContainText('Not applied: 1 problem');
  await expect(status.getByRole('listitem')).toHaveText(
    new RegExp(`^line ${protLine} vmas\\.0\\.prot: expected one of`),
  );
  // Nothing changed: same link, same heading, the stage still runs the old scenario.
  expect(await page.evaluate(() => location.hash)).toBe(link);
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  if (process.env.SCREENSHOTS_DIR)
    await page.screenshot({ path: `${process.env.SCREENSHOTS_DIR}/json-editor-error.png` });

  // Fixed (and retitled): applied at once, undoable as one edit.
  await replaceText(page, broken.replace('"rx"', '"rw"').replace('Seed example 2', 'My example'));
  await expect(editor.getByText('Valid: every change is applied')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /^My example/ })).toBeVisible();
  await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(link);
  await waitReady(page);

  const axe = await new AxeBuilder({ page }).include('#editor').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
    [],
  );

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /^Seed example 2/ })).toBeVisible();
  // The editor follows the undo.
  await expect(text).toContainText('"prot": "rw"');
  await expect(text).toContainText('"title": "Seed example 2');
  expect(errors).toEqual([]);
});

test("the JSON editor keeps its styles under a Content-Security-Policy of style-src 'self'", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.route(
    (url) => url.pathname === '/' || url.pathname.endsWith('/index.html'),
    async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': "style-src 'self'" },
      });
    },
  );
  await page.goto('./');
  await waitReady(page);
  await page.evaluate(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.violations.push(e.violatedDirective));
  });
  const { editor, text } = await openJson(page);
  await expect(text).toContainText('"kernel": "v6"');
  // CodeMirror's own layout applied: line numbers in a gutter beside the text, not above it.
  const gutter = await editor.getByText('1', { exact: true }).first().boundingBox();
  const content = await text.boundingBox();
  expect(gutter!.x + gutter!.width).toBeLessThanOrEqual(content!.x + 1);
  expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
});
