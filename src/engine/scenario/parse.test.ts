import { describe, expect, test } from 'vitest';
import { CPU_STATES, DEVICE_STATES } from '../types.ts';
import { ALL_ONES, presetLayout } from './layout.ts';
import { parseScenario, parseScenarioText, scenarioToFile } from './parse.ts';

const START = '0x7f0000000000';

/** A valid v6 scenario: 16 private anonymous rw pages, read-fault everything. */
const base = (): Record<string, unknown> => ({
  format: 1,
  kernel: 'v6',
  call: 'hmm_range_fault',
  range: { start: START, pages: 16 },
  vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'anon' }],
  cpu: {},
  defaultFlags: ['REQ_FAULT'],
  pfnFlagsMask: [],
  requests: {},
});
const v52 = (): Record<string, unknown> => ({ ...base(), kernel: 'v5.2', defaultFlags: ['VALID'] });

function problems(input: Record<string, unknown>): string[] {
  const r = parseScenario(input);
  return r.ok ? [] : r.problems;
}
function ok(input: Record<string, unknown>) {
  const r = parseScenario(input);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.scenario;
}
const vma = (extra: Record<string, unknown> = {}) => ({
  from: 0,
  pages: 16,
  prot: 'rw',
  backing: 'anon',
  ...extra,
});
const code = (s: (typeof CPU_STATES)[number]) => CPU_STATES.indexOf(s);

describe('a valid scenario', () => {
  test('normalizes with every default filled in', () => {
    const s = ok(base());
    expect(s).toStrictEqual({
      format: 1,
      title: '',
      kernel: 'v6',
      call: 'hmm_range_fault',
      block: true,
      timeout: 0,
      range: { start: 0x7f0000000000n, pages: 16 },
      vmas: [
        {
          from: 0,
          pages: 16,
          prot: 'rw',
          backing: 'anon',
          shared: false,
          special: null,
          thp: false,
          allocFails: false,
          uffd: null,
        },
      ],
      cpu: new Uint8Array(16),
      layout: presetLayout('seed'),
      devicePrivateOwner: 'this',
      defaultFlags: 1n << 63n,
      pfnFlagsMask: 0n,
      requests: new BigUint64Array(16),
      concurrent: [],
      driverLoop: true,
      device: new Uint8Array(16),
    });
  });

  test('the minimal file: format, kernel, range and vmas', () => {
    const s = ok({ format: 1, kernel: 'v6', range: { start: START, pages: 1 }, vmas: [] });
    expect(s.call).toBe('hmm_range_fault');
    expect(s.defaultFlags).toBe(0n);
    expect(s.pfnFlagsMask).toBe(0n);
  });
});

describe('format, title, unknown fields', () => {
  test('format must be 1', () => {
    expect(problems({ ...base(), format: 2 })).toEqual(['format: expected 1, got 2']);
  });
  test('required fields', () => {
    const { kernel: _k, range: _r, ...rest } = base();
    expect(problems(rest)).toEqual(['kernel: required field is missing', 'range: required field is missing']);
  });
  test('title is a string', () => {
    expect(ok({ ...base(), title: 'T' }).title).toBe('T');
    expect(problems({ ...base(), title: 5 })).toEqual(['title: expected a string, got 5']);
  });
  test('unknown fields are an error, at any depth', () => {
    expect(problems({ ...base(), foo: 1 })).toEqual(['foo: unknown field']);
    expect(problems({ ...base(), range: { start: START, pages: 16, end: 1 } })).toEqual([
      'range.end: unknown field',
    ]);
    expect(problems({ ...base(), vmas: [vma({ name: 'x' })] })).toEqual(['vmas.0.name: unknown field']);
  });
  test('the top level must be an object', () => {
    expect(parseScenario(5)).toEqual({ ok: false, problems: ['(root): expected an object, got 5'] });
    expect(parseScenario([])).toEqual({ ok: false, problems: ['(root): expected an object, got a list'] });
    expect(parseScenario(null)).toEqual({ ok: false, problems: ['(root): expected an object, got null'] });
  });
  test('a "__proto__" key is just an unknown field', () => {
    expect(
      problems(
        JSON.parse(
          '{"format":1,"kernel":"v6","range":{"start":"0x1000","pages":1},"vmas":[],"__proto__":{}}',
        ),
      ),
    ).toEqual(['__proto__: unknown field']);
    expect(({} as Record<string, unknown>).rw).toBeUndefined();
  });
  test.each(['cpu', 'requests', 'device'])('a %s key that is not a page is rejected with its path', (map) => {
    for (const key of ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
      const bad = JSON.parse(`{"${key}": "bogus-state"}`) as Record<string, unknown>;
      expect(problems({ ...base(), [map]: bad })).toContain(
        `${map}.${key}: expected a page "N" or an inclusive range "a-b" (decimal, no leading zeros)`,
      );
    }
    // Nothing leaked onto every object on the way.
    expect(({} as Record<string, unknown>)['bogus-state']).toBeUndefined();
  });
});

