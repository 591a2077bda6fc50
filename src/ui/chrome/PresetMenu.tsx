import { Suspense, lazy, useCallback, useId, useRef, useState } from 'react';
import { Icon } from './Icon.tsx';

const PresetPanel = lazy(() => import('./PresetPanel.tsx').then((m) => ({ default: m.PresetPanel })));

/**
 * The worked examples, one click away: each with a sentence on what to watch for. The panel and
 * its lists load the first time the menu opens (PresetPanel.tsx).
 */
export function PresetMenu() {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  return (
    <div className="preset-menu">
      <button
        ref={button}
        type="button"
        className="button"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen(!open)}
      >
        <Icon name="book" /> Presets
      </button>
      {open && (
        <Suspense fallback={null}>
          <PresetPanel id={`${id}-panel`} button={button} close={close} />
        </Suspense>
      )}
    </div>
  );
}
