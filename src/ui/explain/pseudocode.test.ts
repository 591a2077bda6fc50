/**
 * The pseudocode panel tells the kernel's story line by line: every trace event names the
 * statement it executes (its `stmt`, set where the engine emits it), each listing maps every
 * statement to one line, and every line the kernel can execute is lit by some event.
 *
 * The corpus: every preset and every recorded kernel fixture (test/fixtures), each run on every
 * generation whose scenario format it can be written in (the 2019 API names its request bits
 * VALID / WRITE where later kernels say REQ_FAULT / REQ_WRITE; a scenario using a bit the other
 * API lacks is left out there), and a few scenarios written here for statements neither reaches
 * (EXTRAS). A statement no scenario can reach is named in UNREACHED with the reason.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { GENERATIONS, type Kernel } from '../../engine/kernels/registry.ts';
import { run } from '../../engine/run.ts';
import { parseScenario } from '../../engine/scenario/parse.ts';
import { PRESETS } from '../../engine/scenario/presets.ts';
import type { Statement } from '../../engine/statements.ts';
import type { TraceEvent } from '../../engine/types.ts';
import { lineFor, linesLit, loadListing, loadListings, statementOf, type Listing } from './pseudocode.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures');

interface Source {
  name: string;
  file: Record<string, unknown>;
}

const CORPUS: Source[] = [
  ...PRESETS.map((p) => ({ name: `preset ${p.id}`, file: p.file as Record<string, unknown> })),
  ...['linux-6.1', 'linux-6.12'].flatMap((folder) =>
    readdirSync(join(fixtures, folder))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => ({
        name: `${folder}/${f}`,
        file: (
          JSON.parse(readFileSync(join(fixtures, folder, f), 'utf8')) as { scenario: Record<string, unknown> }
        ).scenario,
      })),
  ),
];

const range = (pages: number) => ({ start: '0x7f0000000000', pages });
const anon = (pages: number, more: object = {}) => [{ from: 0, pages, prot: 'rw', backing: 'anon', ...more }];

/** Scenarios for statements no preset or fixture reaches. */
const EXTRAS: Source[] = [
  {
    name: 'a migration entry asked for, special ptes asked and not',
    file: {
      format: 1,
      title: 'migration and special ptes',
      kernel: 'v6',
      call: 'hmm_range_fault',
      range: range(4),
      vmas: anon(4),
      cpu: { '0': 'migration', '1-2': 'special', '3': 'special' },
      defaultFlags: [],
      pfnFlagsMask: ['REQ_FAULT'],
      requests: { '0': ['REQ_FAULT'], '3': ['REQ_FAULT'] },
    },
  },
  {
    name: 'a THP migration entry nobody asks for',
    file: {
      format: 1,
      title: 'thp migration',
      kernel: 'v6',
      call: 'hmm_range_fault',
      range: range(512),
      vmas: anon(512, { thp: true }),
      cpu: { '0-511': 'thp-migration' },
      defaultFlags: [],
      pfnFlagsMask: [],
    },
  },
  {
    name: "another device's device-private THP nobody asks for",
    file: {
      format: 1,
      title: 'device-private THP of another owner',
      kernel: 'v7.3',
      call: 'hmm_range_fault',
      range: range(512),
      vmas: anon(512, { thp: true }),
      cpu: { '0-511': 'thp-devpriv-other' },
      defaultFlags: [],
      pfnFlagsMask: [],
    },
  },
  {
    name: 'the old API over a range it cannot advance in (0 pages: -EBUSY, retried until the bound)',
    file: {
      format: 1,
      title: 'hmm_vma_fault over nothing',
      kernel: 'v5.2',
      call: 'hmm_vma_fault',
      range: range(4),
      vmas: anon(4),
      driver: 'seed',
      defaultFlags: [],
      pfnFlagsMask: [],
    },
  },
  {
    name: 'the old API on a PROT_NONE vma (-EPERM)',
    file: {
      format: 1,
      title: 'hmm_vma_fault on PROT_NONE',
      kernel: 'v5.2',
      call: 'hmm_vma_fault',
      range: range(4),
      vmas: [{ from: 0, pages: 4, prot: '', backing: 'anon' }],
      driver: 'seed',
      defaultFlags: ['VALID'],
      pfnFlagsMask: [],
    },
  },
  {
    name: "7.3's unlocked call whose range is invalidated before every pass: the budget runs out",
    file: {
      format: 1,
      title: 'unlocked call, budget spent',
      kernel: 'v7.3',
      call: 'hmm_range_fault_unlocked_timeout',
      timeout: 2,
      range: range(4),
      vmas: anon(4),
      defaultFlags: ['REQ_FAULT'],
      pfnFlagsMask: [],
      concurrent: [{ at: 'before-call', op: 'invalidate', pages: '0', repeat: true }],
    },
  },
  {
    name: 'v5.2: a munmap waiting for mmap_sem gets in when a userfaultfd fault drops it; nobody wakes the faulter',
    file: {
      format: 1,
      title: 'v5.2 userfaultfd fault left unresolved',
      kernel: 'v5.2',
      call: 'hmm_range_fault',
      range: range(4),
      vmas: [
        { from: 0, pages: 1, prot: 'rw', backing: 'anon' },
        { from: 1, pages: 3, prot: 'rw', backing: 'anon', uffd: 'missing' },
      ],
      driver: 'seed',
      defaultFlags: ['VALID', 'WRITE'],
      pfnFlagsMask: [],
      concurrent: [{ at: 'after-fault', n: 1, op: 'munmap', pages: '1-3' }],
    },
  },
  {
    name: 'the old API on a userfaultfd range: each fault drops mmap_sem, -EAGAIN, the wrapper says -EBUSY',
    file: {
      format: 1,
      title: 'hmm_vma_fault on a userfaultfd range',
      kernel: 'v5.2',
      call: 'hmm_vma_fault',
      range: range(2),
      vmas: anon(2, { uffd: 'missing' }),
      driver: 'seed',
      defaultFlags: [],
      pfnFlagsMask: [],
      requests: { '0-1': ['VALID', 'WRITE'] },
    },
  },
];

