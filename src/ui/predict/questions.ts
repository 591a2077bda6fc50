import { v6_1 } from '../../engine/kernels/v6_1.ts';
import type { Scenario } from '../../engine/types.ts';
import { parseScenario } from '../../engine/scenario/parse.ts';
import { presetById } from '../../engine/scenario/presets.ts';

/**
 * Ready questions for "Predict, then reveal", easiest first: each a scenario small enough to
 * guess page by page and one sentence of what is asked. The first four are written here; the
 * last two are presets (their files are in public/scenarios/).
 */
export interface Question {
  id: string;
  title: string;
  level: 'warm-up' | 'easy' | 'medium' | 'hard';
  /** What the driver asks for, in words: the question itself. */
  prompt: string;
  file: object;
}

const anon8 = (cpu: Record<string, string>) => ({
  format: 1,
  kernel: v6_1.id,
  call: 'hmm_range_fault',
  range: { start: '0x7f0000000000', pages: 8 },
  vmas: [{ from: 0, pages: 8, prot: 'rw', backing: 'anon' }],
  cpu,
});

function preset(id: string): object {
  const p = presetById(id);
  if (!p) throw new Error(`no preset ${id}`);
  return p.file;
}

export const QUESTIONS: readonly Question[] = [
  {
    id: 'read-range',
    title: 'Read the whole range',
    level: 'warm-up',
    prompt:
      'default_flags = VALID, pfn_flags_mask = 0: the driver wants every page with at least read. Pages 0-3 are mapped writable, 4-7 never touched.',
    file: {
      ...anon8({ '0-3': 'rw' }),
      title: 'Read the whole range',
      defaultFlags: ['REQ_FAULT'],
      pfnFlagsMask: [],
    },
  },
  {
    id: 'one-write',
    title: 'The mask lets page 5 ask for write',
    level: 'easy',
    prompt:
      'default_flags = VALID, pfn_flags_mask = WRITE, pfns[5] = WRITE. Every page is mapped read-only and owned by this process.',
    file: {
      ...anon8({ '0-7': 'ro' }),
      title: 'The mask lets page 5 ask for write',
      defaultFlags: ['REQ_FAULT'],
      pfnFlagsMask: ['REQ_WRITE'],
      requests: { '5': ['REQ_WRITE'] },
    },
  },
  {
    id: 'mask-zero',
    title: 'The same request, pfn_flags_mask = 0',
    level: 'easy',
    prompt: 'As before (pfns[5] = WRITE, every page read-only), but pfn_flags_mask = 0.',
    file: {
      ...anon8({ '0-7': 'ro' }),
      title: 'The same request, pfn_flags_mask = 0',
      defaultFlags: ['REQ_FAULT'],
      pfnFlagsMask: [],
      requests: { '5': ['REQ_WRITE'] },
    },
  },
  {
    id: 'gap-early',
    title: 'A missing page early in the chunk',
    level: 'medium',
    prompt:
      'default_flags = VALID, pfn_flags_mask = WRITE, pfns[6] = WRITE. Page 1 was never touched, page 4 is the zero page, the rest are mapped.',
    file: {
      ...anon8({ '0': 'rw', '2-3': 'rw', '4': 'zero', '5-7': 'ro' }),
      title: 'A missing page early in the chunk',
      defaultFlags: ['REQ_FAULT'],
      pfnFlagsMask: ['REQ_WRITE'],
      requests: { '6': ['REQ_WRITE'] },
    },
  },
  {
    id: 'fork',
    title: 'One write request after fork()',
    level: 'hard',
    prompt:
      'Every page is shared with a child after fork(). default_flags = VALID, pfn_flags_mask = WRITE, pfns[2] = WRITE. Mind the driver’s retry.',
    file: preset('cow-after-fork'),
  },
  {
    id: 'v52-lost',
    title: 'Linux 5.2: a read fault before a write request',
    level: 'hard',
    prompt:
      'Linux 5.2, a file mapping: pages 0-3 mapped read-only, the rest never touched. default_flags = VALID, pfn_flags_mask = WRITE, pfns[6] = WRITE.',
    file: preset('v5.2-request-lost-in-chunk'),
  },
];

export function questionScenario(q: Question): Scenario {
  const r = parseScenario(q.file);
  if (!r.ok) throw new Error(`question ${q.id} does not parse: ${r.problems.join('; ')}`);
  return { ...r.scenario, title: q.title };
}

export function questionByNumber(n: number): Question | undefined {
  return Number.isInteger(n) ? QUESTIONS[n - 1] : undefined;
}
