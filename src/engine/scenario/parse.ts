/**
 * Parse, validate and normalize a scenario file (shared spec/scenario-format.md) into the engine's
 * `Scenario`, and write a `Scenario` back as a canonical file. Field shapes live in schema.ts; the
 * refinements here are the rules that need more than one field. Every problem is one line
 * `PATH: what is wrong`, and all of them are collected, not just the first.
 */
import { z } from './zod.ts';
import {
  CPU_STATES,
  DEVICE_STATES,
  type CpuState,
  type DriverLayout,
  type Kernel,
  type Scenario,
  type Vma as EngineVma,
} from '../types.ts';
import { GENERATIONS, generation, hasDriverLayout, isKernel, kernelsWith } from '../kernels/registry.ts';
import { parseJsonText } from './json.ts';
import { scenarioToFile } from './file.ts';
import { parseKey, runs, spanWords } from './keys.ts';
import { ALL_ONES, hexMin, presetLayout, resolveFlagName } from './layout.ts';
import { HUGE_PAGES, PAGE_SIZE, USER_SPACE_END } from './vocabulary.ts';
import { ScenarioFile, describeVma, errorMap, type FlagSpec, type ScenarioFileValue } from './schema.ts';

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; problems: string[] };

type Payload = z.core.ParsePayload;
type Ctx = z.core.$RefinementCtx<ScenarioFileValue>;
type FileVma = ScenarioFileValue['vmas'][number];

/**
 * A refinement's `when`: run only if the top level is an object and none of `fields` has a problem
 * of its own shape (so a broken field does not cascade into the rules that read it). Problems that
 * other cross-field rules found do not count: each rule copes with the others' findings, so all
 * of them are reported together.
 */
function clean(...fields: string[]) {
  return (p: Payload): boolean => {
    const v = p.value;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    return !p.issues.some((i) => {
      if (i.code === 'custom' && (i.params as { crossField?: boolean } | undefined)?.crossField) return false;
      const path = i.path ?? [];
      return path.length === 0 ? i.code !== 'unrecognized_keys' : fields.includes(String(path[0]));
    });
  };
}

/** Flag names need the kernel, and in the 2019 API the driver's layout too. */
function cleanFlags(field: string) {
  const withDriver = clean('kernel', 'driver', field);
  const withoutDriver = clean('kernel', field);
  return (p: Payload): boolean => {
    const k = (p.value as { kernel?: unknown } | null)?.kernel;
    return isKernel(k) && !hasDriverLayout(k) ? withoutDriver(p) : withDriver(p);
  };
}

function problem(ctx: Ctx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: { crossField: true } });
}

/**
 * The layout names resolve through: in the 2019 API the driver's; later, the seed's (ignored by
 * the engine, whose hmm_pfns layout is the generation's).
 */
function layoutOf(v: ScenarioFileValue): DriverLayout {
  const d = v.driver;
  if (!hasDriverLayout(v.kernel) || d === undefined) return presetLayout('seed');
  if (typeof d === 'string') return presetLayout(d);
  if (d.flags && d.values && d.pfnShift !== undefined)
    return { name: 'custom', flags: { ...d.flags }, values: { ...d.values }, pfnShift: d.pfnShift };
  return presetLayout('seed');
}

const callOf = (v: ScenarioFileValue) => v.call ?? 'hmm_range_fault';

/** The address of a range page, or of a vma's first page. */
const addressOf = (v: ScenarioFileValue, page: number): bigint => v.range.start + BigInt(page) * PAGE_SIZE;

/** The 2 MiB block a range page lies in, as an absolute block number (user space: < 2^26). */
const blockOf = (v: ScenarioFileValue, page: number): number =>
  Math.floor((Number(v.range.start / PAGE_SIZE) + page) / HUGE_PAGES);

/** The kernel decides which calls, arguments and driver forms exist (scenario-format.md, Input). */
function checkCall(v: ScenarioFileValue, ctx: Ctx): void {
  const g = generation(v.kernel);
  if (v.call === undefined || (g.calls as readonly string[]).includes(v.call)) return;
  const call = v.call;
  const calls = g.calls.map((c) => `"${c}"`).join(', ');
  problem(
    ctx,
    ['call'],
    `${g.label} ("${g.id}") has only ${calls}; "${call}" is a call of ${kernelsWith((o) => (o.calls as readonly string[]).includes(call))}`,
  );
}