describe('kernel and call', () => {
  test('kernel is v5.2 or v6', () => {
    expect(problems({ ...base(), kernel: 'v7' })).toEqual([
      'kernel: expected one of "v5.2" | "v6" | "v6.12" | "v7.3", got "v7"',
    ]);
  });
  test('v6 has only hmm_range_fault', () => {
    expect(problems({ ...base(), call: 'hmm_range_snapshot' })).toEqual([
      'call: Linux 6.1 ("v6") has only "hmm_range_fault"; "hmm_range_snapshot" is a call of "v5.2" (Linux 5.2)',
    ]);
    expect(problems({ ...base(), call: 'hmm_vma_fault' })).toEqual([
      'call: Linux 6.1 ("v6") has only "hmm_range_fault"; "hmm_vma_fault" is a call of "v5.2" (Linux 5.2)',
    ]);
  });
  test('v5.2 has all three calls', () => {
    for (const call of ['hmm_range_fault', 'hmm_range_snapshot', 'hmm_vma_fault'])
      expect(ok({ ...v52(), call }).call).toBe(call);
    expect(problems({ ...v52(), call: 'hmm_fault' })).toEqual([
      'call: expected one of "hmm_range_fault" | "hmm_range_snapshot" | "hmm_vma_fault" | "hmm_range_fault_unlocked_timeout", got "hmm_fault"',
    ]);
  });
  test('block: v5.2 only, default true', () => {
    expect(ok(v52()).block).toBe(true);
    expect(ok({ ...v52(), block: false }).block).toBe(false);
    expect(problems({ ...base(), block: true })).toEqual([
      'block: only "v5.2" (Linux 5.2) has the block argument; Linux 6.1\'s hmm_range_fault(range) has none',
    ]);
    expect(problems({ ...v52(), block: 'yes' })).toEqual(['block: expected true or false, got "yes"']);
  });
});

describe('range', () => {
  const range = (start: unknown, pages: unknown) =>
    problems({ ...base(), range: { start, pages }, vmas: [] });
  test('start is a page-aligned hex string in 47-bit user space', () => {
    expect(range('0x7ffffffff000', 1)).toEqual([]);
    expect(range('0x0', 1)).toEqual([]);
    expect(range('7f0000000000', 1)).toEqual([
      'range.start: expected a hex address string like "0x7f0000000000"',
    ]);
    expect(range(4096, 1)).toEqual(['range.start: expected a string, got 4096']);
    expect(range('0x7f0000000010', 1)).toEqual([
      'range.start: 0x7f0000000010 is not page aligned (4096 bytes)',
    ]);
    expect(range('0x800000000000', 1)).toEqual([
      'range.start: 0x800000000000 is outside x86-64 user space, which is 47 bits (below 0x800000000000)',
    ]);
  });
  test('pages is 1 .. 1048576 and the range ends inside user space', () => {
    expect(range(START, 1048576)).toEqual([]);
    expect(range(START, 0)).toEqual(['range.pages: a range has at least 1 page']);
    expect(range(START, 1048577)).toEqual(['range.pages: a range has at most 1048576 pages (4 GiB)']);
    expect(range(START, 1.5)).toEqual(['range.pages: expected an integer, got 1.5']);
    expect(range('0x7ffffffff000', 2)).toEqual([
      'range.pages: the range would end at 0x800000001000, beyond x86-64 user space, which is 47 bits (up to 0x800000000000)',
    ]);
  });
});

describe('vmas', () => {
  test('defaults, and sorted by from', () => {
    const s = ok({
      ...base(),
      vmas: [vma({ from: 8, pages: 8 }), vma({ from: 0, pages: 8, prot: 'r', shared: true })],
    });
    expect(s.vmas.map((v) => [v.from, v.prot, v.shared, v.special, v.thp])).toEqual([
      [0, 'r', true, null, false],
      [8, 'rw', false, null, false],
    ]);
  });
  test('field values', () => {
    expect(problems({ ...base(), vmas: [vma({ prot: 'x' })] })).toEqual([
      'vmas.0.prot: expected one of "" | "r" | "rw" | "w", got "x"',
    ]);
    expect(problems({ ...base(), vmas: [vma({ backing: 'shm' })] })).toEqual([
      'vmas.0.backing: expected one of "anon" | "file", got "shm"',
    ]);
    expect(problems({ ...base(), vmas: [vma({ pages: 0 })] })).toEqual([
      'vmas.0.pages: a vma has at least 1 page',
    ]);
    expect(problems({ ...base(), vmas: [vma({ from: 0.5 })] })).toEqual([
      'vmas.0.from: expected an integer, got 0.5',
    ]);
    expect(problems({ ...base(), vmas: [vma({ special: 'dax' })] })).toEqual([
      'vmas.0.special: expected one of "io" | "pfnmap" | "mixedmap" | "hugetlb", got "dax"',
    ]);
    expect(problems({ ...base(), vmas: [vma({ shared: 1 })] })).toEqual([
      'vmas.0.shared: expected true or false, got 1',
    ]);
    for (const prot of ['', 'r', 'rw', 'w'])
      expect(ok({ ...base(), vmas: [vma({ prot })] }).vmas[0].prot).toBe(prot);
  });
  test('vmas must not overlap', () => {
    expect(problems({ ...base(), vmas: [vma({ from: 4, pages: 4 }), vma({ from: 0, pages: 8 })] })).toEqual([
      'vmas.0: overlaps vmas.1 (pages 0 to 7)',
    ]);
    expect(
      ok({ ...base(), vmas: [vma({ from: 0, pages: 8 }), vma({ from: 8, pages: 8, prot: 'r' })] }).vmas,
    ).toHaveLength(2);
  });
  test('thp only on private anonymous vmas without special', () => {
    expect(ok({ ...base(), vmas: [vma({ thp: true })] }).vmas[0].thp).toBe(true);
    expect(problems({ ...base(), vmas: [vma({ thp: true, backing: 'file' })] })).toEqual([
      'vmas.0.thp: only a private anonymous vma without "special" can have THP; this one is private file',
    ]);
    expect(problems({ ...base(), vmas: [vma({ thp: true, shared: true })] })).toEqual([
      'vmas.0.thp: only a private anonymous vma without "special" can have THP; this one is shared anonymous (shmem)',
    ]);
    expect(problems({ ...base(), vmas: [vma({ thp: true, special: 'pfnmap' })] })).toEqual([
      'vmas.0.thp: only a private anonymous vma without "special" can have THP; this one is private anonymous, special "pfnmap"',
    ]);
  });
  test('a vma stays inside 0 .. 2^47', () => {
    expect(problems({ ...base(), vmas: [vma({ from: -0x7f0000001, pages: 16 })] })).toEqual([
      'vmas.0: starts below address 0 (range.start 0x7f0000000000 + page -34091302913)',
    ]);
    expect(ok({ ...base(), vmas: [vma({ from: -0x7f0000000, pages: 0x7f0000010 })] }).vmas[0].from).toBe(
      -0x7f0000000,
    );
    expect(problems({ ...base(), vmas: [vma({ from: 0, pages: 0x10000001 })] })).toEqual([
      'vmas.0: ends at 0x800000001000, beyond x86-64 user space, which is 47 bits (up to 0x800000000000)',
    ]);
  });
  test('hugetlb vmas are 2 MiB aligned and sized', () => {
    expect(ok({ ...base(), vmas: [vma({ pages: 512, special: 'hugetlb' })] }).vmas[0].special).toBe(
      'hugetlb',
    );
    expect(problems({ ...base(), vmas: [vma({ from: 1, pages: 512, special: 'hugetlb' })] })).toEqual([
      'vmas.0: a hugetlb vma must start on a 2 MiB boundary; it starts at 0x7f0000001000',
    ]);
    expect(problems({ ...base(), vmas: [vma({ pages: 16, special: 'hugetlb' })] })).toEqual([
      'vmas.0.pages: a hugetlb vma is made of 2 MiB pages (512 small pages each); 16 is not a multiple of 512',
    ]);
  });
});

