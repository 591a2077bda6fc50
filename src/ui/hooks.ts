import { useLayoutEffect, useState, useSyncExternalStore } from 'react';
import type { RefObject } from 'react';

interface Media {
  subscribe: (cb: () => void) => () => void;
  get: () => boolean;
}
/**
 * One MediaQueryList per query, kept for the page's life, with its last answer: a new list (or
 * a read of .matches) on every render re-evaluates the query, and the player renders often.
 */
const media = new Map<string, Media>();
function mediaFor(query: string): Media {
  let m = media.get(query);
  if (!m) {
    const list = window.matchMedia(query);
    let matches = list.matches;
    m = {
      subscribe: (cb) => {
        const onChange = () => {
          matches = list.matches;
          cb();
        };
        list.addEventListener('change', onChange);
        return () => list.removeEventListener('change', onChange);
      },
      get: () => matches,
    };
    media.set(query, m);
  }
  return m;
}

export function useMediaQuery(query: string): boolean {
  const m = mediaFor(query);
  return useSyncExternalStore(m.subscribe, m.get, () => false);
}

/** The user asked for less motion: animations become instant state changes. */
export function useReducedMotion(): boolean {
  return useMediaQuery('(prefers-reduced-motion: reduce)');
}

/**
 * Width of an element, kept current by a ResizeObserver. The first measure is taken in a layout
 * effect, before the browser paints: a first frame drawn for a guessed width and redrawn for the
 * real one is a layout shift.
 */
export function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [w, setW] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver((entries) => {
      for (const e of entries) setW(Math.floor(e.contentRect.width));
    });
    ro.observe(el);
    setW(Math.floor(el.getBoundingClientRect().width));
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}

/**
 * A panel opened from a button (the Presets menu, the Export menu): while `open`, the first
 * matching control inside takes the focus; Escape or a press outside closes it, and Escape gives
 * the focus back to the button.
 */
export function useDismissablePanel(
  open: boolean,
  close: () => void,
  panel: RefObject<HTMLElement | null>,
  trigger: RefObject<HTMLElement | null>,
  firstFocus = 'button, input, select, textarea, a[href]',
): void {
  // A layout effect: the panel answers Escape and takes the focus from the frame it is first
  // painted in (a lazily loaded panel is painted, then a passive effect would run a moment later).
  useLayoutEffect(() => {
    if (!open) return;
    const focusFirst = () => {
      const first = panel.current?.querySelector<HTMLElement>(firstFocus);
      first?.focus();
      return !!first;
    };
    let later: MutationObserver | null = null;
    if (!focusFirst() && panel.current) {
      // Content loaded on first use (the Export panel) has no control yet: the first one to
      // arrive takes the focus, unless the user has moved it meanwhile.
      const before = document.activeElement;
      later = new MutationObserver(() => {
        if (document.activeElement !== before || focusFirst()) later?.disconnect();
      });
      later.observe(panel.current, { childList: true, subtree: true });
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        close();
        trigger.current?.focus();
      }
    };
    const onDown = (e: PointerEvent) => {
      if (!panel.current?.contains(e.target as Node) && !trigger.current?.contains(e.target as Node)) close();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onDown);
    return () => {
      later?.disconnect();
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onDown);
    };
  }, [open, close, panel, trigger, firstFocus]);
}
