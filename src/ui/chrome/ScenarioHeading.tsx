import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { hasDriverLayout } from '../../engine/kernels/registry.ts';
import { kernelLabel } from '../model/bits.ts';
import { usePresent } from '../present/usePresent.ts';

const select = (s: Store) => ({
  title: s.scenario.title,
  notes: s.scenario.notes,
  kernel: s.scenario.kernel,
  call: s.scenario.call,
  layout: s.scenario.layout.name,
  watch: s.watch,
  edited: s.scenario !== s.watchScenario,
});

/**
 * What is on stage: the scenario's title, kernel and call, its notes, and what to watch for
 * (`spoiler`: not while a prediction is being made, since it tells what happens; never while
 * presenting, where it would give the answer away to the class).
 */
export function ScenarioHeading({ spoiler = true }: { spoiler?: boolean }) {
  const v = useStore(useShallow(select));
  const present = usePresent();
  return (
    <div className="scenario-heading">
      <div className="title-line">
        <h2>{v.title || 'Untitled scenario'}</h2>
        <span className="tag kernel">{kernelLabel(v.kernel)}</span>
        <span className="tag">
          <code>{v.call}()</code>
        </span>
        {hasDriverLayout(v.kernel) && <span className="tag">{v.layout} layout</span>}
      </div>
      {v.notes && !present && <p className="scenario-notes">{v.notes}</p>}
      {v.watch && spoiler && !present && (
        <p className={v.edited ? 'watch edited' : 'watch'} title={v.watch}>
          <strong>Watch for:</strong> {v.watch}
          {v.edited && <em> (said of the preset before your edits)</em>}
        </p>
      )}
    </div>
  );
}
