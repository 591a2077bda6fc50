/**
 * Flag layouts the scenario format names: the three driver layouts of the 2019 API
 * (hmm-semantics.md 1.A, "Driver bit layouts plugged into the 2019 API") and, for the v5.8+
 * generations, the fixed hmm_pfns layout each generation module carries (1.B, 10.1). Parsing
 * resolves flag names through these; the output form decodes words through them.
 */
import { GENERATIONS, generation, kernelsWith } from '../kernels/registry.ts';
import type { DriverLayout, Kernel } from '../types.ts';

export const ALL_ONES = (1n << 64n) - 1n;

export const LAYOUT_FLAG_NAMES = ['VALID', 'WRITE', 'DEVICE_PRIVATE'] as const;
export type LayoutFlagName = (typeof LAYOUT_FLAG_NAMES)[number];
export const LAYOUT_VALUE_NAMES = ['ERROR', 'NONE', 'SPECIAL'] as const;
export type LayoutValueName = (typeof LAYOUT_VALUE_NAMES)[number];

export type PresetLayoutName = 'seed' | 'nouveau' | 'amdgpu';
export const PRESET_LAYOUT_NAMES: readonly PresetLayoutName[] = ['seed', 'nouveau', 'amdgpu'];

/**
 * The seed document (and hmm.rst's example) only fixes VALID = 1 << 63 and WRITE = 1 << 62. The
 * rest is this project's choice:
 * - DEVICE_PRIVATE = 0: the seed names no such bit; like amdgpu, a device-private entry is then
 *   faulted by the ordinary rules (hmm-semantics.md 2.1 step 3 does not apply).
 * - pfnShift = 0: the pfn sits in the low bits, below the flags (1.A "Consequence").
 * - NONE = 0, the natural empty entry (and what v6 later made it).
 * - ERROR = 1 << 61, the bit v6 gave HMM_PFN_ERROR, so an error entry reads the same in both.
 * - SPECIAL = 1 << 60, a value of its own (not aliased to ERROR) so a zero-page / special pte is
 *   told apart from an error; it lacks VALID and no pfn reaches bit 60.
 */
const LAYOUTS: Record<PresetLayoutName, Omit<DriverLayout, 'name'>> = {
  seed: {
    flags: { VALID: 1n << 63n, WRITE: 1n << 62n, DEVICE_PRIVATE: 0n },
    values: { ERROR: 1n << 61n, NONE: 0n, SPECIAL: 1n << 60n },
    pfnShift: 0,
  },
  // nouveau (NVIF_VMM_PFNMAP_V0_*): V, W, VRAM aperture; ERROR and SPECIAL alias ~V.
  nouveau: {
    flags: { VALID: 0x1n, WRITE: 0x2n, DEVICE_PRIVATE: 0x10n },
    values: { ERROR: 0xfffffffffffffffen, NONE: 0n, SPECIAL: 0xfffffffffffffffen },
    pfnShift: 12,
  },
  // amdgpu_hmm_init_range() in v5.1 / v5.2.
  amdgpu: {
    flags: { VALID: 0x1n, WRITE: 0x2n, DEVICE_PRIVATE: 0n },
    values: { ERROR: 0xfffffffffffffffen, NONE: 0n, SPECIAL: 0xfffffffffffffffcn },
    pfnShift: 12,
  },
};

/** A fresh copy of a preset layout (scenarios own their layout object). */
export function presetLayout(name: PresetLayoutName): DriverLayout {
  const l = LAYOUTS[name];
  return { name, flags: { ...l.flags }, values: { ...l.values }, pfnShift: l.pfnShift };
}

export function sameLayout(a: DriverLayout, b: DriverLayout): boolean {
  return (
    a.pfnShift === b.pfnShift &&
    LAYOUT_FLAG_NAMES.every((n) => a.flags[n] === b.flags[n]) &&
    LAYOUT_VALUE_NAMES.every((n) => a.values[n] === b.values[n])
  );
}

/** The flag names a kernel resolves, with their bits, in canonical order. */
export function flagNames(kernel: Kernel, layout: DriverLayout): [string, bigint][] {
  const pfns = generation(kernel).pfns;
  if (pfns) return pfns.inputNames.slice(0, pfns.canonicalInputNames).map(([n, b]) => [n, b]);
  return LAYOUT_FLAG_NAMES.filter((n) => layout.flags[n] !== 0n).map((n) => [n, layout.flags[n]]);
}

/** The bits of one flag name, or why the name does not resolve (one sentence). */
export function resolveFlagName(kernel: Kernel, layout: DriverLayout, name: string): bigint | string {
  const g = generation(kernel);
  if (g.pfns) {
    const hit = g.pfns.inputNames.find(([n]) => n === name);
    if (hit) return hit[1];
    const canonical = g.pfns.inputNames.slice(0, g.pfns.canonicalInputNames).map(([n]) => n);
    const elsewhere = GENERATIONS.some((o) => o.pfns?.inputNames.some(([n]) => n === name));
    if (elsewhere)
      return `${name} is not an input bit of ${g.label}; only ${kernelsWith((o) => !!o.pfns?.inputNames.some(([n]) => n === name))} has it (${g.label} names ${canonical.join(', ')})`;
    return `unknown flag ${JSON.stringify(name)}: ${g.label} names are ${canonical.join(', ')} (VALID and WRITE name the same bits)`;
  }
  if ((LAYOUT_FLAG_NAMES as readonly string[]).includes(name)) {
    const bits = layout.flags[name as LayoutFlagName];
    if (bits === 0n) return `${name} is 0 in the ${layoutLabel(layout)} layout, so it names no bit`;
    return bits;
  }
  const names = flagNames(kernel, layout)
    .map(([n]) => n)
    .join(', ');
  if (GENERATIONS.some((o) => o.pfns?.inputNames.some(([n]) => n === name)))
    return `"${name}" is a name of the fixed hmm_pfns layout of later kernels; the ${layoutLabel(layout)} layout names ${names}`;
  return `unknown flag ${JSON.stringify(name)}: the ${layoutLabel(layout)} layout names ${names}`;
}

function layoutLabel(layout: DriverLayout): string {
  return layout.name === 'custom' ? 'driver' : layout.name;
}

/**
 * The shortest list of flag names whose bits OR to `value`, or null when none does (then the file
 * form writes hex).
 */
export function decomposeFlags(kernel: Kernel, layout: DriverLayout, value: bigint): string[] | null {
  const names = flagNames(kernel, layout);
  let best: string[] | null = null;
  for (let mask = 0; mask < 1 << names.length; mask++) {
    let bits = 0n;
    const picked: string[] = [];
    names.forEach(([n, b], i) => {
      if (mask & (1 << i)) {
        bits |= b;
        picked.push(n);
      }
    });
    if (bits === value && (best === null || picked.length < best.length)) best = picked;
  }
  return best;
}

/** "0x" + 16 hex digits: the width of one pfns word. */
export function hex64(v: bigint): string {
  return '0x' + v.toString(16).padStart(16, '0');
}

/** The shortest "0x..." spelling, for hand-readable layout values. */
export function hexMin(v: bigint): string {
  return '0x' + v.toString(16);
}