/** `timeout` is the argument of hmm_range_fault_unlocked_timeout() alone. */
function checkTimeout(v: ScenarioFileValue, ctx: Ctx): void {
  if (v.timeout !== undefined && callOf(v) !== 'hmm_range_fault_unlocked_timeout')
    problem(
      ctx,
      ['timeout'],
      `only hmm_range_fault_unlocked_timeout() (${kernelsWith((g) => (g.calls as readonly string[]).includes('hmm_range_fault_unlocked_timeout'))}) takes a timeout; "${callOf(v)}" has none`,
    );
}

function checkBlock(v: ScenarioFileValue, ctx: Ctx): void {
  if (!hasDriverLayout(v.kernel) && v.block !== undefined)
    problem(
      ctx,
      ['block'],
      `only ${kernelsWith((g) => g.pfns === null)} has the block argument; ${generation(v.kernel).label}'s hmm_range_fault(range) has none`,
    );
}

function checkDriver(v: ScenarioFileValue, ctx: Ctx): void {
  const d = v.driver;
  if (d === undefined) return;
  const g = generation(v.kernel);
  if (g.pfns && (typeof d === 'string' || d.devicePrivateOwner === undefined))
    problem(
      ctx,
      ['driver'],
      `${g.label} fixes the pfn layout in the kernel; "driver" can only be {"devicePrivateOwner": "this" | "none"}`,
    );
  if (!g.pfns && typeof d === 'object' && d.devicePrivateOwner !== undefined)
    problem(
      ctx,
      ['driver'],
      `${g.label} has no dev_private_owner; give a layout name ("seed", "nouveau", "amdgpu") or {flags, values, pfnShift}`,
    );
}

/** Resolve one FlagSpec; problems go to `path` (a name's own index for a list). */
function resolveFlags(
  kernel: Kernel,
  layout: DriverLayout,
  spec: FlagSpec,
  onProblem?: (path: (string | number)[], message: string) => void,
): bigint {
  if ('bits' in spec) return spec.bits;
  let bits = 0n;
  spec.names.forEach((name, i) => {
    const r = resolveFlagName(kernel, layout, name);
    if (typeof r === 'string') onProblem?.([i], r);
    else bits |= r;
  });
  return bits;
}

function checkFlagField(field: 'defaultFlags' | 'pfnFlagsMask') {
  return (v: ScenarioFileValue, ctx: Ctx): void => {
    const spec = v[field];
    if (spec === undefined) return;
    resolveFlags(v.kernel, layoutOf(v), spec, (path, m) => problem(ctx, [field, ...path], m));
  };
}

function checkRequestNames(v: ScenarioFileValue, ctx: Ctx): void {
  const layout = layoutOf(v);
  for (const [key, spec] of Object.entries(v.requests ?? {}))
    resolveFlags(v.kernel, layout, spec, (path, m) => problem(ctx, ['requests', key, ...path], m));
}

/** Every vma lies in user space; a hugetlb vma is made of whole, aligned 2 MiB pages. */
function checkVmaPlacement(v: ScenarioFileValue, ctx: Ctx): void {
  v.vmas.forEach((vma, i) => {
    const start = addressOf(v, vma.from);
    const end = addressOf(v, vma.from + vma.pages);
    if (start < 0n)
      problem(
        ctx,
        ['vmas', i],
        `starts below address 0 (range.start ${hexMin(v.range.start)} + page ${vma.from})`,
      );
    else if (end > USER_SPACE_END)
      problem(
        ctx,
        ['vmas', i],
        `ends at ${hexMin(end)}, beyond x86-64 user space, which is 47 bits (up to ${hexMin(USER_SPACE_END)})`,
      );
    else if (vma.special === 'hugetlb') {
      if (start % (PAGE_SIZE * BigInt(HUGE_PAGES)) !== 0n)
        problem(
          ctx,
          ['vmas', i],
          `a hugetlb vma must start on a 2 MiB boundary; it starts at ${hexMin(start)}`,
        );
      if (vma.pages % HUGE_PAGES !== 0)
        problem(
          ctx,
          ['vmas', i, 'pages'],
          `a hugetlb vma is made of 2 MiB pages (512 small pages each); ${vma.pages} is not a multiple of 512`,
        );
    }
  });
}

/** Keys of a page map must name range pages (scenario-format.md, "cpu": "relative to range.start"). */
function outside(from: number, to: number, pages: number): string | null {
  if (to < pages) return null;
  const range = `the range of ${pages} page${pages === 1 ? '' : 's'}`;
  return from === to ? `page ${from} is outside ${range}` : `pages ${from}-${to} reach outside ${range}`;
}

