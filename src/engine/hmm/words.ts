/**
 * 64-bit words as two 32-bit halves. The pfns array is a BigUint64Array at the API's edges (the
 * scenario, the result, the worker's transfer list); the walk reads and writes it through a
 * Int32Array view of the same buffer, [lo, hi] per entry, so the per-page hot path never
 * allocates a BigInt. Signed halves keep every value a small integer for the JIT (bit 31, VALID,
 * would make an unsigned half a heap number); the bitwise operators give int32 values anyway. Spec: DESIGN.md "the hot path of the engine uses typed arrays".
 */

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A [lo, hi] view of a BigUint64Array (every JS engine that runs this is little-endian). */
export function halves(words: BigUint64Array): Int32Array {
  if (!littleEndian) throw new Error('HMM Explorer needs a little-endian machine');
  return new Int32Array(words.buffer, words.byteOffset, words.length * 2);
}

export const lo32 = (w: bigint): number => Number(w & 0xffffffffn);
export const hi32 = (w: bigint): number => Number((w >> 32n) & 0xffffffffn);

/** "0x..." for a word given as halves (no leading zeros, "0x0" for zero). */
export function hex64(lo: number, hi: number): string {
  if (hi === 0) return '0x' + (lo >>> 0).toString(16);
  return '0x' + (hi >>> 0).toString(16) + (lo >>> 0).toString(16).padStart(8, '0');
}

/** Errno values as the kernel returns them (negated). */
export const ERR = {
  EPERM: -1,
  EINTR: -4,
  EAGAIN: -11,
  ENOMEM: -12,
  EFAULT: -14,
  EBUSY: -16,
  EINVAL: -22,
} as const;
export type ErrName = keyof typeof ERR;

export function errnoName(ret: number): ErrName | null {
  for (const [name, v] of Object.entries(ERR)) if (v === ret) return name as ErrName;
  return null;
}

/**
 * High-half bits every v5.8+ layout shares, as the int32 values the bitwise operators give (the
 * pfns array is read through an Int32Array view, see words.ts). The order field and the sticky
 * bits depend on the generation (Walk.orderShiftHi, Walk.stickyHi).
 */
export const V6 = {
  VALID: 0x80000000 | 0,
  WRITE: 0x40000000,
  ERROR: 0x20000000,
  REQ_FAULT: 0x80000000 | 0,
  REQ_WRITE: 0x40000000,
} as const;

/** HMM_NEED_FAULT / HMM_NEED_WRITE_FAULT. */
export const NEED_FAULT = 1;
export const NEED_WRITE_FAULT = 2;
