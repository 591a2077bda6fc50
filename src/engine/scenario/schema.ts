/**
 * The scenario file format (shared spec/scenario-format.md) as zod schemas: the shape of every
 * field and the checks that need nothing but the field itself. Checks across fields (flag names
 * through the kernel's layout, states against their vma, keys inside the range) are refinements
 * added in parse.ts; normalizing into the engine's `Scenario` is parse.ts's job too.
 *
 * Objects are strict: the format is written by hand, so an unknown field is a typo to report.
 */
import { z } from './zod.ts';
import { CPU_STATES, DEVICE_STATES } from '../types.ts';
import { PAGE_KEY_RE, parseKey } from './keys.ts';
import { ALL_ONES, LAYOUT_FLAG_NAMES, hexMin } from './layout.ts';

import {
  PAGE_SIZE,
  USER_SPACE_END,
  MAX_PAGES,
  KERNELS,
  CALLS,
  PROTS,
  SPECIALS,
  CONCURRENT_AT,
  CONCURRENT_OPS,
  LASTING_OPS,
} from './vocabulary.ts';

const HEX_RE = /^0x[0-9a-fA-F]+$/;
const HEX64_RE = /^0x[0-9a-fA-F]{1,16}$/;

/** A 64-bit word written as "0x..." (1 to 16 hex digits). */
export const Hex64 = (message = 'expected a hex string "0x..." of at most 16 digits (64 bits)') =>
  z.pipe(
    z.string().check(z.regex(HEX64_RE, message)),
    z.transform((s: string) => BigInt(s)),
  );

/**
 * Flags as the file writes them: a list of names (resolved later, through the kernel's layout) or
 * one hex word. The mask may also be "all" (-1UL, what hmm_vma_fault sets).
 */
export type FlagSpec = { names: string[] } | { bits: bigint };

const FLAGS_HELP = 'expected a list of flag names or one hex string "0x..." (at most 16 digits)';
const flagNameList = z.pipe(
  z.array(z.string()),
  z.transform((names: string[]): FlagSpec => ({ names })),
);
const flagHex = z.pipe(
  Hex64(FLAGS_HELP),
  z.transform((bits: bigint): FlagSpec => ({ bits })),
);
export const Flags = z.union([flagNameList, flagHex], { error: FLAGS_HELP });

const MASK_HELP = 'expected "all", a list of flag names or one hex string "0x..." (at most 16 digits)';
export const Mask = z.union(
  [
    z.pipe(
      z.literal('all'),
      z.transform((): FlagSpec => ({ bits: ALL_ONES })),
    ),
    flagNameList,
    z.pipe(
      Hex64(MASK_HELP),
      z.transform((bits: bigint): FlagSpec => ({ bits })),
    ),
  ],
  { error: MASK_HELP },
);

const PAGE_KEY_MESSAGE = 'expected a page "N" or an inclusive range "a-b" (decimal, no leading zeros)';

/** A key of a page map: "N" or "a-b" inclusive (scenario-format.md, "cpu"). */
export const PageKey = z.string().check(
  z.regex(PAGE_KEY_RE, PAGE_KEY_MESSAGE),
  z.refine((k: string) => {
    const s = parseKey(k);
    return s === null || s.from <= s.to;
  }, 'a range "a-b" needs a <= b'),
);

/**
 * A map keyed by page keys. Two keys that name a common page would leave its value to key order,
 * so they are an error.
 */
export function pageMap<T extends z.ZodMiniType<unknown, unknown>>(value: T) {
  // zod drops a "__proto__" key from a record without a word (so nothing is polluted); it names
  // no page, so it is reported like any other key that is not one. (A transform in front of the
  // record is what zod's preprocess is.)
  return z.pipe(
    z.transform((raw: unknown, ctx) => {
      if (typeof raw === 'object' && raw !== null && Object.hasOwn(raw, '__proto__'))
        ctx.issues.push({ code: 'custom', path: ['__proto__'], message: PAGE_KEY_MESSAGE, input: raw });
      return raw;
    }),
    pageRecord(value),
  );
}

