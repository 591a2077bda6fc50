import { useShallow } from 'zustand/react/shallow';
import { setNotes, setTitle } from '../../state/edits.ts';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';

const select = (s: Store) => ({ title: s.scenario.title, notes: s.scenario.notes ?? '', edit: s.edit });

/**
 * The scenario's title and notes: they are part of the scenario, so they travel with it into the
 * link, the JSON export, the pictures and the embeds. Typing is one undo step per field visit.
 */
export function TitleSection() {
  const v = useStore(useShallow(select));
  const end = () => useStore.getState().endGesture();
  return (
    <div className="section-body">
      <label className="field">
        <span>Title</span>
        <input
          value={v.title}
          placeholder="Untitled scenario"
          onChange={(e) => v.edit((s) => setTitle(s, e.target.value), 'title-typing')}
          onBlur={end}
        />
      </label>
      <label className="field">
        <span>Notes</span>
        <textarea
          className="notes-input"
          value={v.notes}
          rows={3}
          placeholder="What this scenario shows, for whom"
          onChange={(e) => v.edit((s) => setNotes(s, e.target.value), 'notes-typing')}
          onBlur={end}
        />
      </label>
    </div>
  );
}
