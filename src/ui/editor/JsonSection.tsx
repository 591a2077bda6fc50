import { lazy, Suspense, useState } from 'react';

/** CodeMirror and its JSON support load only when someone opens the text editor. */
const JsonEditor = lazy(() => import('../jsonEditor/JsonEditor.tsx'));

/** The scenario as text, for people who write the format by hand. */
export function JsonSection() {
  const [open, setOpen] = useState(false);
  return (
    <div className="section-body">
      <button type="button" className="small-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Close the JSON editor' : 'Edit the scenario as JSON'}
      </button>
      {open && (
        <Suspense fallback={<p className="help">Loading the editor…</p>}>
          <JsonEditor />
        </Suspense>
      )}
    </div>
  );
}