describe('page keys (cpu, requests, device)', () => {
  test('"N" and "a-b" inclusive', () => {
    const s = ok({ ...base(), cpu: { '0-3': 'rw', '5': 'ro', '15': 'zero' } });
    expect([...s.cpu]).toEqual([
      ...Array(4).fill(code('rw')),
      0,
      code('ro'),
      ...Array(9).fill(0),
      code('zero'),
    ]);
  });
  test('malformed keys', () => {
    const bad = 'expected a page "N" or an inclusive range "a-b" (decimal, no leading zeros)';
    expect(problems({ ...base(), cpu: { x: 'rw' } })).toEqual([`cpu.x: ${bad}`]);
    expect(problems({ ...base(), cpu: { '05': 'rw' } })).toEqual([`cpu.05: ${bad}`]);
    expect(problems({ ...base(), cpu: { '-1': 'rw' } })).toEqual([`cpu.-1: ${bad}`]);
    expect(problems({ ...base(), requests: { '1 - 3': ['REQ_FAULT'] } })).toEqual([`requests.1 - 3: ${bad}`]);
    expect(problems({ ...base(), device: { '5-3': 'rw' } })).toEqual([
      'device.5-3: a range "a-b" needs a <= b',
    ]);
  });
  test('keys must not overlap', () => {
    expect(problems({ ...base(), cpu: { '0-3': 'rw', '3': 'ro' } })).toEqual(['cpu.3: overlaps key "0-3"']);
    expect(problems({ ...base(), requests: { '0-9': ['REQ_WRITE'], '2-4': ['REQ_WRITE'] } })).toEqual([
      'requests.2-4: overlaps key "0-9"',
    ]);
  });
  test('keys must name range pages', () => {
    expect(problems({ ...base(), requests: { '17': ['REQ_WRITE'] } })).toEqual([
      'requests.17: page 17 is outside the range of 16 pages',
    ]);
    expect(problems({ ...base(), device: { '10-20': 'rw' } })).toEqual([
      'device.10-20: pages 10-20 reach outside the range of 16 pages',
    ]);
    expect(problems({ ...base(), range: { start: START, pages: 1 }, cpu: { '1': 'rw' } })).toEqual([
      'cpu.1: page 1 is outside the range of 1 page',
    ]);
  });
  test('device states', () => {
    const s = ok({ ...base(), device: { '0-1': 'rw', '2': 'ro', '3': 'none' } });
    expect([...s.device.slice(0, 5)]).toEqual(
      ['rw', 'rw', 'ro', 'none', 'none'].map((d) => DEVICE_STATES.indexOf(d as 'rw')),
    );
    expect(problems({ ...base(), device: { '0': 'wr' } })).toEqual([
      'device.0: expected one of "none" | "ro" | "rw", got "wr"',
    ]);
  });
});

