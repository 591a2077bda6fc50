import type { Scenario } from '../../engine/types.ts';
import { useCompare } from '../../state/compare.ts';
import { useStore } from '../../state/store.ts';
import { registerMode } from '../modes.ts';
import { contrastingPolicy } from './contrast.ts';

/**
 * Compare's place in the app, loaded with it (the view itself loads when first shown): opening
 * the comparison puts the explorer's scenario beside its contrasting policy.
 */
export function startFrom(s: Scenario): void {
  const { b, caption } = contrastingPolicy(s);
  useCompare.getState().setPair(s, b, caption);
}

registerMode('compare', {
  enter: () => {
    if (!useCompare.getState().a) startFrom(useStore.getState().scenario);
  },
});
