import type { Scenario } from '../../engine/types.ts';
import { hexShort, requestFlags } from '../model/bits.ts';

const ALL = (1n << 64n) - 1n;

/** A policy word as a driver writer says it: "0", "VALID|WRITE", "all", else hex. */
export function formatPolicyWord(s: Pick<Scenario, 'kernel' | 'layout'>, w: bigint): string {
  if (w === 0n) return '0';
  if (w === ALL) return 'all';
  const f = requestFlags(s);
  const names: string[] = [];
  let rest = w;
  for (const k of ['VALID', 'WRITE', 'DEVICE_PRIVATE'] as const) {
    if (f[k] && (w & f[k]) === f[k]) {
      names.push(k);
      rest &= ~f[k];
    }
  }
  return rest === 0n && names.length ? names.join('|') : hexShort(w);
}

/** A side's heading: its request policy in one line. */
export function policySummary(
  s: Pick<Scenario, 'kernel' | 'layout' | 'call' | 'defaultFlags' | 'pfnFlagsMask'>,
): string {
  if (s.call === 'hmm_vma_fault') return 'hmm_vma_fault(): per-entry requests';
  const what = `default_flags ${formatPolicyWord(s, s.defaultFlags)}, pfn_flags_mask ${formatPolicyWord(s, s.pfnFlagsMask)}`;
  return s.call === 'hmm_range_snapshot' ? `hmm_range_snapshot(): ${what}` : what;
}
