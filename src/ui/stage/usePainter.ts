import { useEffect, useRef } from 'react';
import { CPU_STATES } from '../../engine/types.ts';
import { paintCpu, paintRequest } from '../../state/edits.ts';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { requestFlags } from '../model/bits.ts';

/** The word the request brush paints, in the scenario's layout. */
export function requestBrushWord(s: Store): bigint {
  const f = requestFlags(s.scenario);
  switch (s.requestBrush) {
    case 'none':
      return 0n;
    case 'valid':
      return f.VALID;
    case 'write':
      return f.VALID | f.WRITE;
    case 'custom':
      return s.customRequest;
  }
}

let gestureSeq = 0;
/** The page a shift-click selection extends from: the last page clicked on either row. */
let anchor = 0;

/** Shift-click (or shift-drag) selects pages [anchor, page] instead of painting. */
function selectTo(page: number, from = anchor): void {
  const [a, b] = [Math.min(from, page), Math.max(from, page)];
  useStore.getState().setSelection(a === b ? String(a) : `${a}-${b}`);
}

function pageAt(x: number, y: number): number | null {
  const el = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-page]');
  return el ? Number(el.dataset.page) : null;
}

/**
 * Click a cell to paint it with the row's brush; press and drag along the row to paint a run of
 * pages (one undo step). Keyboard activation (Enter / Space on the cell's button) paints one.
 * With Shift held, a click or a drag selects pages instead (the editor's "Selected pages" field),
 * for a range edit of the CPU state, the request or the vma in one action.
 */
/** The page of the stage cell an event came from (its data-page), or null. */
export function pageOf(target: EventTarget): number | null {
  const el = target instanceof Element ? target.closest<HTMLElement>('[data-page]') : null;
  return el ? Number(el.dataset.page) : null;
}

export function usePainter(kind: 'cpu' | 'request') {
  const drag = useRef<{ last: number; key: string; select: boolean } | null>(null);

  const paint = (from: number, to: number, key?: string) => {
    const st = useStore.getState();
    if (kind === 'cpu') {
      const code = CPU_STATES.indexOf(st.cpuBrush);
      st.edit((s) => paintCpu(s, from, to, code), key);
    } else {
      const word = requestBrushWord(st);
      st.edit((s) => paintRequest(s, from, to, word), key);
    }
  };

  useEffect(() => {
    const up = () => {
      if (!drag.current) return;
      drag.current = null;
      useStore.getState().endGesture();
    };
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', up);
    return () => {
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', up);
    };
  }, []);

  const onPointerDown = (e: React.PointerEvent) => {
    if (e.button !== 0) return;
    const page = pageAt(e.clientX, e.clientY);
    if (page === null) return;
    const key = `${kind}-${++gestureSeq}`;
    if (e.shiftKey) {
      drag.current = { last: anchor, key, select: true };
      selectTo(page);
      return;
    }
    anchor = page;
    drag.current = { last: page, key, select: false };
    paint(page, page, key);
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    if (!d || !(e.buttons & 1)) return;
    const page = pageAt(e.clientX, e.clientY);
    if (page === null || page === d.last) return;
    if (d.select) {
      selectTo(page, d.last);
      return;
    }
    paint(Math.min(page, d.last), Math.max(page, d.last), d.key);
    d.last = page;
  };
  /** Keyboard activation only (Enter or Space on a cell's button): a pointer press has painted already. */
  const onClick = (e: React.MouseEvent) => {
    const page = (e.target as Element).closest('.cell-button') ? pageOf(e.target) : null;
    if (page === null || e.detail !== 0) return;
    if (e.shiftKey) selectTo(page);
    else {
      anchor = page;
      paint(page, page);
    }
  };

  /**
   * The handlers of a row of paintable cells, put on the row: its cells stay memoised, with no
   * handlers of their own.
   */
  return { row: { onPointerDown, onPointerMove, onClick } };
}
