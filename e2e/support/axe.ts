import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * One axe analysis's time: the whole main view (about 2,200 nodes) takes ~30 s when one other job
 * loads the machine, and minutes when several do; a test that runs several budgets this much for
 * each. A test's time limit is how long it may take, never what it asserts.
 */
export const AXE_BUDGET_MS = 120_000;

/**
 * axe's violations as one line each (`where: rule: help (count) first target`), so a failure
 * says what and where. `scope` limits the analysis to the part of the page that changed since
 * the last full analysis (a CSS selector of a landmark or dialog: `main`, `[role=dialog]`):
 * re-analysing the editor's 128 bit toggles after a step finds nothing new and costs seconds.
 */
export async function axeViolations(page: Page, where = 'page', scope?: string): Promise<string[]> {
  await animationsSettled(page);
  // axe.run in the page itself (legacy mode) rather than runPartial plus finishRun in a second,
  // blank page: runPartial serialises every node of every rule, passes included (a CSS selector,
  // an XPath and the HTML of each), to hand them to finishRun. With only violations kept, axe
  // builds those for the failing nodes alone. The rules and the nodes checked are the same; the
  // one thing legacy mode gives up is cross-origin frames, and the app has none (its only frame,
  // the Embed dialog's preview, is the app's own origin, which legacy mode analyses). Measured on
  // the 2,600-node main view with a violation planted (load ~17): 86-136 s before, 22-27 s after,
  // the same violations found.
  // A page with frames (the embed-figures host page, the Embed dialog's preview) keeps the default
  // run: legacy mode injects axe into each frame within 1 s and then waits up to 60 s for any
  // frame that missed it, which on a busy machine ran embed-figures' analyses past their time.
  const framed = page.frames().length > 1;
  let builder = new AxeBuilder({ page }).setLegacyMode(!framed).options({ resultTypes: ['violations'] });
  if (scope) builder = builder.include(scope);
  const r = await builder.analyze();
  return r.violations.map(
    (v) => `${where}: ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ')}`,
  );
}

/**
 * Waits until no CSS animation or transition is running (the app has none that repeat forever).
 * axe reads colours as they are at that instant: a device cell caught in its fade-in has half its
 * opacity, so its text fails colour contrast, which on a busy machine (frames late, the fade
 * longer in wall time) happened in about one run in three. What a reader sees once still is what
 * is judged.
 */
export async function animationsSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
}
