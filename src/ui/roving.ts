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
