import { useEffect } from 'react';
import { useMode } from '../../state/mode.ts';

function typing(el: Element | null): boolean {
  if (!el) return false;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName === 'INPUT')
    return !['checkbox', 'radio', 'button', 'range'].includes((el as HTMLInputElement).type);
  return (el as HTMLElement).isContentEditable;
}

/**
 * P turns presentation mode on and off; Escape leaves it (unless a dialog or menu takes Escape).
 * The mode is marked on <html> too, where the high-contrast colours are set.
 */
export function usePresentKeys(): void {
  const present = useMode((m) => m.present);
  useEffect(() => {
    if (present) document.documentElement.dataset.present = '';
    else delete document.documentElement.dataset.present;
  }, [present]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey) return;
      const target = e.target instanceof Element ? e.target : null;
      if (typing(target)) return;
      const m = useMode.getState();
      if (e.key === 'p' || e.key === 'P') {
        e.preventDefault();
        m.setPresent(!m.present);
      } else if (e.key === 'Escape' && m.present && !target?.closest('dialog, [role="dialog"]')) {
        m.setPresent(false);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
