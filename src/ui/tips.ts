/**
 * Tooltips given as a `title` only to the element under the pointer or the focus: the stage's
 * cells and the event log's rows.
 *
 * Every cell has a tooltip that names its page, and a scrub across a large range changes them
 * all; every row of the log gets a new one on each step. A changed `title` restyles its element (the browser's own style sheet has `[title]`
 * rules), which cost ~160 style recalculations per slider move. The text is kept in `data-tip`
 * instead, which no style rule reads, and becomes a `title` when the element is pointed at or
 * focused: the tooltip a pointer shows, and the description a screen reader says on focus, are
 * the same as before.
 */

/** The element now carrying a title from its data-tip (one per page: one pointer, one focus). */
let tipped: HTMLElement | null = null;

/** Gives the element at `target` (or its nearest ancestor with a tip) its tip as a title. */
export function showTip(target: EventTarget | null): void {
  const el = target instanceof Element ? target.closest<HTMLElement>('[data-tip]') : null;
  if (el === tipped) {
    refreshTip();
    return;
  }
  tipped?.removeAttribute('title');
  tipped = el;
  refreshTip();
}

/** The tipped element's title follows its tip when a render changed it (a step, a scrub). */
export function refreshTip(): void {
  if (!tipped) return;
  if (!tipped.isConnected) {
    tipped = null;
    return;
  }
  const tip = tipped.dataset.tip;
  if (tip === undefined) tipped.removeAttribute('title');
  else if (tipped.title !== tip) tipped.title = tip;
}