describe('CPU states must fit their vma', () => {
  const states = (
    cpu: Record<string, string>,
    vmas: unknown[] = [vma()],
    range = { start: START, pages: 16 },
  ) => problems({ ...base(), range, vmas, cpu });
  test('every state name of the format', () => {
    expect(states({ '0': 'dirty' })[0]).toMatch(
      /^cpu\.0: expected one of "none" \| "ro" \| "rw" \| .* got "dirty"$/,
    );
  });
  test('a page with no vma can only be none', () => {
    const vmas = [vma({ pages: 8 })];
    expect(states({ '8-15': 'none' }, vmas)).toEqual([]);
    expect(states({ '6-9': 'ro' }, vmas)).toEqual([
      'cpu.6-9: page 8 has no vma, so it can only be "none", not "ro"',
    ]);
  });
  test('zero: private anonymous only', () => {
    expect(states({ '0': 'zero' })).toEqual([]);
    expect(states({ '0': 'zero' }, [vma({ shared: true })])).toEqual([
      'cpu.0: "zero" (the shared zero page) only exists in private anonymous vmas; vmas.0 is shared anonymous (shmem)',
    ]);
    expect(states({ '0': 'zero' }, [vma({ backing: 'file' })])).toEqual([
      'cpu.0: "zero" (the shared zero page) only exists in private anonymous vmas; vmas.0 is private file',
    ]);
  });
  test('cow and swap: private mappings only', () => {
    expect(states({ '0': 'cow', '1': 'swap' }, [vma({ backing: 'file' })])).toEqual([]);
    expect(states({ '0': 'cow' }, [vma({ shared: true })])).toEqual([
      'cpu.0: "cow" only exists in private mappings; vmas.0 is shared anonymous (shmem)',
    ]);
    expect(states({ '0': 'swap' }, [vma({ shared: true, backing: 'file' })])).toEqual([
      'cpu.0: "swap" only exists in private mappings; vmas.0 is shared file',
    ]);
  });
  test('writable states need VM_WRITE', () => {
    expect(states({ '0': 'rw', '1': 'devpriv-rw' }, [vma({ prot: 'w' })])).toEqual([]);
    expect(states({ '0-3': 'rw' }, [vma({ prot: 'r' })])).toEqual([
      'cpu.0-3: "rw" is a writable entry, which needs a writable vma (VM_WRITE); vmas.0 has prot "r"',
    ]);
    expect(states({ '0': 'devpriv-other-rw' }, [vma({ prot: '' })])).toEqual([
      'cpu.0: "devpriv-other-rw" is a writable entry, which needs a writable vma (VM_WRITE); vmas.0 has prot ""',
    ]);
  });
  test('devpriv: private anonymous only', () => {
    expect(states({ '0': 'devpriv', '1': 'devpriv-other' })).toEqual([]);
    expect(states({ '0': 'devpriv' }, [vma({ backing: 'file' })])).toEqual([
      'cpu.0: "devpriv" (a page migrated to device memory) only exists in private anonymous vmas; vmas.0 is private file',
    ]);
    expect(states({ '0': 'devpriv-other' }, [vma({ shared: true })])).toEqual([
      'cpu.0: "devpriv-other" (a page migrated to device memory) only exists in private anonymous vmas; vmas.0 is shared anonymous (shmem)',
    ]);
  });
  test('thp states: a thp vma whose 2 MiB block lies wholly inside it', () => {
    const thp = [vma({ pages: 512, thp: true })];
    expect(states({ '0-15': 'thp-rw' }, thp)).toEqual([]);
    expect(states({ '0-15': 'thp-zero' }, [vma({ from: 0, pages: 1024, thp: true, prot: 'r' })])).toEqual([]);
    expect(states({ '0-15': 'thp-ro' }, [vma({ pages: 512 })])).toEqual([
      'cpu.0-15: "thp-ro" is a huge pmd, which needs a vma with "thp": true (vmas.0 has none)',
    ]);
    expect(states({ '0-15': 'thp-ro' }, [vma({ pages: 511, thp: true })])).toEqual([
      'cpu.0-15: "thp-ro" is a huge pmd, whose 2 MiB block (0x7f0000000000 to 0x7f0000200000) must lie wholly inside its vma (vmas.0)',
    ]);
    expect(states({ '0-15': 'thp-rw' }, [vma({ pages: 512, thp: true, prot: 'r' })])).toEqual([
      'cpu.0-15: "thp-rw" is a writable entry, which needs a writable vma (VM_WRITE); vmas.0 has prot "r"',
    ]);
  });
  test('thp states: one state for all range pages of a block', () => {
    const thp = [vma({ pages: 512, thp: true })];
    expect(states({ '0-7': 'thp-rw', '8-15': 'thp-ro' }, thp)).toEqual([
      'cpu.0-7: a huge pmd ("thp-rw") maps the whole 2 MiB block, so its range pages 0-15 must all be "thp-rw"; page 8 is "thp-ro"',
    ]);
    expect(states({ '4-15': 'thp-rw' }, thp)).toEqual([
      'cpu.4-15: a huge pmd ("thp-rw") maps the whole 2 MiB block, so its range pages 0-15 must all be "thp-rw"; page 0 is "none"',
    ]);
    // A range that starts 8 pages before a block boundary: the first block holds small pages.
    const range = { start: '0x7f00001f8000', pages: 16 };
    const vmas = [vma({ from: -504, pages: 1024, thp: true })];
    expect(states({ '0-7': 'rw', '8-15': 'thp-rw' }, vmas, range)).toEqual([]);
  });
  test('hugetlb: none, ro, rw or cow, one state per 2 MiB page', () => {
    const huge = [vma({ pages: 1024, special: 'hugetlb' })];
    const range = { start: START, pages: 1024 };
    expect(states({ '0-511': 'ro', '512-1023': 'rw' }, huge, range)).toEqual([]);
    expect(states({ '0': 'zero' }, huge, range)).toEqual([
      'cpu.0: "zero" cannot be in a hugetlb vma (vmas.0): a huge pte is "none", "ro", "rw" or "cow"',
    ]);
    expect(states({ '0': 'protnone' }, huge, range)).toEqual([
      'cpu.0: "protnone" cannot be in a hugetlb vma (vmas.0): a huge pte is "none", "ro", "rw" or "cow"',
    ]);
    expect(states({ '0-511': 'ro', '600': 'rw' }, huge, range)).toEqual([
      'cpu.600: a hugetlb page maps the whole 2 MiB block, so its range pages 512-1023 must all be "rw"; page 512 is "none"',
    ]);
    // A private huge page fork left shared with the child; a shared mapping has no such page.
    expect(states({ '0-511': 'cow' }, huge, range)).toEqual([]);
    expect(
      states({ '0-511': 'cow' }, [vma({ pages: 1024, special: 'hugetlb', shared: true })], range),
    ).toEqual([
      'cpu.0-511: "cow" only exists in private mappings; vmas.0 is shared anonymous (shmem), special "hugetlb"',
    ]);
  });
  test('all problems are reported, in page order', () => {
    expect(states({ '9': 'zero', '0-3': 'rw', '12': 'cow' }, [vma({ prot: 'r', shared: true })])).toEqual([
      'cpu.0-3: "rw" is a writable entry, which needs a writable vma (VM_WRITE); vmas.0 has prot "r"',
      'cpu.9: "zero" (the shared zero page) only exists in private anonymous vmas; vmas.0 is shared anonymous (shmem)',
      'cpu.12: "cow" only exists in private mappings; vmas.0 is shared anonymous (shmem)',
    ]);
  });
});

