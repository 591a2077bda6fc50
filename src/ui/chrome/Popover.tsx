import { useCallback, useId, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { cx, useDismissablePanel } from '../hooks.ts';

/**
 * A button that opens a small non-modal panel under it (the Presets menu's pattern): Escape or a
 * press outside closes it and gives the focus back to the button; the first control inside takes
 * the focus when it opens.
 */
export function Popover({
  label,
  button,
  buttonLabel,
  title,
  className,
  panelClass,
  children,
}: {
  /** The panel's accessible name. */
  label: string;
  /** The button's content. */
  button: ReactNode;
  /** The button's accessible name, when its text may be hidden (a narrow bar shows the icon). */
  buttonLabel?: string;
  title?: string;
  className?: string;
  panelClass?: string;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const id = useId();
  const panel = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  useDismissablePanel(open, close, panel, trigger);

  return (
    <div className={cx('popover', className)}>
      <button
        ref={trigger}
        type="button"
        className="button"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        aria-label={buttonLabel}
        title={title}
        onClick={() => setOpen(!open)}
      >
        {button}
      </button>
      {open && (
        <div
          className={cx('popover-panel', panelClass)}
          id={`${id}-panel`}
          ref={panel}
          role="dialog"
          aria-label={label}
          aria-modal="false"
        >
          {children}
        </div>
      )}
    </div>
  );
}
