import { generation } from '../../engine/kernels/registry.ts';
import type { Scenario } from '../../engine/types.ts';

/**
 * Names of the bits of a 64-bit pfns word as the chosen kernel and driver see them. The v5.2 API
 * lets each driver choose its bits (flags[] / values[] / pfn_shift); the v5.8+ API fixes them
 * (HMM_PFN_REQ_FAULT / REQ_WRITE on input, VALID / WRITE / ERROR and the map order on output).
 */
export interface NamedBit {
  bit: number;
  /** The flag's name as the driver or kernel spells it (VALID, WRITE, ...). */
  name: string;
  /** Short label for a narrow cell. */
  short: string;
  /** "request": a bit a caller can ask with; "output": only HMM writes it. */
  role: 'request' | 'output';
}

const MASK64 = (1n << 64n) - 1n;

export function bitsOf(word: bigint): number[] {
  const out: number[] = [];
  for (let b = 63; b >= 0; b--) if ((word >> BigInt(b)) & 1n) out.push(b);
  return out;
}

/** The named bits of the scenario's layout, highest bit first. */
export function namedBits(s: Pick<Scenario, 'kernel' | 'layout'>): NamedBit[] {
  const p = generation(s.kernel).pfns;
  if (p) {
    const SHORT: Record<string, string> = { DMA_MAPPED: 'D', P2PDMA: 'P', P2PDMA_BUS: 'B' };
    return [
      { bit: 63, name: 'VALID (REQ_FAULT)', short: 'V', role: 'request' },
      { bit: 62, name: 'WRITE (REQ_WRITE)', short: 'W', role: 'request' },
      { bit: 61, name: 'ERROR', short: 'E', role: 'output' },
      // 7.x's sticky DMA bits: the caller's input, kept in every output.
      ...p.sticky.map(([name, bits]): NamedBit => ({
        bit: bitsOf(bits)[0],
        name: `${name} (sticky)`,
        short: SHORT[name] ?? name[0],
        role: 'request',
      })),
      // The map order's 5-bit field (HMM_PFN_ORDER_SHIFT: bit 56 in 6.x, 53 in 7.x).
      ...[4, 3, 2, 1, 0].map((k): NamedBit => ({
        bit: Number(p.orderShift) + k,
        name: 'order',
        short: 'o',
        role: 'output',
      })),
    ];
  }
  const out: NamedBit[] = [];
  const add = (word: bigint, name: string, short: string) => {
    for (const bit of bitsOf(word)) out.push({ bit, name, short, role: 'request' });
  };
  add(s.layout.flags.VALID, 'VALID', 'V');
  add(s.layout.flags.WRITE, 'WRITE', 'W');
  add(s.layout.flags.DEVICE_PRIVATE, 'DEVICE_PRIVATE', 'D');
  return out.sort((a, b) => b.bit - a.bit);
}

/** The flag words a caller can ask with, in the scenario's layout. */
export function requestFlags(s: Pick<Scenario, 'kernel' | 'layout'>): {
  VALID: bigint;
  WRITE: bigint;
  DEVICE_PRIVATE: bigint;
} {
  const p = generation(s.kernel).pfns;
  if (p) return { VALID: p.VALID, WRITE: p.WRITE, DEVICE_PRIVATE: 0n };
  return s.layout.flags;
}

export function bitName(s: Pick<Scenario, 'kernel' | 'layout'>, bit: number): NamedBit | undefined {
  return namedBits(s).find((b) => b.bit === bit);
}

export function hex64(word: bigint): string {
  return '0x' + (word & MASK64).toString(16).padStart(16, '0');
}

/** Hex without leading zeros, the way a kernel developer writes a constant. */
export function hexShort(word: bigint): string {
  return '0x' + (word & MASK64).toString(16);
}

/** Parses a typed hex (or decimal) word; null when it is not a 64-bit value. */
export function parseWord(text: string): bigint | null {
  const t = text.trim().replace(/_/g, '');
  if (t === '') return null;
  try {
    if (/^0x[0-9a-f]+$/i.test(t)) {
      const v = BigInt(t);
      return v <= MASK64 ? v : null;
    }
    if (/^[0-9]+$/.test(t)) {
      const v = BigInt(t);
      return v <= MASK64 ? v : null;
    }
    if (/^-1$/.test(t)) return MASK64;
  } catch {
    return null;
  }
  return null;
}

