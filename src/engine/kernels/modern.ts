/**
 * What the v5.8+ generations (Linux 6.1, 6.12, 7.3) share: the hmm_pfns word (one layout per
 * hmm.h version), the driver loop of Documentation/mm/hmm.rst and the fault errno rule of
 * hmm_vma_fault() before 7.x. Each generation module picks from here and adds what is its own.
 */
import { ERR } from '../hmm/words.ts';
import type { PfnLayout } from './generation.ts';

const bit = (n: number): bigint => 1n << BigInt(n);

/** The request and output bits every hmm.h since 5.8 has (hmm-semantics.md 1.B). */
const REQUEST_NAMES = [
  ['REQ_FAULT', bit(63)],
  ['REQ_WRITE', bit(62)],
] as const;
/** The seed example's names for the same bits (hmm-semantics.md 7), accepted as aliases. */
const SEED_ALIASES = [
  ['VALID', bit(63)],
  ['WRITE', bit(62)],
] as const;

/** include/linux/hmm.h from 5.9 to 6.15: the order at bits 56-60, the pfn below (1.B). */
export const PFNS_ORDER_AT_56: PfnLayout = {
  VALID: bit(63),
  WRITE: bit(62),
  ERROR: bit(61),
  orderShift: 56n,
  orderMask: 0x1fn,
  pfnMask: bit(56) - 1n,
  sticky: [],
  inputNames: [...REQUEST_NAMES, ...SEED_ALIASES],
  canonicalInputNames: REQUEST_NAMES.length,
};

/** HMM_PFN_INOUT_FLAGS (mm/hmm.c since the DMA-mapping API): kept from the input (10.1). */
const STICKY = [
  ['DMA_MAPPED', bit(60)],
  ['P2PDMA', bit(59)],
  ['P2PDMA_BUS', bit(58)],
] as const;

/**
 * include/linux/hmm.h since 6.16 (hmm-semantics.md 10.1): the sticky DMA bits at 60-58 and the
 * order at bits 53-57 (HMM_PFN_ORDER_SHIFT = BITS_PER_LONG - 11), the pfn in bits 0-52.
 */
export const PFNS_ORDER_AT_53: PfnLayout = {
  VALID: bit(63),
  WRITE: bit(62),
  ERROR: bit(61),
  orderShift: 53n,
  orderMask: 0x1fn,
  pfnMask: bit(53) - 1n,
  sticky: STICKY,
  inputNames: [...REQUEST_NAMES, ...STICKY, ...SEED_ALIASES],
  canonicalInputNames: REQUEST_NAMES.length + STICKY.length,
};

/** hmm_vma_fault() before 7.x: any VM_FAULT_ERROR is -EFAULT. */
export const faultErrnoAlwaysEfault = (): number => ERR.EFAULT;