function pageRecord<T extends z.ZodMiniType<unknown, unknown>>(value: T) {
  return z.record(PageKey, value).check(
    z.superRefine(
      (map: Record<string, unknown>, ctx) => {
        const spans = Object.keys(map)
          .map((key) => ({ key, span: parseKey(key) }))
          .filter((k) => k.span !== null && k.span.from <= k.span.to)
          .sort((a, b) => a.span!.from - b.span!.from || a.span!.to - b.span!.to);
        let prev: (typeof spans)[number] | null = null;
        for (const k of spans) {
          if (prev && k.span!.from <= prev.span!.to) {
            ctx.addIssue({ code: 'custom', path: [k.key], message: `overlaps key "${prev.key}"` });
          }
          if (!prev || k.span!.to > prev.span!.to) prev = k;
        }
      },
      { when: (p) => typeof p.value === 'object' && p.value !== null && !Array.isArray(p.value) },
    ),
  );
}

/**
 * For refinements that compute with their fields: zod runs a refinement after non-aborting issues
 * too (a failed regex, say), when a field may still hold its raw input instead of its output.
 */
const onlyIfClean = { when: (p: z.core.ParsePayload) => p.issues.length === 0 };

export const Range = z
  .strictObject({
    start: z
      .pipe(
        z.string().check(z.regex(HEX_RE, 'expected a hex address string like "0x7f0000000000"')),
        z.transform((s: string) => BigInt(s)),
      )
      .check(
        z.superRefine((start: bigint, ctx) => {
          if (start % PAGE_SIZE !== 0n)
            ctx.addIssue({ code: 'custom', message: `${hexMin(start)} is not page aligned (4096 bytes)` });
          else if (start >= USER_SPACE_END)
            ctx.addIssue({
              code: 'custom',
              message: `${hexMin(start)} is outside x86-64 user space, which is 47 bits (below ${hexMin(USER_SPACE_END)})`,
            });
        }),
      ),
    pages: z
      .int()
      .check(
        z.minimum(1, 'a range has at least 1 page'),
        z.maximum(MAX_PAGES, `a range has at most ${MAX_PAGES} pages (4 GiB)`),
      ),
  })
  .check(
    z.superRefine((r, ctx) => {
      const end = r.start + BigInt(r.pages) * PAGE_SIZE;
      if (r.start < USER_SPACE_END && end > USER_SPACE_END)
        ctx.addIssue({
          code: 'custom',
          path: ['pages'],
          message: `the range would end at ${hexMin(end)}, beyond x86-64 user space, which is 47 bits (up to ${hexMin(USER_SPACE_END)})`,
        });
    }, onlyIfClean),
  );

export const Vma = z
  .strictObject({
    from: z.int(),
    pages: z.int().check(z.minimum(1, 'a vma has at least 1 page')),
    prot: z.enum(PROTS),
    backing: z.enum(['anon', 'file']),
    shared: z.optional(z.boolean()),
    special: z.optional(z.enum(SPECIALS)),
    thp: z.optional(z.boolean()),
    allocFails: z.optional(z.boolean()),
    uffd: z.optional(z.enum(['missing'])),
  })
  .check(
    z.superRefine((v, ctx) => {
      // UFFDIO_REGISTER_MODE_MISSING as the selftest uses it: a private anonymous mapping (shmem
      // and hugetlb MISSING faults follow other paths, not modelled; hmm-semantics.md 10.4).
      if (v.uffd !== undefined && (v.backing !== 'anon' || v.shared || v.special !== undefined))
        ctx.addIssue({
          code: 'custom',
          path: ['uffd'],
          message: `only a private anonymous vma without "special" can be registered with userfaultfd here; this one is ${describeVma(v)}`,
        });
      // MADV_HUGEPAGE + THP in madvise mode: the fixtures' only THP kind (kernel-fixtures README).
      if (v.thp && (v.backing !== 'anon' || v.shared || v.special !== undefined))
        ctx.addIssue({
          code: 'custom',
          path: ['thp'],
          message: `only a private anonymous vma without "special" can have THP; this one is ${describeVma(v)}`,
        });
    }),
  );

/** Words for a vma's kind, for messages. */
export function describeVma(v: {
  backing: 'anon' | 'file';
  shared?: boolean;
  special?: string | null;
}): string {
  const kind =
    v.backing === 'anon'
      ? v.shared
        ? 'shared anonymous (shmem)'
        : 'private anonymous'
      : v.shared
        ? 'shared file'
        : 'private file';
  return v.special ? `${kind}, special "${v.special}"` : kind;
}