function checkKeysInRange(field: 'cpu' | 'requests' | 'device') {
  return (v: ScenarioFileValue, ctx: Ctx): void => {
    for (const key of Object.keys(v[field] ?? {})) {
      const span = parseKey(key);
      const m = span && outside(span.from, span.to, v.range.pages);
      if (m) problem(ctx, [field, key], m);
    }
  };
}

function checkConcurrentPages(v: ScenarioFileValue, ctx: Ctx): void {
  (v.concurrent ?? []).forEach((ev, i) => {
    const span = parseKey(ev.pages);
    const m = span && outside(span.from, span.to, v.range.pages);
    if (m) problem(ctx, ['concurrent', i, 'pages'], m);
  });
}

const WRITABLE_STATES: ReadonlySet<CpuState> = new Set([
  'rw',
  'migration-rw',
  'thp-migration-rw',
  'thp-rw',
  'devpriv-rw',
  'devpriv-other-rw',
  'thp-devpriv-rw',
]);
/** States some generation adds to the table (their kernel is checked first). */
const EXTRA_STATES: ReadonlySet<CpuState> = new Set(GENERATIONS.flatMap((g) => g.extraStates));
/** A huge pte: none, read-only, writable, or read-only and shared with a child after fork. */
const HUGETLB_STATES: ReadonlySet<CpuState> = new Set(['none', 'ro', 'rw', 'cow']);

/**
 * Why a CPU state cannot be on this page of this vma, or null. The rules follow from how each
 * state comes to exist (scenario-format.md "cpu"; kernel-fixtures README, "How each CPU state was
 * made").
 */
function stateProblem(
  v: ScenarioFileValue,
  state: CpuState,
  page: number,
  vma: FileVma | null,
  vi: number,
): string | null {
  if (state === 'none') return null;
  const g = generation(v.kernel);
  if (EXTRA_STATES.has(state) && !g.extraStates.includes(state))
    return `"${state}" exists only in ${kernelsWith((o) => o.extraStates.includes(state))}, not in ${g.label} ("${g.id}")`;
  if (!vma) return `page ${page} has no vma, so it can only be "none", not "${state}"`;
  const where = `vmas.${vi} is ${describeVma(vma)}`;
  if (vma.special === 'hugetlb' && !HUGETLB_STATES.has(state))
    return `"${state}" cannot be in a hugetlb vma (vmas.${vi}): a huge pte is "none", "ro", "rw" or "cow"`;
  if (WRITABLE_STATES.has(state) && vma.prot !== 'rw' && vma.prot !== 'w')
    return `"${state}" is a writable entry, which needs a writable vma (VM_WRITE); vmas.${vi} has prot "${vma.prot}"`;
  const privateAnon = vma.backing === 'anon' && !vma.shared;
  switch (state) {
    case 'zero':
      if (!privateAnon)
        return `"zero" (the shared zero page) only exists in private anonymous vmas; ${where}`;
      break;
    case 'cow':
    case 'swap':
      if (vma.shared) return `"${state}" only exists in private mappings; ${where}`;
      break;
    case 'devpriv':
    case 'devpriv-rw':
    case 'devpriv-other':
    case 'devpriv-other-rw':
      if (!privateAnon || vma.special !== undefined)
        return `"${state}" (a page migrated to device memory) only exists in private anonymous vmas; ${where}`;
      break;
    case 'thp-ro':
    case 'thp-rw':
    case 'thp-zero':
    case 'thp-protnone':
    case 'thp-migration':
    case 'thp-migration-rw':
    case 'thp-devpriv':
    case 'thp-devpriv-rw':
    case 'thp-devpriv-other': {
      if (!vma.thp)
        return `"${state}" is a huge pmd, which needs a vma with "thp": true (vmas.${vi} has none)`;
      const block = BigInt(blockOf(v, page)) * PAGE_SIZE * BigInt(HUGE_PAGES);
      const blockEnd = block + PAGE_SIZE * BigInt(HUGE_PAGES);
      if (block < addressOf(v, vma.from) || blockEnd > addressOf(v, vma.from + vma.pages))
        return `"${state}" is a huge pmd, whose 2 MiB block (${hexMin(block)} to ${hexMin(blockEnd)}) must lie wholly inside its vma (vmas.${vi})`;
      break;
    }
  }
  return null;
}

/** Sorted (from, original index) view of the vmas, and per range page the vma's index or -1. */
function vmaIndexPerPage(v: ScenarioFileValue): Int32Array {
  const at = new Int32Array(v.range.pages).fill(-1);
  v.vmas.forEach((vma, i) => {
    const from = Math.max(0, vma.from);
    const to = Math.min(v.range.pages, vma.from + vma.pages);
    for (let p = from; p < to; p++) at[p] = i;
  });
  return at;
}

