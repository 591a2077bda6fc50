/**
 * The comparison the Compare view opens on: the explorer's scenario beside the same scenario
 * without the policy its request leans on. Apart from pairs.ts (the ready-made pairs, built from
 * the presets) because compareMode.ts, which the explorer loads at start, needs only this.
 */
import type { Scenario } from '../../engine/types.ts';
import { setCall, setDefaultFlags, setMask } from '../../state/edits.ts';
import { requestFlags } from '../model/bits.ts';
import { formatPolicyWord } from './policy.ts';

/** "Seed example 2 on v5.2: read-fault ..." → "Seed example 2": the part both sides share. */
export function shortTitle(s: Scenario): string {
  return (s.title.split(':')[0] || 'This scenario').replace(/ on (v|Linux )[\d.]+$/, '');
}

/** A second policy worth seeing beside the scenario's own: the one its request leans on, taken away. */
export function contrastingPolicy(a: Scenario): { b: Scenario; caption: string } {
  const f = requestFlags(a);
  if (a.call === 'hmm_vma_fault') {
    const b = setMask(setDefaultFlags(setCall(a, 'hmm_range_fault'), f.VALID), f.WRITE);
    return { b, caption: `${shortTitle(a)}: per-entry requests vs default_flags` };
  }
  if (a.pfnFlagsMask & f.WRITE) {
    const mask = a.pfnFlagsMask & ~f.WRITE;
    return {
      b: setMask(a, mask),
      caption: `${shortTitle(a)}: pfn_flags_mask ${formatPolicyWord(a, a.pfnFlagsMask)} vs ${formatPolicyWord(a, mask)}`,
    };
  }
  const next = a.defaultFlags & f.WRITE ? f.VALID : f.VALID | f.WRITE;
  return {
    b: setDefaultFlags(a, next),
    caption: `${shortTitle(a)}: default_flags ${formatPolicyWord(a, a.defaultFlags)} vs ${formatPolicyWord(a, next)}`,
  };
}