export const Vmas = z.array(Vma).check(
  z.superRefine(
    (vmas, ctx) => {
      const sorted = vmas
        .map((v, i) => ({ v, i }))
        .filter(
          ({ v }) =>
            typeof v === 'object' &&
            v !== null &&
            Number.isSafeInteger(v.from) &&
            Number.isSafeInteger(v.pages),
        )
        .sort((a, b) => a.v.from - b.v.from || a.i - b.i);
      let prev: (typeof sorted)[number] | null = null;
      for (const cur of sorted) {
        if (prev && cur.v.from < prev.v.from + prev.v.pages)
          ctx.addIssue({
            code: 'custom',
            path: [cur.i],
            message: `overlaps vmas.${prev.i} (pages ${prev.v.from} to ${prev.v.from + prev.v.pages - 1})`,
          });
        if (!prev || cur.v.from + cur.v.pages > prev.v.from + prev.v.pages) prev = cur;
      }
    },
    { when: (p) => Array.isArray(p.value) },
  ),
);

/** A v5.2 layout written out: flags[], values[] and pfn_shift (hmm-semantics.md 1.A). */
const layoutFields = {
  flags: z.strictObject({ VALID: Hex64(), WRITE: Hex64(), DEVICE_PRIVATE: Hex64() }),
  values: z.strictObject({ ERROR: Hex64(), NONE: Hex64(), SPECIAL: Hex64() }),
  pfnShift: z.int().check(z.minimum(0, 'pfnShift is 0 .. 63'), z.maximum(63, 'pfnShift is 0 .. 63')),
};

/**
 * The object form of `driver`: either a v5.2 layout or v6's {devicePrivateOwner}. One object
 * schema for both keeps each field's own error (a union of two objects would only say "no match").
 */
const DriverObject = z
  .strictObject({
    flags: z.optional(layoutFields.flags),
    values: z.optional(layoutFields.values),
    pfnShift: z.optional(layoutFields.pfnShift),
    devicePrivateOwner: z.optional(z.enum(['this', 'none'])),
  })
  .check(
    z.superRefine((d, ctx) => {
      const layoutKeys = (['flags', 'values', 'pfnShift'] as const).filter((k) => d[k] !== undefined);
      if (d.devicePrivateOwner !== undefined) {
        if (layoutKeys.length > 0)
          ctx.addIssue({
            code: 'custom',
            message:
              'give either {devicePrivateOwner} (v6) or a layout {flags, values, pfnShift} (v5.2), not both',
          });
        return;
      }
      for (const k of ['flags', 'values', 'pfnShift'] as const)
        if (d[k] === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [k],
            message: 'required field is missing (a layout has flags, values and pfnShift)',
          });
      if (d.flags && d.values) checkLayout(d.flags, d.values, ctx);
    }, onlyIfClean),
  );

/** What hmm.h asks of a layout, plus what decoding needs (hmm-semantics.md 1.A). */
function checkLayout(
  flags: Record<(typeof LAYOUT_FLAG_NAMES)[number], bigint>,
  values: Record<'ERROR' | 'NONE' | 'SPECIAL', bigint>,
  ctx: z.core.$RefinementCtx,
): void {
  for (const n of ['VALID', 'WRITE'] as const)
    if (flags[n] === 0n) ctx.addIssue({ code: 'custom', path: ['flags', n], message: 'must not be 0' });
  LAYOUT_FLAG_NAMES.forEach((n, i) => {
    for (const m of LAYOUT_FLAG_NAMES.slice(0, i))
      if (flags[n] !== 0n && (flags[n] & flags[m]) !== 0n)
        ctx.addIssue({
          code: 'custom',
          path: ['flags', n],
          message: `shares bits with ${m} (${hexMin(flags[m])})`,
        });
  });
  for (const n of ['ERROR', 'SPECIAL'] as const)
    if (values[n] === values.NONE)
      ctx.addIssue({
        code: 'custom',
        path: ['values', n],
        message: 'must differ from NONE (a driver may alias ERROR and SPECIAL, never NONE with either)',
      });
  if (flags.VALID !== 0n)
    for (const n of ['ERROR', 'NONE', 'SPECIAL'] as const)
      if ((values[n] & flags.VALID) === flags.VALID)
        ctx.addIssue({
          code: 'custom',
          path: ['values', n],
          message: `has the VALID bit (${hexMin(flags.VALID)}) set, so it would read as a pfn`,
        });
}