describe('flags', () => {
  test('v6 names: REQ_FAULT, REQ_WRITE, and VALID, WRITE for the same bits', () => {
    const s = ok({ ...base(), defaultFlags: ['REQ_FAULT', 'REQ_WRITE'], pfnFlagsMask: ['VALID', 'WRITE'] });
    expect(s.defaultFlags).toBe(0xc000000000000000n);
    expect(s.pfnFlagsMask).toBe(0xc000000000000000n);
    expect(problems({ ...base(), defaultFlags: ['FAULT'] })).toEqual([
      'defaultFlags.0: unknown flag "FAULT": Linux 6.1 names are REQ_FAULT, REQ_WRITE (VALID and WRITE name the same bits)',
    ]);
    expect(problems({ ...base(), requests: { '3': ['REQ_WRITE', 'DEVICE_PRIVATE'] } })).toEqual([
      'requests.3.1: unknown flag "DEVICE_PRIVATE": Linux 6.1 names are REQ_FAULT, REQ_WRITE (VALID and WRITE name the same bits)',
    ]);
  });
  test('one hex string, up to 64 bits', () => {
    const s = ok({
      ...base(),
      defaultFlags: '0x8000000000000000',
      requests: { '2-3': '0xFFFFFFFFFFFFFFFF' },
    });
    expect(s.defaultFlags).toBe(1n << 63n);
    expect([...s.requests.slice(0, 5)]).toEqual([0n, 0n, ALL_ONES, ALL_ONES, 0n]);
    const help = 'expected a list of flag names or one hex string "0x..." (at most 16 digits)';
    expect(problems({ ...base(), defaultFlags: '0x10000000000000000' })).toEqual([`defaultFlags: ${help}`]);
    expect(problems({ ...base(), defaultFlags: 'REQ_FAULT' })).toEqual([`defaultFlags: ${help}`]);
    expect(problems({ ...base(), requests: { '1': 7 } })).toEqual([`requests.1: ${help}`]);
    expect(problems({ ...base(), requests: { '1': ['REQ_FAULT', 3] } })).toEqual([
      'requests.1.1: expected a string, got 3',
    ]);
  });
  test('pfnFlagsMask also takes "all"', () => {
    expect(ok({ ...base(), pfnFlagsMask: 'all' }).pfnFlagsMask).toBe(ALL_ONES);
    expect(problems({ ...base(), pfnFlagsMask: 'ALL' })).toEqual([
      'pfnFlagsMask: expected "all", a list of flag names or one hex string "0x..." (at most 16 digits)',
    ]);
    expect(problems({ ...base(), defaultFlags: 'all' })).toEqual([
      'defaultFlags: expected a list of flag names or one hex string "0x..." (at most 16 digits)',
    ]);
  });
  test('v5.2 names resolve through the driver layout', () => {
    const seed = ok({
      ...v52(),
      defaultFlags: ['VALID'],
      pfnFlagsMask: ['WRITE'],
      requests: { '5': ['WRITE'] },
    });
    expect([seed.defaultFlags, seed.pfnFlagsMask, seed.requests[5]]).toEqual([
      1n << 63n,
      1n << 62n,
      1n << 62n,
    ]);
    const nouveau = ok({ ...v52(), driver: 'nouveau', defaultFlags: ['VALID', 'WRITE', 'DEVICE_PRIVATE'] });
    expect(nouveau.defaultFlags).toBe(0x13n);
    expect(problems({ ...v52(), defaultFlags: ['VALID', 'DEVICE_PRIVATE'] })).toEqual([
      'defaultFlags.1: DEVICE_PRIVATE is 0 in the seed layout, so it names no bit',
    ]);
    expect(problems({ ...v52(), driver: 'amdgpu', requests: { '0': ['REQ_FAULT'] } })).toEqual([
      'requests.0.0: "REQ_FAULT" is a name of the fixed hmm_pfns layout of later kernels; the amdgpu layout names VALID, WRITE',
    ]);
    expect(problems({ ...v52(), pfnFlagsMask: ['READ'] })).toEqual([
      'pfnFlagsMask.0: unknown flag "READ": the seed layout names VALID, WRITE',
    ]);
  });
  test('defaults: 0 and 0, except hmm_vma_fault whose wrapper sets mask ~0', () => {
    const { defaultFlags: _d, pfnFlagsMask: _m, ...rest } = v52();
    expect([ok(rest).defaultFlags, ok(rest).pfnFlagsMask]).toEqual([0n, 0n]);
    const s = ok({ ...rest, call: 'hmm_vma_fault' });
    expect([s.defaultFlags, s.pfnFlagsMask]).toEqual([0n, ALL_ONES]);
  });
});