const TO_2019: Record<string, string> = { REQ_FAULT: 'VALID', REQ_WRITE: 'WRITE' };
const FROM_2019: Record<string, string> = { VALID: 'REQ_FAULT', WRITE: 'REQ_WRITE' };

/** A scenario file rewritten for another generation: its kernel, and its request bits' names. */
function forKernel(file: Record<string, unknown>, kernel: Kernel): unknown {
  const from2019 = file.kernel === 'v5.2';
  const to2019 = kernel === 'v5.2';
  if (from2019 === to2019) return { ...file, kernel };
  const names = to2019 ? TO_2019 : FROM_2019;
  const rename = (v: unknown): unknown =>
    Array.isArray(v) ? v.map((n) => (typeof n === 'string' ? (names[n] ?? n) : n)) : v;
  const requests = Object.fromEntries(
    Object.entries((file.requests as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => [
      k,
      rename(v),
    ]),
  );
  const out: Record<string, unknown> = {
    ...file,
    kernel,
    defaultFlags: rename(file.defaultFlags),
    pfnFlagsMask: rename(file.pfnFlagsMask),
    requests,
  };
  if (to2019) out.driver = 'seed';
  else delete out.driver;
  if (!to2019 && out.call !== 'hmm_range_fault') out.call = 'hmm_range_fault';
  return out;
}

interface Step {
  source: string;
  event: TraceEvent;
}

/** Per generation, every event of every corpus scenario that runs on it. */
const steps = new Map<Kernel, Step[]>();
const listings = new Map<Kernel, Listing>();

beforeAll(async () => {
  for (const l of await loadListings()) listings.set(l.kernel, l);
  for (const g of GENERATIONS) {
    const all: Step[] = [];
    for (const src of [...CORPUS, ...EXTRAS]) {
      const parsed = parseScenario(forKernel(src.file, g.id));
      if (!parsed.ok) continue;
      for (const event of run(parsed.scenario, { trace: 'full' }).trace)
        all.push({ source: src.name, event });
    }
    steps.set(g.id, all);
  }
}, 120_000);

/**
 * Statements no event of the corpus names, per generation, and why. A listing line no event can
 * light is named here with its reason, or the test fails.
 */
const UNREACHED: Partial<Record<Kernel, Partial<Record<Statement, string>>>> = {};
const WRAPPER_WAITS =
  'the wrapper calls hmm_range_wait_until_valid() just before hmm_range_fault, and in the model that wait ends every invalidation in progress ("lasts"), so it never times out and valid is true at the call';
const NO_PMD_EVENT =
  'the walk emits no event here (a THP migration entry waited for, the end of a pte table)';
for (const g of GENERATIONS) {
  UNREACHED[g.id] =
    g.id === 'v5.2'
      ? {
          'wrapper.register_err':
            'hmm_range_register() cannot fail in the model (a live mm, an aligned range)',
          'wrapper.timeout': WRAPPER_WAITS,
          'pmd.bad': 'the model has no bad pmd, nor a huge pmd in a hugetlb vma walked as a pmd',
          'pmd.migration': NO_PMD_EVENT,
          'pmd.migration_wait': NO_PMD_EVENT,
          'pmd.done': NO_PMD_EVENT,
        }
      : {
          'test.ok': 'a vma HMM can walk passes hmm_vma_walk_test() without an event',
          ...(g.id === 'v7.3'
            ? { 'absent.efault': 'only a device-private pmd is modelled, never another absent pmd' }
            : { 'pmd.bad': 'the model has no bad pmd' }),
          'pmd.migration_wait': NO_PMD_EVENT,
          'pmd.done': NO_PMD_EVENT,
        };
}

describe('the pseudocode listings', () => {
  it('parse: every marker names a known statement, and every statement has one line', async () => {
    for (const l of await loadListings()) expect(l.problems, l.kernel).toEqual([]);
  });

  it('mark every line the kernel executes with the statements it belongs to', async () => {
    for (const l of await loadListings()) {
      const bare = l.lines
        .map((line, i) => ({ line, n: i + 1 }))
        .filter(({ line }) => line.executable && line.ids.length === 0 && line.path.length === 0)
        .map(({ line, n }) => `${n}: ${line.text.trim()}`);
      expect(bare, l.kernel).toEqual([]);
    }
  });

  it.each(GENERATIONS.map((g) => [g.id] as const))(
    '%s: every event of the corpus names a statement of this listing',
    (kernel) => {
      const listing = listings.get(kernel)!;
      const all = steps.get(kernel)!;
      expect(all.length).toBeGreaterThan(1000);
      const unmapped = all
        .filter(({ event }) => lineFor(listing, event) < 0)
        .map(
          ({ source, event }) =>
            `${source}: ${event.type} ${event.fn} -> ${statementOf(event) ?? 'no statement'}`,
        );
      expect([...new Set(unmapped)].slice(0, 20)).toEqual([]);
      // A pte decision that asked hmm_pte_need_fault() lights the branch it took.
      const needless = all.filter(
        ({ event }) => event.type === 'pte' && event.needStmt && !listing.lineOf.has(event.needStmt),
      );
      expect(needless.map(({ event }) => (event as { needStmt: string }).needStmt)).toEqual([]);
    },
  );

  it.each(GENERATIONS.map((g) => [g.id] as const))(
    '%s: every executable line is lit by some event of the corpus, or named with the reason it cannot be',
    (kernel) => {
      const listing = listings.get(kernel)!;
      const lit = new Set<number>();
      const named = new Set<Statement>();
      for (const { event } of steps.get(kernel)!) {
        for (const i of linesLit(listing, event)) lit.add(i);
        const s = statementOf(event);
        if (s) named.add(s);
      }
      const excused = UNREACHED[kernel] ?? {};
      for (const s of Object.keys(excused) as Statement[]) {
        // An excuse for a statement the corpus does reach, or the listing lacks, is stale.
        expect(named.has(s), `${kernel}: ${s} is reached, drop its excuse`).toBe(false);
        expect(listing.lineOf.has(s), `${kernel}: ${s} is not in the listing`).toBe(true);
        for (const i of listing.pathOf.get(s) ?? []) lit.add(i);
      }
      const dark = listing.lines
        .map((line, i) => ({ line, i }))
        .filter(({ line, i }) => line.executable && !lit.has(i))
        .map(({ line, i }) => `${i + 1}: ${line.text.trim()} (${[...line.ids, ...line.path].join(' ')})`);
      expect(dark).toEqual([]);
    },
  );

  it('highlights the statement an event names, whatever the event type', async () => {
    const v6 = await loadListing('v6');
    const pte = steps
      .get('v6')!
      .find(({ event }) => event.type === 'pte' && event.stmt === 'pte.error')!.event;
    expect(v6.lines[lineFor(v6, pte)].text).toMatch(/return -EFAULT;.*hwpoison/);
    // A fault's statement is handle_mm_fault's line, in every listing.
    for (const l of listings.values()) {
      expect(l.lines[l.lineOf.get('fault')!].text).toMatch(/handle_mm_fault/);
      expect(l.lines[l.lineOf.get('need.none')!].text).toMatch(/return/);
      expect(l.pathOf.get('need.none')!.some((i) => /pfn_flags_mask/.test(l.lines[i].text))).toBe(true);
    }
  });
});

/** The lines the issue found lit wrongly, now each the statement's own. */
describe('the lines the issue found wrong', () => {
  const first = (kernel: Kernel, pick: (e: TraceEvent) => boolean): TraceEvent => {
    const found = steps.get(kernel)!.find(({ event }) => pick(event));
    if (!found) throw new Error(`no such event on ${kernel}`);
    return found.event;
  };
  const textOf = (kernel: Kernel, e: TraceEvent): string => {
    const l = listings.get(kernel)!;
    return l.lines[lineFor(l, e)].text;
  };

  it('v6: -EPERM and -EFAULT returns light return ret, and -EPERM comes from hmm_vma_fault', () => {
    for (const errno of ['EPERM', 'EFAULT'] as const) {
      const ret = first('v6', (e) => e.type === 'return' && e.errno === errno);
      expect(textOf('v6', ret)).toMatch(/^\s*return ret;/);
    }
    const eperm = first('v6', (e) => e.type === 'vma' && e.stmt === 'vfault.eperm');
    expect(eperm.fn).toBe('hmm_vma_fault');
    expect(textOf('v6', eperm)).toMatch(/VM_WRITE\)\) return -EPERM/);
  });

  it('v6: a migration entry waits and hwpoison fails, neither lights the fault call', () => {
    const migration = first('v6', (e) => e.type === 'pte' && e.cpuState === 'migration' && e.need > 0);
    expect(textOf('v6', migration)).toMatch(/return -EBUSY;/);
    const poison = first('v6', (e) => e.type === 'pte' && e.cpuState === 'hwpoison' && e.out === null);
    expect(textOf('v6', poison)).toMatch(/return -EFAULT;/);
  });

  it('v6: the lockless check inside the call is mmu_interval_check_retry, not the driver read_retry', () => {
    const check = first('v6', (e) => e.type === 'driver' && e.fn === 'mmu_interval_check_retry');
    expect(textOf('v6', check)).toMatch(/if \(mmu_interval_check_retry/);
    const ret = steps
      .get('v6')!
      .find(({ event }, i, all) => event.type === 'return' && all[i - 1]?.event === check)!.event;
    expect(textOf('v6', ret)).toMatch(/return -EBUSY;/);
  });

  it('giving up after a failed call lights return ret, never a lock the driver did not take', () => {
    for (const kernel of ['v6', 'v5.2'] as const) {
      const give = first(kernel, (e) => e.type === 'driver' && e.fn === 'give_up');
      expect(textOf(kernel, give)).not.toMatch(/release_lock/);
      expect(textOf(kernel, give)).toMatch(/return/);
    }
  });

  it('v5.2: the driver registers once, and every later attempt starts at down_read', () => {
    const registers = steps
      .get('v5.2')!
      .filter(({ event }) => event.type === 'driver' && event.fn === 'hmm_range_register');
    expect(registers.every(({ event }) => event.attempt === 1)).toBe(true);
    const again = first('v5.2', (e) => e.type === 'lock' && e.attempt > 1 && e.fn === 'down_read');
    expect(textOf('v5.2', again)).toMatch(/down_read\(&mm->mmap_sem\)/);
  });
});
