import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { hasDriverLayout } from '../../engine/kernels/registry.ts';
import { kernelLabel } from '../model/bits.ts';

const select = (s: Store) => ({
  title: s.scenario.title,
  kernel: s.scenario.kernel,
  call: s.scenario.call,
  layout: s.scenario.layout.name,
  watch: s.watch,
  edited: s.scenario !== s.watchScenario,
});

/**
 * What is on stage: the scenario's title, kernel and call, and what to watch for (`spoiler`:
 * not while a prediction is being made, since it tells what happens).
 */
export function ScenarioHeading({ spoiler = true }: { spoiler?: boolean }) {
  const v = useStore(useShallow(select));
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
      {v.watch && spoiler && (
        <p className={v.edited ? 'watch edited' : 'watch'} title={v.watch}>
          <strong>Watch for:</strong> {v.watch}
          {v.edited && <em> (said of the preset before your edits)</em>}
        </p>
      )}
    </div>
  );
}
