import { Suspense, lazy, useRef, useState } from 'react';
import { Icon } from './Icon.tsx';

const AboutDialog = lazy(() => import('./AboutDialog.tsx').then((m) => ({ default: m.AboutDialog })));

/**
 * What the tool models and how far to trust it: a button, and the dialog (AboutDialog.tsx), loaded
 * the first time it is opened.
 */
export function About() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [wanted, setWanted] = useState(false);
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label="About HMM Explorer"
        title="About"
        onClick={() => (dialog.current ? dialog.current.showModal() : setWanted(true))}
      >
        <Icon name="info" />
      </button>
      {wanted && (
        <Suspense fallback={null}>
          <AboutDialog dialogRef={dialog} />
        </Suspense>
      )}
    </>
  );
}