function checkStates(v: ScenarioFileValue, ctx: Ctx): void {
  const pages = v.range.pages;
  const vmaAt = vmaIndexPerPage(v);
  const state: CpuState[] = new Array<CpuState>(pages).fill('none');
  const keyAt: (string | null)[] = new Array<string | null>(pages).fill(null);
  let bad = false;
  const entries = Object.entries(v.cpu ?? {})
    .map(([key, s]) => ({ key, s, span: parseKey(key)! }))
    .sort((a, b) => a.span.from - b.span.from);
  for (const { key, s, span } of entries) {
    // Keys reaching outside the range are reported by checkKeysInRange; here they are clipped.
    const to = Math.min(span.to, pages - 1);
    for (let p = span.from; p <= to; p++) {
      state[p] = s;
      keyAt[p] = key;
    }
    if (s === 'none') continue;
    for (let p = span.from; p <= to; p++) {
      const vi = vmaAt[p];
      const m = stateProblem(v, s, p, vi < 0 ? null : v.vmas[vi], vi);
      if (m) {
        problem(ctx, ['cpu', key], m);
        bad = true;
        break;
      }
    }
  }
  if (bad) return;
  // One huge pmd or huge pte maps a whole 2 MiB block: its range pages share one state.
  const startPage = Number(v.range.start / PAGE_SIZE);
  for (const [from, to] of runs(pages, (p) => Math.floor((startPage + p) / HUGE_PAGES))) {
    const vi = vmaAt[from];
    const hugetlb = vi >= 0 && v.vmas[vi].special === 'hugetlb';
    let first = -1;
    for (let p = from; p <= to; p++)
      if (hugetlb ? state[p] !== 'none' : state[p].startsWith('thp-')) {
        first = p;
        break;
      }
    if (first < 0) continue;
    const want = state[first];
    for (let p = from; p <= to; p++) {
      if (state[p] === want) continue;
      const what = hugetlb ? 'a hugetlb page' : `a huge pmd ("${want}")`;
      problem(
        ctx,
        ['cpu', keyAt[first]!],
        `${what} maps the whole 2 MiB block, so its range ${spanWords(from, to)} must all be "${want}"; page ${p} is "${state[p]}"`,
      );
      break;
    }
  }
}

/**
 * The file schema with the cross-field rules. They run in an order where a rule never waits on
 * problems that only a later rule reports (flag names before keys-in-range, for instance).
 */
export const ScenarioSchema = ScenarioFile.check(
  z.superRefine(checkCall, { when: clean('kernel', 'call') }),
  z.superRefine(checkTimeout, { when: clean('call', 'timeout') }),
  z.superRefine(checkBlock, { when: clean('kernel', 'block') }),
  z.superRefine(checkDriver, { when: clean('kernel', 'driver') }),
  z.superRefine(checkFlagField('defaultFlags'), { when: cleanFlags('defaultFlags') }),
  z.superRefine(checkFlagField('pfnFlagsMask'), { when: cleanFlags('pfnFlagsMask') }),
  z.superRefine(checkRequestNames, { when: cleanFlags('requests') }),
  z.superRefine(checkVmaPlacement, { when: clean('range', 'vmas') }),
  z.superRefine(checkStates, { when: clean('kernel', 'range', 'vmas', 'cpu') }),
  z.superRefine(checkKeysInRange('cpu'), { when: clean('range', 'cpu') }),
  z.superRefine(checkKeysInRange('requests'), { when: clean('range', 'requests') }),
  z.superRefine(checkKeysInRange('device'), { when: clean('range', 'device') }),
  z.superRefine(checkConcurrentPages, { when: clean('range', 'concurrent') }),
);

