/**
 * Flag layouts the scenario format names: the three v5.2 driver layouts (hmm-semantics.md 1.A,
 * "Driver bit layouts plugged into the 2019 API") and the fixed v6 bits (1.B, the 5.9 .. 6.15
 * column, which is what Linux 6.1 has). Parsing resolves flag names through these; the output form
 * decodes words through them.
 */
import type { DriverLayout, Kernel } from '../types.ts';

export const ALL_ONES = (1n << 64n) - 1n;

/** Linux 6.1 hmm_pfns bits (include/linux/hmm.h, 5.9 .. ~6.15). */
export const V6 = {
  VALID: 1n << 63n,
  WRITE: 1n << 62n,
  ERROR: 1n << 61n,
  /** HMM_PFN_ORDER_SHIFT = BITS_PER_LONG - 8; the order is read as 5 bits. */
  ORDER_SHIFT: 56n,
  ORDER_MASK: 0x1fn,
  /** pfn = word & ~HMM_PFN_FLAGS, HMM_PFN_FLAGS = 0xff << 56. */
  PFN_MASK: (1n << 56n) - 1n,
} as const;

/** Input names of the v6 request bits, in the order the canonical file form lists them. */
export const V6_REQUEST_NAMES = ['REQ_FAULT', 'REQ_WRITE'] as const;
const V6_NAMES: Record<string, bigint> = {
  REQ_FAULT: V6.VALID,
  REQ_WRITE: V6.WRITE,
  // The seed example's names for the same bits (hmm-semantics.md 7).
  VALID: V6.VALID,
  WRITE: V6.WRITE,
};

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
  if (kernel === 'v6') return V6_REQUEST_NAMES.map((n) => [n, V6_NAMES[n]]);
  return LAYOUT_FLAG_NAMES.filter((n) => layout.flags[n] !== 0n).map((n) => [n, layout.flags[n]]);
}

/** The bits of one flag name, or why the name does not resolve (one sentence). */
export function resolveFlagName(kernel: Kernel, layout: DriverLayout, name: string): bigint | string {
  if (kernel === 'v6') {
    if (Object.hasOwn(V6_NAMES, name)) return V6_NAMES[name];
    return `unknown flag ${JSON.stringify(name)}: v6 names are REQ_FAULT and REQ_WRITE (VALID and WRITE are the same bits)`;
  }
  if ((LAYOUT_FLAG_NAMES as readonly string[]).includes(name)) {
    const bits = layout.flags[name as LayoutFlagName];
    if (bits === 0n) return `${name} is 0 in the ${layoutLabel(layout)} layout, so it names no bit`;
    return bits;
  }
  const names = flagNames(kernel, layout)
    .map(([n]) => n)
    .join(', ');
  if (name === 'REQ_FAULT' || name === 'REQ_WRITE')
    return `"${name}" is a v6 name; the ${layoutLabel(layout)} layout names ${names}`;
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