describe('driver', () => {
  const layout = (over: Record<string, unknown> = {}) => ({
    flags: { VALID: '0x1', WRITE: '0x2', DEVICE_PRIVATE: '0x0' },
    values: { ERROR: '0xfffffffffffffffe', NONE: '0x0', SPECIAL: '0xfffffffffffffffe' },
    pfnShift: 12,
    ...over,
  });
  test('v5.2: seed by default, or a preset name', () => {
    expect(ok(v52()).layout).toEqual(presetLayout('seed'));
    for (const name of ['seed', 'nouveau', 'amdgpu'] as const)
      expect(ok({ ...v52(), driver: name }).layout).toEqual(presetLayout(name));
    expect(problems({ ...v52(), driver: 'radeon' })).toEqual([
      'driver: expected "seed" | "nouveau" | "amdgpu", a layout {flags, values, pfnShift} (v5.2) or {devicePrivateOwner} (v6)',
    ]);
  });
  test('the preset layouts (hmm-semantics.md 1.A; seed: this project)', () => {
    expect(presetLayout('seed')).toEqual({
      name: 'seed',
      flags: { VALID: 1n << 63n, WRITE: 1n << 62n, DEVICE_PRIVATE: 0n },
      values: { ERROR: 1n << 61n, NONE: 0n, SPECIAL: 1n << 60n },
      pfnShift: 0,
    });
    expect(presetLayout('nouveau')).toEqual({
      name: 'nouveau',
      flags: { VALID: 1n, WRITE: 2n, DEVICE_PRIVATE: 0x10n },
      values: { ERROR: 0xfffffffffffffffen, NONE: 0n, SPECIAL: 0xfffffffffffffffen },
      pfnShift: 12,
    });
    expect(presetLayout('amdgpu')).toEqual({
      name: 'amdgpu',
      flags: { VALID: 1n, WRITE: 2n, DEVICE_PRIVATE: 0n },
      values: { ERROR: 0xfffffffffffffffen, NONE: 0n, SPECIAL: 0xfffffffffffffffcn },
      pfnShift: 12,
    });
  });
  test('v5.2: a layout object', () => {
    expect(ok({ ...v52(), driver: layout() }).layout).toEqual({
      ...presetLayout('amdgpu'),
      name: 'custom',
      values: { ERROR: 0xfffffffffffffffen, NONE: 0n, SPECIAL: 0xfffffffffffffffen },
    });
    expect(problems({ ...v52(), driver: { flags: { VALID: '0x1', WRITE: '0x2' } } })).toEqual([
      'driver.flags.DEVICE_PRIVATE: required field is missing',
    ]);
    expect(
      problems({ ...v52(), driver: { flags: { VALID: '0x1', WRITE: '0x2', DEVICE_PRIVATE: '0x0' } } }),
    ).toEqual([
      'driver.values: required field is missing (a layout has flags, values and pfnShift)',
      'driver.pfnShift: required field is missing (a layout has flags, values and pfnShift)',
    ]);
    expect(problems({ ...v52(), driver: layout({ pfnShift: 64 }) })).toEqual([
      'driver.pfnShift: pfnShift is 0 .. 63',
    ]);
    expect(
      problems({
        ...v52(),
        driver: layout({ flags: { VALID: '0x0', WRITE: '0x3', DEVICE_PRIVATE: '0x2' } }),
      }),
    ).toEqual([
      'driver.flags.VALID: must not be 0',
      'driver.flags.DEVICE_PRIVATE: shares bits with WRITE (0x3)',
    ]);
    expect(
      problems({ ...v52(), driver: layout({ values: { ERROR: '0x0', NONE: '0x0', SPECIAL: '0x3' } }) }),
    ).toEqual([
      'driver.values.ERROR: must differ from NONE (a driver may alias ERROR and SPECIAL, never NONE with either)',
      'driver.values.SPECIAL: has the VALID bit (0x1) set, so it would read as a pfn',
    ]);
    expect(
      problems({
        ...v52(),
        driver: layout({ flags: { VALID: 'one', WRITE: '0x2', DEVICE_PRIVATE: '0x0' } }),
      }),
    ).toEqual(['driver.flags.VALID: expected a hex string "0x..." of at most 16 digits (64 bits)']);
  });
  test('v5.2 has no devicePrivateOwner; v6 has nothing else', () => {
    expect(problems({ ...v52(), driver: { devicePrivateOwner: 'this' } })).toEqual([
      'driver: Linux 5.2 has no dev_private_owner; give a layout name ("seed", "nouveau", "amdgpu") or {flags, values, pfnShift}',
    ]);
    const v6only =
      'driver: Linux 6.1 fixes the pfn layout in the kernel; "driver" can only be {"devicePrivateOwner": "this" | "none"}';
    expect(problems({ ...base(), driver: 'seed' })).toEqual([v6only]);
    expect(problems({ ...base(), driver: layout() })).toEqual([v6only]);
    expect(problems({ ...base(), driver: { ...layout(), devicePrivateOwner: 'this' } })).toEqual([
      'driver: give either {devicePrivateOwner} (v6) or a layout {flags, values, pfnShift} (v5.2), not both',
    ]);
  });
  test('v6: devicePrivateOwner, default "this"; the layout is the seed one (ignored)', () => {
    expect(ok(base()).devicePrivateOwner).toBe('this');
    const s = ok({ ...base(), driver: { devicePrivateOwner: 'none' } });
    expect(s.devicePrivateOwner).toBe('none');
    expect(s.layout).toEqual(presetLayout('seed'));
    expect(problems({ ...base(), driver: { devicePrivateOwner: 'other' } })).toEqual([
      'driver.devicePrivateOwner: expected one of "this" | "none", got "other"',
    ]);
  });
});