/** Fill every default and resolve every name: the engine's `Scenario`. Input already validated. */
function normalize(v: ScenarioFileValue): Scenario {
  const pages = v.range.pages;
  const layout = layoutOf(v);
  const call = callOf(v);
  const flags = (spec: FlagSpec | undefined, dflt: bigint) =>
    spec === undefined ? dflt : resolveFlags(v.kernel, layout, spec);
  const vmas: EngineVma[] = v.vmas
    .map((vma) => ({
      from: vma.from,
      pages: vma.pages,
      prot: vma.prot,
      backing: vma.backing,
      shared: vma.shared ?? false,
      special: vma.special ?? null,
      thp: vma.thp ?? false,
      allocFails: vma.allocFails ?? false,
      uffd: vma.uffd ?? null,
    }))
    .sort((a, b) => a.from - b.from);
  const cpu = new Uint8Array(pages);
  for (const [key, s] of Object.entries(v.cpu ?? {})) {
    const span = parseKey(key)!;
    cpu.fill(CPU_STATES.indexOf(s), span.from, span.to + 1);
  }
  const requests = new BigUint64Array(pages);
  for (const [key, spec] of Object.entries(v.requests ?? {})) {
    const span = parseKey(key)!;
    requests.fill(resolveFlags(v.kernel, layout, spec), span.from, span.to + 1);
  }
  const device = new Uint8Array(pages);
  for (const [key, s] of Object.entries(v.device ?? {})) {
    const span = parseKey(key)!;
    device.fill(DEVICE_STATES.indexOf(s), span.from, span.to + 1);
  }
  const driver = v.driver;
  return {
    format: 1,
    title: v.title ?? '',
    ...(v.notes ? { notes: v.notes } : {}),
    kernel: v.kernel,
    call,
    block: v.block ?? true,
    timeout: v.timeout ?? 0,
    range: { start: v.range.start, pages },
    vmas,
    cpu,
    layout,
    devicePrivateOwner:
      typeof driver === 'object' && driver.devicePrivateOwner ? driver.devicePrivateOwner : 'this',
    defaultFlags: flags(v.defaultFlags, 0n),
    // hmm_vma_fault forces mask ~0 (hmm-semantics.md 5); the default says so.
    pfnFlagsMask: flags(v.pfnFlagsMask, call === 'hmm_vma_fault' ? ALL_ONES : 0n),
    requests,
    concurrent: (v.concurrent ?? []).map((ev) => {
      const span = parseKey(ev.pages)!;
      return {
        at: ev.at,
        n: ev.n ?? 1,
        op: ev.op,
        from: span.from,
        to: span.to,
        repeat: ev.repeat ?? false,
        lasts: ev.lasts ?? false,
      };
    }),
    driverLoop: v.driverLoop ?? true,
    device,
  };
}

/** `PATH: what is wrong` lines for zod issues (see schema.ts errorMap for the wording). */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): string[] {
  const out: string[] = [];
  // An odd key (empty, or with a newline, "." or ":") is quoted, so each problem stays one
  // unambiguous line.
  const seg = (k: PropertyKey) => {
    const t = String(k);
    const odd = t === '' || t.includes('.') || t.includes(':') || [...t].some((c) => c.charCodeAt(0) < 32);
    return odd ? JSON.stringify(t) : t;
  };
  const fmt = (path: PropertyKey[]) => (path.length ? path.map(seg).join('.') : '(root)');
  for (const iss of issues) {
    const path = [...prefix, ...iss.path];
    if (iss.code === 'unrecognized_keys') {
      for (const k of iss.keys) out.push(`${fmt([...path, k])}: unknown field`);
    } else if (iss.code === 'invalid_union') {
      // Report the branch whose type matched (a list with a bad name, an object with a bad
      // field); when none or several did, the union's own message says what was expected.
      const typeMiss = (i: z.core.$ZodIssue) =>
        i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value');
      const matched = iss.errors.filter((branch) => !branch.some(typeMiss));
      if (matched.length === 1) out.push(...formatIssues(matched[0], path));
      else out.push(`${fmt(path)}: ${iss.message}`);
    } else if (iss.code === 'invalid_key') {
      out.push(`${fmt(path)}: ${iss.issues.map((i) => i.message).join('; ')}`);
    } else {
      out.push(`${fmt(path)}: ${iss.message}`);
    }
  }
  return [...new Set(out)];
}

/** Validate and normalize a parsed JSON value. Never throws. */
export function parseScenario(input: unknown): ParseResult {
  const r = ScenarioSchema.safeParse(input, { error: errorMap });
  if (!r.success) return { ok: false, problems: formatIssues(r.error.issues) };
  return { ok: true, scenario: normalize(r.data) };
}

/** parseScenario over JSON text. Never throws. */
export function parseScenarioText(text: string): ParseResult {
  const j = parseJsonText(text);
  return j.ok ? parseScenario(j.value) : j;
}

/**
 * The schema's problems with a scenario the app holds (an edit's result), as "PATH: what is wrong"
 * lines; none: it can run. Checked on its canonical file, as a link or a saved copy would be.
 */
export function scenarioProblems(s: Scenario): string[] {
  try {
    const r = parseScenario(scenarioToFile(s));
    return r.ok ? [] : r.problems;
  } catch (e) {
    return [`scenario: ${e instanceof Error ? e.message : String(e)}`];
  }
}

export { scenarioToFile };
