import { useEffect, useRef } from 'react';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import type { PlayerActions } from './PlayerBar.tsx';
import { bounds } from './Player.tsx';
import type { StepRange } from './Player.tsx';

/** One step every BASE_MS at 1x; speed changes the pace, never the step (one trace event). */
export const BASE_MS = 650;

const selectPlay = (s: Store) => s.playing;
const selectSpeed = (s: Store) => s.speed;
const selectCursor = (s: Store) => s.cursor;

/**
 * A player's clock: while `playing`, calls `advance` every BASE_MS / speed. `advance` returns
 * false at the end, and the clock stops.
 */
export function useClock(playing: boolean, speed: number, cursor: number, advance: () => void): void {
  const tick = useRef(advance);
  useEffect(() => {
    tick.current = advance;
  });
  useEffect(() => {
    if (!playing) return;
    const id = setTimeout(() => tick.current(), BASE_MS / speed);
    return () => clearTimeout(id);
  }, [playing, speed, cursor]);
}

/** Advances the explorer's cursor while playing; stops at the end (of `range`, if given). */
export function usePlayback(range: StepRange = null): void {
  const playing = useStore(selectPlay);
  const speed = useStore(selectSpeed);
  const cursor = useStore(selectCursor);
  useClock(playing, speed, cursor, () => {
    const s = useStore.getState();
    const [, hi] = bounds(s, range);
    if (s.cursor >= hi) {
      s.pause();
      return;
    }
    s.setCursor(s.cursor + 1);
    if (s.cursor + 1 >= hi) s.pause();
  });
}

function isTextField(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT')
    return (
      (el as HTMLInputElement).type !== 'checkbox' &&
      (el as HTMLInputElement).type !== 'radio' &&
      (el as HTMLInputElement).type !== 'button'
    );
  return (el as HTMLElement).isContentEditable;
}

export interface KeyOptions {
  /** Ctrl+Z / Ctrl+Shift+Z undo and redo the explorer's edits. */
  undo?: boolean;
  /**
   * Page Up / Page Down step back and forward (a presenter's clicker sends them). `onPageDown`
   * may take the key first, e.g. to turn a tour's page at the end of a run; it returns true then.
   */
  pageKeys?: boolean;
  onPageDown?: () => boolean;
  onPageUp?: () => boolean;
}

/**
 * Space plays or pauses, arrows step, Home / End jump; Ctrl+Z / Ctrl+Shift+Z undo and redo.
 * Keys belong to the focused control first: nothing here fires inside a text field, a select
 * or a slider, a radio group keeps its arrows, and Space on a button presses that button. Screen
 * readers in browse mode keep their own keys (they never reach the page).
 */
export function usePlayerKeys(actions: PlayerActions, opts: KeyOptions = {}): void {
  const latest = useRef({ actions, opts });
  useEffect(() => {
    latest.current = { actions, opts };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.metaKey) return;
      const { actions: a, opts: o } = latest.current;
      const target = e.target instanceof Element ? e.target : null;
      if (e.ctrlKey) {
        if (!o.undo || isTextField(target)) return;
        const s = useStore.getState();
        if (e.key.toLowerCase() === 'z') {
          e.preventDefault();
          if (e.shiftKey) s.redo();
          else s.undo();
        } else if (e.key.toLowerCase() === 'y') {
          e.preventDefault();
          s.redo();
        }
        return;
      }
      // A clicker's keys work wherever the focus is, except while typing: the presenter is
      // across the room and cannot see what is focused.
      if (o.pageKeys && (e.key === 'PageDown' || e.key === 'PageUp') && !isTextField(target)) {
        e.preventDefault();
        if (e.key === 'PageDown') {
          if (!o.onPageDown?.()) a.step(1);
        } else if (!o.onPageUp?.()) a.step(-1);
        return;
      }
      if (
        isTextField(target) ||
        target?.closest('[role="dialog"], dialog, [role="radiogroup"], input[type="range"]')
      )
        return;
      const onButton = !!target?.closest('button, a, input[type="checkbox"]');
      switch (e.key) {
        case ' ':
          if (onButton) return; // the button's own action
          e.preventDefault();
          a.togglePlay();
          break;
        case 'ArrowRight':
          e.preventDefault();
          a.step(1);
          break;
        case 'ArrowLeft':
          e.preventDefault();
          a.step(-1);
          break;
        case 'Home':
          e.preventDefault();
          a.toStart();
          break;
        case 'End':
          e.preventDefault();
          a.toEnd();
          break;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