describe('concurrent, driverLoop', () => {
  test('events', () => {
    const s = ok({
      ...base(),
      concurrent: [
        { at: 'after-fault', n: 3, op: 'munmap', pages: '2-3' },
        { at: 'before-program', op: 'swap-out', pages: '7' },
      ],
    });
    expect(s.concurrent).toEqual([
      { at: 'after-fault', n: 3, op: 'munmap', from: 2, to: 3, repeat: false, lasts: false },
      { at: 'before-program', n: 1, op: 'swap-out', from: 7, to: 7, repeat: false, lasts: false },
    ]);
  });
  test('bad events', () => {
    const ev = (e: Record<string, unknown>) =>
      problems({ ...base(), concurrent: [{ at: 'before-call', op: 'fork', pages: '0', ...e }] });
    expect(ev({ n: 0 })).toEqual(['concurrent.0.n: n counts handle_mm_fault calls from 1']);
    expect(ev({ op: 'mremap' })[0]).toMatch(
      /^concurrent\.0\.op: expected one of "munmap" \| .*, got "mremap"$/,
    );
    expect(ev({ at: 'later' })).toEqual([
      'concurrent.0.at: expected one of "before-call" | "after-fault" | "before-program" | "after-program", got "later"',
    ]);
    expect(ev({ pages: '20-21' })).toEqual([
      'concurrent.0.pages: pages 20-21 reach outside the range of 16 pages',
    ]);
    expect(ev({ pages: 3 })).toEqual(['concurrent.0.pages: expected a string, got 3']);
  });
  test('driverLoop: default true', () => {
    expect(ok(base()).driverLoop).toBe(true);
    expect(ok({ ...base(), driverLoop: false }).driverLoop).toBe(false);
    expect(problems({ ...base(), driverLoop: 'no' })).toEqual([
      'driverLoop: expected true or false, got "no"',
    ]);
  });
});

describe('all problems at once', () => {
  test('structural and cross-field problems together', () => {
    expect(
      problems({
        ...base(),
        kernel: 'v6',
        call: 'hmm_vma_fault',
        vmas: [vma({ prot: 'r', pages: 8 })],
        cpu: { '0-1': 'rw', '9': 'ro', '5': 'bogus' },
        requests: { '17': ['REQ_WRITE'], '2': ['WRITE', 'X'] },
        extra: true,
      }),
    ).toEqual([
      'cpu.5: expected one of ' + CPU_STATES.map((s) => `"${s}"`).join(' | ') + ', got "bogus"',
      'extra: unknown field',
      'call: Linux 6.1 ("v6") has only "hmm_range_fault"; "hmm_vma_fault" is a call of "v5.2" (Linux 5.2)',
      'requests.2.1: unknown flag "X": Linux 6.1 names are REQ_FAULT, REQ_WRITE (VALID and WRITE name the same bits)',
      'requests.17: page 17 is outside the range of 16 pages',
    ]);
  });
});

describe('parseScenarioText', () => {
  test('a valid file', () => {
    expect(parseScenarioText(JSON.stringify(base())).ok).toBe(true);
  });
  test('a JSON syntax error is one line naming line and column', () => {
    expect(parseScenarioText('{\n  "format": 1\n  "kernel": "v6"\n}')).toEqual({
      ok: false,
      problems: ["line 3, column 3: invalid JSON (Expected ',' or '}' after property value)"],
    });
    expect(parseScenarioText('{"format": tru}')).toEqual({
      ok: false,
      problems: ["line 1, column 15: invalid JSON (Unexpected token '}')"],
    });
    expect(parseScenarioText('')).toEqual({
      ok: false,
      problems: ['line 1, column 1: invalid JSON (Unexpected end of JSON input)'],
    });
  });
  test('schema problems as from parseScenario', () => {
    expect(parseScenarioText('{"format": 1, "kernel": "v6", "vmas": []}')).toEqual({
      ok: false,
      problems: ['range: required field is missing'],
    });
  });
});

