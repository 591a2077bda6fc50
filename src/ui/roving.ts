import { useRef, useState } from 'react';

/**
 * Roving focus for a grid of controls (WAI-ARIA's "roving tabindex"): the group is one Tab stop,
 * arrows move inside it. A 64-bit register as 64 Tab stops, or a stage row of 4096 pages, would
 * make the keyboard path through the app far too long.
 *
 * Items are numbered 0..count-1 left to right, top to bottom, `columns` per row.
 */
export function useRoving(count: number, columns = count) {
  const [active, setActive] = useState(0);
  const items = useRef<(HTMLElement | null)[]>([]);
  const current = Math.min(active, Math.max(0, count - 1));

  const move = (to: number) => {
    const next = Math.max(0, Math.min(count - 1, to));
    setActive(next);
    items.current[next]?.focus();
  };

  return {
    /** Props for item i. */
    item: (i: number) => ({
      tabIndex: i === current ? 0 : -1,
      ref: (el: HTMLElement | null) => {
        items.current[i] = el;
      },
      onFocus: () => setActive(i),
      onKeyDown: (e: React.KeyboardEvent) => {
        const col = i % columns;
        let to: number | null = null;
        if (e.key === 'ArrowRight') to = i + 1;
        else if (e.key === 'ArrowLeft') to = i - 1;
        else if (e.key === 'ArrowDown' && columns < count) to = i + columns;
        else if (e.key === 'ArrowUp' && columns < count) to = i - columns;
        else if (e.key === 'Home') to = i - col;
        else if (e.key === 'End') to = Math.min(count - 1, i - col + columns - 1);
        if (to === null) return;
        // Handled here: the player's arrow and Home / End shortcuts must not fire as well.
        e.preventDefault();
        move(to);
      },
    }),
  };
}

/**
 * useRoving for a row of items drawn by memoised children: the row listens (focus and keys bubble
 * to it) instead of each item, so an item's props are its index and whether it is the Tab stop,
 * and a render of the row passes its unchanged items the same props. Items carry
 * `data-roving={index}` and `tabIndex={index === current ? 0 : -1}`.
 */
export function useRovingRow(count: number) {
  const [active, setActive] = useState(0);
  const current = Math.min(active, Math.max(0, count - 1));
  const indexOf = (target: EventTarget): number | null => {
    const el = target instanceof Element ? target.closest<HTMLElement>('[data-roving]') : null;
    return el ? Number(el.dataset.roving) : null;
  };
  return {
    current,
    /** Props for the row. */
    row: {
      onFocus: (e: React.FocusEvent) => {
        const i = indexOf(e.target);
        if (i !== null) setActive(i);
      },
      onKeyDown: (e: React.KeyboardEvent<HTMLElement>) => {
        const i = indexOf(e.target);
        if (i === null) return;
        let to: number | null = null;
        if (e.key === 'ArrowRight') to = i + 1;
        else if (e.key === 'ArrowLeft') to = i - 1;
        else if (e.key === 'Home') to = 0;
        else if (e.key === 'End') to = count - 1;
        if (to === null) return;
        // Handled here: the player's arrow and Home / End shortcuts must not fire as well.
        e.preventDefault();
        const next = Math.max(0, Math.min(count - 1, to));
        setActive(next);
        e.currentTarget.querySelector<HTMLElement>(`[data-roving="${next}"]`)?.focus();
      },
    },
  };
}
