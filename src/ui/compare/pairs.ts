import type { Kernel } from '../../engine/kernels/registry.ts';
import { v5_2 } from '../../engine/kernels/v5_2.ts';
import { v6_1 } from '../../engine/kernels/v6_1.ts';
import { v6_12 } from '../../engine/kernels/v6_12.ts';
import type { Scenario } from '../../engine/types.ts';
import { presetById } from '../../engine/scenario/presets.ts';
import { presetScenario } from '../../state/scenarioIO.ts';
import { setDefaultFlags, setKernel, setMask } from '../../state/edits.ts';
import { kernelLabel, requestFlags } from '../model/bits.ts';
import { contrastingPolicy, shortTitle } from './contrast.ts';

export { contrastingPolicy };

/**
 * Pairs worth comparing: two request policies on one address space, or one policy on the two
 * kernels. Built from the presets (the files in public/scenarios/) with the same pure edits the
 * editor makes, so a pair is exactly what a user would get by editing.
 */
export interface Pair {
  id: string;
  title: string;
  /** One sentence: what the difference shows. */
  lesson: string;
  build: () => { a: Scenario; b: Scenario; caption: string };
}

function preset(id: string): Scenario {
  const p = presetById(id);
  if (!p) throw new Error(`no preset ${id}`);
  return presetScenario(p);
}

/** The same scenario on a kernel, its policy translated bit for bit (setKernel). */
export function onKernel(s: Scenario, k: Kernel): Scenario {
  return setKernel(s, k);
}

/** The caption of a kernel pair. */
export function kernelCaption(s: Scenario, a: Kernel = v5_2.id, b: Kernel = v6_1.id): string {
  return `${shortTitle(s)}: ${kernelLabel(a)} vs ${kernelLabel(b)}`;
}

export const PAIRS: readonly Pair[] = [
  {
    id: 'seed-mask',
    title: 'Seed example 2: WRITE in the mask, or not',
    lesson:
      "Without WRITE in pfn_flags_mask, page 5's own write request is masked off: nothing is write-faulted, the zero pages stay shared and the device gets read-only entries.",
    build: () => {
      const a = preset('example-2');
      return { a, b: setMask(a, 0n), caption: 'Seed example 2: pfn_flags_mask WRITE vs 0' };
    },
  },
  {
    id: 'seed-2-kernels',
    title: 'Seed example 2 on Linux 5.2 and Linux 6.1',
    lesson:
      'The same request: Linux 5.2 restarts the walk inside the call after its faults, Linux 6.1 returns -EBUSY and the driver tries again.',
    build: () => {
      const a = preset('example-2-v5.2');
      return { a, b: onKernel(a, v6_1.id), caption: kernelCaption(a) };
    },
  },
  {
    id: 'seed-1-kernels',
    title: 'Seed example 1 on Linux 5.2 and Linux 6.1',
    lesson:
      'Linux 5.2 faults in the zero page and then fails the call at it with -EFAULT; Linux 6.1 reports it read-only and the device is programmed.',
    build: () => {
      const a = preset('example-1-v5.2');
      return { a, b: onKernel(a, v6_1.id), caption: kernelCaption(a) };
    },
  },
  {
    id: 'swap-in-6-1-6-12',
    title: 'A read swap-in on Linux 6.1 and Linux 6.12',
    lesson:
      'The same read request on a swapped-out page: Linux 6.1 swaps it in read-only, Linux 6.12 maps the exclusive page writable, so the device gets a writable entry without a write fault.',
    build: () => {
      const a = preset('swap-in-writable-v6.1');
      return { a, b: onKernel(a, v6_12.id), caption: kernelCaption(a, v6_1.id, v6_12.id) };
    },
  },
  {
    id: 'per-entry',
    title: 'Per-entry requests or default_flags',
    lesson:
      'The old wrapper asks only where the driver filled an entry; default_flags VALID asks for every page, so the pages that asked for nothing are read-faulted too.',
    build: () => {
      const a = preset('old-api-hmm-vma-fault');
      return { a, ...contrastingPolicy(a) };
    },
  },
  {
    id: 'range-write',
    title: 'amdgpu: write the whole range, or read it',
    lesson:
      'default_flags VALID|WRITE write-faults every read-only page and the swapped-out one; VALID alone leaves them read-only and faults only what is missing.',
    build: () => {
      const a = preset('amdgpu-range-policy');
      const f = requestFlags(a);
      return { a, b: setDefaultFlags(a, f.VALID), caption: 'amdgpu: default_flags VALID|WRITE vs VALID' };
    },
  },
  {
    id: 'fork',
    title: 'After fork(): one write request, or none',
    lesson:
      'One write request copies every shared page from it to the end of the chunk and invalidates the range (a retry); reading leaves the pages shared.',
    build: () => {
      const a = preset('cow-after-fork');
      return { a, b: setMask(a, 0n), caption: 'After fork(): pfn_flags_mask WRITE vs 0' };
    },
  },
];