describe('Linux 6.12 and 7.3 (scenario-format.md, "Additions")', () => {
  test('"v6.12" and "v7.3" parse; v7.3 names the sticky DMA bits at 60, 59 and 58', () => {
    expect(ok({ ...base(), kernel: 'v6.12' }).kernel).toBe('v6.12');
    const s = ok({
      ...base(),
      kernel: 'v7.3',
      requests: { '1': ['REQ_FAULT', 'DMA_MAPPED', 'P2PDMA', 'P2PDMA_BUS'] },
    });
    expect(s.requests[1]).toBe((1n << 63n) | (0x7n << 58n));
  });
  test('a 7.3-only input bit on an older kernel names the kernel that has it', () => {
    expect(problems({ ...base(), kernel: 'v6.12', requests: { '2': ['REQ_FAULT', 'DMA_MAPPED'] } })).toEqual([
      'requests.2.1: DMA_MAPPED is not an input bit of Linux 6.12; only "v7.3" (Linux 7.3) has it (Linux 6.12 names REQ_FAULT, REQ_WRITE)',
    ]);
  });
  test('a 7.3-only CPU state on an older kernel names the kernel that has it', () => {
    expect(problems({ ...base(), cpu: { '0': 'guard', '1': 'uffd-wp' } })).toEqual([
      'cpu.0: "guard" exists only in "v7.3" (Linux 7.3), not in Linux 6.1 ("v6")',
      'cpu.1: "uffd-wp" exists only in "v7.3" (Linux 7.3), not in Linux 6.1 ("v6")',
    ]);
    expect(problems({ ...base(), kernel: 'v7.3', cpu: { '0': 'guard', '1': 'uffd-wp' } })).toEqual([]);
  });
  test('a device-private THP needs a THP vma and fills its block', () => {
    const thp = { vmas: [{ from: 0, pages: 512, prot: 'rw', backing: 'anon', thp: true }] };
    expect(problems({ ...base(), kernel: 'v7.3', ...thp, cpu: { '0-15': 'thp-devpriv-other' } })).toEqual([]);
    expect(problems({ ...base(), kernel: 'v7.3', cpu: { '0': 'thp-devpriv' } })).toEqual([
      'cpu.0: "thp-devpriv" is a huge pmd, which needs a vma with "thp": true (vmas.0 has none)',
    ]);
    expect(problems({ ...base(), kernel: 'v7.3', ...thp, cpu: { '0-3': 'thp-devpriv-rw' } })).toEqual([
      'cpu.0-3: a huge pmd ("thp-devpriv-rw") maps the whole 2 MiB block, so its range pages 0-15 must all be "thp-devpriv-rw"; page 4 is "none"',
    ]);
  });
  test('allocFails is a vma flag on every kernel, true or false', () => {
    for (const kernel of ['v6', 'v6.12', 'v7.3'])
      expect(
        ok({
          ...base(),
          kernel,
          vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'anon', allocFails: true }],
        }).vmas[0].allocFails,
      ).toBe(true);
    expect(
      problems({ ...base(), vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'anon', allocFails: 1 }] }),
    ).toEqual(['vmas.0.allocFails: expected true or false, got 1']);
  });
  test('hmm_range_fault_unlocked_timeout, timeout and uffd parse, with their defaults', () => {
    const s = ok({
      ...base(),
      kernel: 'v7.3',
      call: 'hmm_range_fault_unlocked_timeout',
      timeout: 25,
      vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'anon', uffd: 'missing' }],
    });
    expect(s.call).toBe('hmm_range_fault_unlocked_timeout');
    expect(s.timeout).toBe(25);
    expect(s.vmas[0].uffd).toBe('missing');
    const d = ok({ ...base(), kernel: 'v7.3', call: 'hmm_range_fault_unlocked_timeout' });
    expect(d.timeout).toBe(0);
    expect(d.vmas[0].uffd).toBeNull();
    // uffd is a vma field on every kernel: the locked calls fail its faults (SIGBUS).
    expect(
      ok({ ...base(), vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'anon', uffd: 'missing' }] }).vmas[0]
        .uffd,
    ).toBe('missing');
  });
  test("the unlocked call is 7.3's, timeout is its argument, uffd is for private anonymous vmas", () => {
    expect(problems({ ...base(), call: 'hmm_range_fault_unlocked_timeout' })).toEqual([
      'call: Linux 6.1 ("v6") has only "hmm_range_fault"; "hmm_range_fault_unlocked_timeout" is a call of "v7.3" (Linux 7.3)',
    ]);
    expect(problems({ ...base(), kernel: 'v7.3', timeout: 5 })).toEqual([
      'timeout: only hmm_range_fault_unlocked_timeout() ("v7.3" (Linux 7.3)) takes a timeout; "hmm_range_fault" has none',
    ]);
    expect(
      problems({ ...base(), kernel: 'v7.3', call: 'hmm_range_fault_unlocked_timeout', timeout: -1 }),
    ).toEqual(['timeout: timeout is in jiffies, 0 or more (0 = retry for ever)']);
    expect(
      problems({ ...base(), kernel: 'v7.3', call: 'hmm_range_fault_unlocked_timeout', timeout: 1.5 }),
    ).toEqual(['timeout: expected an integer, got 1.5']);
    expect(
      problems({
        ...base(),
        kernel: 'v7.3',
        vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'file', uffd: 'missing' }],
      }),
    ).toEqual([
      'vmas.0.uffd: only a private anonymous vma without "special" can be registered with userfaultfd here; this one is private file',
    ]);
    expect(
      problems({
        ...base(),
        kernel: 'v7.3',
        vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'anon', uffd: 'wp' }],
      }),
    ).toEqual(['vmas.0.uffd: expected "missing", got "wp"']);
  });
  test('a scenario with the unlocked call, a timeout and uffd round-trips through its canonical file', () => {
    const s = ok({
      ...base(),
      kernel: 'v7.3',
      call: 'hmm_range_fault_unlocked_timeout',
      timeout: 3,
      vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'anon', uffd: 'missing' }],
      concurrent: [{ at: 'before-call', op: 'sigkill', pages: '0' }],
    });
    const file = scenarioToFile(s);
    expect(file.timeout).toBe(3);
    expect((file.vmas as Record<string, unknown>[])[0].uffd).toBe('missing');
    expect(ok(file)).toStrictEqual(s);
    const zero = ok({ ...base(), kernel: 'v7.3', call: 'hmm_range_fault_unlocked_timeout' });
    expect(scenarioToFile(zero)).not.toHaveProperty('timeout');
    expect(ok(scenarioToFile(zero))).toStrictEqual(zero);
  });
  test('only the 2019 API has other calls; the message says which kernel', () => {
    expect(problems({ ...base(), kernel: 'v7.3', call: 'hmm_vma_fault' })).toEqual([
      'call: Linux 7.3 ("v7.3") has only "hmm_range_fault", "hmm_range_fault_unlocked_timeout"; "hmm_vma_fault" is a call of "v5.2" (Linux 5.2)',
    ]);
  });
  test('a v7.3 scenario round-trips through its canonical file', () => {
    const s = ok({
      ...base(),
      kernel: 'v7.3',
      vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'anon', allocFails: true }],
      cpu: { '3': 'guard' },
      requests: { '1': ['REQ_FAULT', 'DMA_MAPPED'] },
    });
    expect(ok(scenarioToFile(s))).toStrictEqual(s);
    expect(scenarioToFile(s).requests).toEqual({ '1': ['REQ_FAULT', 'DMA_MAPPED'] });
  });
});
