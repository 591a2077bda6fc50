import { Suspense, lazy, useRef, useState } from 'react';
import { useStore } from '../../state/store.ts';
import { useMode } from '../../state/mode.ts';
import { Icon } from '../chrome/Icon.tsx';
import { DialogHead } from '../chrome/DialogHead.tsx';
import './embed-dialog.css';

// The form (the options, the preview, the snippet) is code most visits never run: it loads the
// first time the dialog opens.
const EmbedForm = lazy(() => import('./EmbedForm.tsx').then((m) => ({ default: m.EmbedForm })));

/**
 * "Embed": writes the `<iframe>` for the view on screen (a scenario, a tour step, a comparison),
 * starting at the step on screen. The form is built when the dialog opens, so it starts from what
 * is on screen then.
 */
export function EmbedDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  // A comparison has scenarios of its own: the explorer's problems do not stop it being shared.
  const problems = useStore((s) => s.problems.length);
  const compare = useMode((m) => m.mode === 'compare');
  const close = () => dialog.current?.close();
  return (
    <>
      <button
        type="button"
        className="button embed-button"
        title="HTML to embed this figure in a documentation page"
        aria-label="Embed"
        disabled={!compare && problems > 0}
        onClick={() => {
          setOpen(true);
          dialog.current?.showModal();
        }}
      >
        <Icon name="code" /> <span className="button-text">Embed</span>
      </button>
      <dialog
        ref={dialog}
        className="app-dialog embed-dialog"
        aria-labelledby="embed-title"
        onClose={() => setOpen(false)}
      >
        <DialogHead id="embed-title" title="Embed this figure" onClose={close} />
        {open && (
          <Suspense fallback={<p role="status">Loading the embed options…</p>}>
            <EmbedForm close={close} />
          </Suspense>
        )}
      </dialog>
    </>
  );
}
