import { useEffect, useRef } from 'react';
import { DialogHead } from '../chrome/DialogHead.tsx';

/** Every key the app answers to, as the `?` overlay lists them. */
const KEYS: [string[], string][] = [
  [['Space'], 'play / pause'],
  [['→', '←'], 'one step forward / back'],
  [['Home', 'End'], 'to the start / the end of the run'],
  [['PgDn', 'PgUp'], 'a clicker: step (in the tour, the next / previous step at a run’s end)'],
  [['P'], 'presentation mode on / off'],
  [['Esc'], 'leave presentation mode, close a panel'],
  [['Ctrl+Z', 'Ctrl+Shift+Z'], 'undo / redo an edit (Explore)'],
  [['Shift', 'click'], 'select pages on the stage for a range edit (Explore)'],
  [['?'], 'this list'],
];

function typing(el: Element | null): boolean {
  if (!el) return false;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.tagName === 'INPUT') return true;
  return (el as HTMLElement).isContentEditable;
}

/** The `?` overlay: the keyboard shortcuts, opened by `?` anywhere (not while typing) or the bar's button. */
export function Shortcuts() {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '?' || e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) return;
      const target = e.target instanceof Element ? e.target : null;
      if (typing(target) || target?.closest('.cm-editor')) return;
      e.preventDefault();
      const d = dialog.current;
      if (d?.open) d.close();
      else d?.showModal();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <>
      <button
        type="button"
        className="icon-button shortcuts-button"
        aria-label="Keyboard shortcuts"
        aria-keyshortcuts="?"
        title="Keyboard shortcuts (?)"
        onClick={() => dialog.current?.showModal()}
      >
        <span aria-hidden="true" className="shortcuts-glyph">
          ?
        </span>
      </button>
      <dialog ref={dialog} className="about-dialog shortcuts-dialog" aria-labelledby="shortcuts-title">
        <DialogHead id="shortcuts-title" title="Keyboard shortcuts" onClose={() => dialog.current?.close()} />
        <table className="shortcuts-table">
          <tbody>
            {KEYS.map(([keys, what]) => (
              <tr key={what}>
                <th scope="row">
                  {keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && (keys[0] === 'Shift' ? ' + ' : ' / ')}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </dialog>
    </>
  );
}
