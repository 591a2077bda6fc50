import { useEffect } from 'react';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { activeRun } from '../../state/derived.ts';

/** One step every BASE_MS at 1x; speed changes the pace, never the step (one trace event). */
export const BASE_MS = 650;

const selectPlay = (s: Store) => s.playing;
const selectSpeed = (s: Store) => s.speed;
const selectCursor = (s: Store) => s.cursor;

/** Advances the cursor while playing; stops at the end. */
export function usePlayback(): void {
  const playing = useStore(selectPlay);
  const speed = useStore(selectSpeed);
  const cursor = useStore(selectCursor);
  useEffect(() => {
    if (!playing) return;
    const id = setTimeout(() => {
      const s = useStore.getState();
      const run = activeRun(s.scenario, s.run, s.runScenario);
      if (!run || s.cursor >= run.trace.length) {
        s.pause();
        return;
      }
      s.setCursor(s.cursor + 1);
      if (s.cursor + 1 >= run.trace.length) s.pause();
    }, BASE_MS / speed);
    return () => clearTimeout(id);
  }, [playing, speed, cursor]);
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

/**
 * Space plays or pauses, arrows step, Home / End jump; Ctrl+Z / Ctrl+Shift+Z undo and redo.
 * Keys belong to the focused control first: nothing here fires inside a text field, a select
 * or a slider, a radio group keeps its arrows, and Space on a button presses that button. Screen
 * readers in browse mode keep their own keys (they never reach the page).
 */
export function usePlayerKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.metaKey) return;
      const target = e.target instanceof Element ? e.target : null;
      const s = useStore.getState();
      if (e.ctrlKey) {
        if (isTextField(target)) return;
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
      if (isTextField(target) || target?.closest('[role="dialog"], [role="radiogroup"], input[type="range"]'))
        return;
      const onButton = !!target?.closest('button, a, input[type="checkbox"]');
      switch (e.key) {
        case ' ':
          if (onButton) return; // the button's own action
          e.preventDefault();
          s.togglePlay();
          break;
        case 'ArrowRight':
          e.preventDefault();
          s.step(1);
          break;
        case 'ArrowLeft':
          e.preventDefault();
          s.step(-1);
          break;
        case 'Home':
          e.preventDefault();
          s.toStart();
          break;
        case 'End':
          e.preventDefault();
          s.toEnd();
          break;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