export const Driver = z.union([z.enum(['seed', 'nouveau', 'amdgpu']), DriverObject], {
  error:
    'expected "seed" | "nouveau" | "amdgpu", a layout {flags, values, pfnShift} (v5.2) or {devicePrivateOwner} (v6)',
});

export const Concurrent = z
  .strictObject({
    at: z.enum(CONCURRENT_AT),
    n: z.optional(z.int().check(z.minimum(1, 'n counts handle_mm_fault calls from 1'))),
    op: z.enum(CONCURRENT_OPS),
    pages: PageKey,
    repeat: z.optional(z.boolean()),
    /**
     * The op's invalidation starts when it runs (invalidate_range_start: v5.2 range->valid goes
     * false and the device entries are erased; the page table changes) and ends later: at the
     * first moment the driver waits for invalidations to end (v5.2 hmm_range_wait_until_valid,
     * 5.5+ mmu_interval_read_begin), or at the end of the run.
     */
    lasts: z.optional(z.boolean()),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.lasts && !LASTING_OPS.includes(v.op))
        ctx.addIssue({
          code: 'custom',
          path: ['lasts'],
          message: `"lasts" is only for ops that need no mmap write lock (${LASTING_OPS.join(', ')}); "${v.op}" ${
            v.op === 'sigkill'
              ? 'starts no invalidation'
              : 'waits for the driver to release the lock and then runs to completion'
          }`,
        });
    }, onlyIfClean),
  );

/**
 * The whole file, field by field. Optional fields and their defaults (filled by parse.ts): title "", notes none,
 * call "hmm_range_fault", block true (v5.2), cpu all "none", driver "seed" (v5.2) or
 * {devicePrivateOwner: "this"} (v6), defaultFlags 0, pfnFlagsMask 0 (hmm_vma_fault: ~0, what the
 * wrapper sets), requests 0, concurrent none, driverLoop true, device all "none".
 */
export const ScenarioFile = z.strictObject({
  format: z.literal(1),
  title: z.optional(z.string()),
  notes: z.optional(z.string()),
  kernel: z.enum(KERNELS),
  call: z.optional(z.enum(CALLS)),
  block: z.optional(z.boolean()),
  /** hmm_range_fault_unlocked_timeout()'s argument, in jiffies (0 = retry for ever). */
  timeout: z.optional(z.int().check(z.minimum(0, 'timeout is in jiffies, 0 or more (0 = retry for ever)'))),
  range: Range,
  vmas: Vmas,
  cpu: z.optional(pageMap(z.enum(CPU_STATES))),
  driver: z.optional(Driver),
  defaultFlags: z.optional(Flags),
  pfnFlagsMask: z.optional(Mask),
  requests: z.optional(pageMap(Flags)),
  concurrent: z.optional(z.array(Concurrent)),
  driverLoop: z.optional(z.boolean()),
  device: z.optional(pageMap(z.enum(DEVICE_STATES))),
});
export type ScenarioFileValue = z.output<typeof ScenarioFile>;

/** Words for an unexpected value: what the error lines say after "got". */
export function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'string')
    return JSON.stringify(input.length > 40 ? input.slice(0, 37) + '...' : input);
  if (typeof input === 'object') return 'an object';
  return String(input);
}

const EXPECTED: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'a list',
  bigint: 'an integer',
};

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/**
 * Error messages for zod's generic issues, worded for people writing the file by hand. Field
 * schemas that know better set their own message.
 */
export const errorMap: z.core.$ZodErrorMap = (iss) => {
  if (iss.input === undefined && (iss.code === 'invalid_type' || iss.code === 'invalid_value'))
    return 'required field is missing';
  switch (iss.code) {
    case 'invalid_type':
      return `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${describeInput(iss.input)}`;
    case 'invalid_value':
      return iss.values.length === 1
        ? `expected ${show(iss.values[0])}, got ${describeInput(iss.input)}`
        : `expected one of ${iss.values.map(show).join(' | ')}, got ${describeInput(iss.input)}`;
    case 'too_small':
      return `must be at least ${String(iss.minimum)}, got ${describeInput(iss.input)}`;
    case 'too_big':
      return `must be at most ${String(iss.maximum)}, got ${describeInput(iss.input)}`;
    case 'unrecognized_keys':
      return 'unknown field';
    default:
      return undefined;
  }
};