/** Why a typed hex word is not accepted, or null when it is. */
export function wordProblem(text: string): string | null {
  const t = text.trim().replace(/_/g, '');
  if (t === '') return 'enter a hex value such as 0x8000000000000000';
  if (/^0x$/i.test(t)) return 'hex digits expected after 0x';
  if (/^0x/i.test(t) && !/^0x[0-9a-f]+$/i.test(t)) return 'only hex digits 0-9 a-f after 0x';
  if (!/^0x/i.test(t) && !/^[0-9]+$/.test(t) && t !== '-1') return 'start with 0x for hex';
  if (parseWord(t) === null) return 'more than 64 bits';
  return null;
}

/** A decoded pfns word: the flags set, a special value, and the pfn. */
export interface DecodedWord {
  /** Flag names set (VALID, WRITE, DEVICE_PRIVATE, ERROR). */
  flags: string[];
  /** "NONE" | "ERROR" | "SPECIAL" for a v5.2 whole-word value, else null. */
  value: 'NONE' | 'ERROR' | 'SPECIAL' | null;
  pfn: bigint | null;
  /** v6 map order (0 for a pte, 9 for a 2 MiB pmd). */
  order: number;
}

/** Decodes an output word as the driver would (spec 1.A "decoding", 1.B). */
export function decodeWord(s: Pick<Scenario, 'kernel' | 'layout'>, word: bigint): DecodedWord {
  const p = generation(s.kernel).pfns;
  if (p) {
    const flags: string[] = [];
    if (word & p.VALID) flags.push('VALID');
    if (word & p.WRITE) flags.push('WRITE');
    if (word & p.ERROR) flags.push('ERROR');
    for (const [name, bits] of p.sticky) if (word & bits) flags.push(name);
    const order = Number((word >> p.orderShift) & p.orderMask);
    const pfn = word & p.pfnMask;
    return { flags, value: null, pfn: word & p.VALID ? pfn : null, order };
  }
  const { flags: f, values, pfnShift } = s.layout;
  // NONE first: a driver may alias ERROR and SPECIAL, never NONE with either.
  if (word === values.NONE) return { flags: [], value: 'NONE', pfn: null, order: 0 };
  if (word === values.ERROR) return { flags: [], value: 'ERROR', pfn: null, order: 0 };
  if (word === values.SPECIAL) return { flags: [], value: 'SPECIAL', pfn: null, order: 0 };
  const flags: string[] = [];
  if (f.VALID && (word & f.VALID) === f.VALID) flags.push('VALID');
  if (f.WRITE && (word & f.WRITE) === f.WRITE) flags.push('WRITE');
  if (f.DEVICE_PRIVATE && (word & f.DEVICE_PRIVATE) === f.DEVICE_PRIVATE) flags.push('DEVICE_PRIVATE');
  if (!flags.includes('VALID')) return { flags, value: null, pfn: null, order: 0 };
  const flagBits = f.VALID | f.WRITE | f.DEVICE_PRIVATE;
  return { flags, value: null, pfn: (word & ~flagBits & MASK64) >> BigInt(pfnShift), order: 0 };
}

/**
 * The policy the walk really applies: the old-API wrapper hmm_vma_fault() overwrites both fields
 * (default_flags = 0, pfn_flags_mask = -1UL, the seed patch's hmm.h hunk) whatever the caller set.
 */
export function effectivePolicy(s: Pick<Scenario, 'call' | 'defaultFlags' | 'pfnFlagsMask'>): {
  defaults: bigint;
  mask: bigint;
  forced: boolean;
} {
  if (s.call === 'hmm_vma_fault') return { defaults: 0n, mask: MASK64, forced: true };
  return { defaults: s.defaultFlags, mask: s.pfnFlagsMask, forced: false };
}

/** The request a page's input makes once the range policy applies (the seed's one line). */
export function effectiveRequest(input: bigint, mask: bigint, defaults: bigint): bigint {
  return ((input & mask) | defaults) & MASK64;
}

export { kernelLabel } from '../../engine/kernels/registry.ts';
