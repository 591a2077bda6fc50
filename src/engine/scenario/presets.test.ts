import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ALL_ONES } from './layout.ts';
import { parseScenario, scenarioToFile } from './parse.ts';
import { DEFAULT_PRESET_ID, PRESETS, presetById } from './presets.ts';
import { run } from '../run.ts';
import { expandMap } from './keys.ts';
import { formatOutput } from './output.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixtureDir = join(root, 'test', 'fixtures', 'linux-6.1');
const fixtures = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

function parsed(file: unknown) {
  const r = parseScenario(file);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.scenario;
}

describe('presets for the locked races (hmm-semantics.md 10.5)', () => {
  const simPreset = (id: string) => {
    const s = parsed(presetById(id)!.file);
    const r = run(s);
    return { s, r, out: formatOutput(s, r.result) };
  };
  const pages = (m: Record<string, string>, n: number) => expandMap(m, n, 'none');

  test('munmap after the first fault on 6.1: it waits, the retry fails with -EFAULT, nothing programmed', () => {
    const { out } = simPreset('munmap-after-fault');
    expect(out.concurrent![0].ran).toEqual({
      attempt: 1,
      faults: 4,
      waited: true,
      after: 'mmap_read_unlock',
    });
    expect([out.errno, out.attempts]).toEqual(['EFAULT', 2]);
    expect(pages(out.device, 8)).toEqual(Array(8).fill('none'));
  });
  test('munmap after the first fault on v5.2: it runs after up_read and erases what was programmed', () => {
    const { out } = simPreset('munmap-after-fault-v5.2');
    expect(out.concurrent![0].ran).toEqual({ attempt: 1, faults: 4, waited: true, after: 'up_read' });
    expect([out.ret, out.attempts]).toEqual([8, 1]);
    expect(pages(out.device, 8)).toEqual([...Array(4).fill('none'), ...Array(4).fill('ro')]);
  });
  test('a swap-out between two faults runs at once, and the driver retries', () => {
    const { out, r } = simPreset('swap-out-between-faults');
    expect(out.concurrent![0].issued.faults).toBe(1);
    expect(out.concurrent![0].ran).toEqual({ attempt: 1, faults: 1, waited: false, after: null });
    const kinds = r.trace.map((e) => e.type);
    expect(kinds.indexOf('concurrent')).toBeLessThan(kinds.lastIndexOf('fault'));
    expect([out.ret, out.attempts]).toEqual([0, 2]);
    expect(pages(out.cpu, 8).slice(0, 2)).toEqual(['ro', 'ro']);
  });
  test('v5.2 stale pfns: swapped out during the walk, programmed anyway', () => {
    const { out } = simPreset('v5.2-stale-pfns-during-walk');
    expect(out.attempts).toBe(1);
    expect(pages(out.cpu, 8).slice(0, 4)).toEqual(Array(4).fill('swap'));
    expect(pages(out.device, 8).slice(0, 4)).toEqual(Array(4).fill('rw'));
  });
});

describe('presets', () => {
  test('ids are unique, and each is its file in public/scenarios', () => {
    const ids = PRESETS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const files = readdirSync(join(root, 'public', 'scenarios')).filter((f) => f.endsWith('.json'));
    expect(files.map((f) => f.slice(0, -'.json'.length)).sort()).toEqual([...ids].sort());
    for (const p of PRESETS)
      expect(JSON.parse(readFileSync(join(root, 'public', 'scenarios', `${p.id}.json`), 'utf8'))).toEqual(
        p.file,
      );
  });

  test.each(PRESETS.map((p) => [p.id, p] as const))(
    '%s parses and has a title and one sentence to watch',
    (_id, p) => {
      const s = parsed(p.file);
      expect(p.title).toBe(s.title);
      expect(p.title.length).toBeGreaterThan(0);
      expect(p.watch).toMatch(/^[^\n]+\.$/);
      expect(p.group.length).toBeGreaterThan(0);
    },
  );

  test('the default is seed example 2 on v6, with a write request on page 5 of a 16-page range', () => {
    const s = parsed(presetById(DEFAULT_PRESET_ID)!.file);
    expect([s.kernel, s.range.pages, s.defaultFlags, s.pfnFlagsMask, s.requests[5]]).toEqual([
      'v6',
      16,
      1n << 63n,
      1n << 62n,
      1n << 62n,
    ]);
    expect(new Set(s.cpu).size).toBeGreaterThan(2);
  });

  test('the briefed behaviours are all there', () => {
    const s = (id: string) => parsed(presetById(id)!.file);
    expect(s('example-2-v5.2').kernel).toBe('v5.2');
    expect(s('example-1').pfnFlagsMask).toBe(0n);
    expect(s('old-api-hmm-vma-fault').call).toBe('hmm_vma_fault');
    expect(s('nouveau-per-fault').layout.name).toBe('nouveau');
    expect([s('nouveau-per-fault').defaultFlags, s('nouveau-per-fault').pfnFlagsMask]).toEqual([
      0n,
      ALL_ONES,
    ]);
    expect([s('amdgpu-range-policy').layout.name, s('amdgpu-range-policy').defaultFlags]).toEqual([
      'amdgpu',
      3n,
    ]);
    expect(s('amdgpu-range-policy').pfnFlagsMask).toBe(0n);
    expect(s('cow-after-fork').cpu.some((c) => c === 3)).toBe(true);
    expect(s('invalidation-race').concurrent).toHaveLength(1);
    for (const id of [
      'v5.2-zero-page-efault',
      'v5.2-swap-never-faulted',
      'v5.2-request-lost-in-chunk',
      'v5.2-livelock-write-ro-vma',
      'v5.2-oops-range-outside-vma',
    ])
      expect(s(id).kernel).toBe('v5.2');
  });
});

describe('scenarioToFile round trip', () => {
  test.each(PRESETS.map((p) => p.id))('preset %s', (id) => {
    const s = parsed(presetById(id)!.file);
    expect(parsed(scenarioToFile(s))).toStrictEqual(s);
  });

  test('presets are already in canonical form', () => {
    for (const p of PRESETS) expect(scenarioToFile(parsed(p.file))).toEqual(p.file);
  });

  test.each(fixtures)('fixture %s', (f) => {
    const s = parsed(
      (JSON.parse(readFileSync(join(fixtureDir, f), 'utf8')) as { scenario: unknown }).scenario,
    );
    expect(parsed(scenarioToFile(s))).toStrictEqual(s);
  });
});

describe('the canonical file', () => {
  test('compresses runs, names flags, leaves defaults out', () => {
    const s = parsed({
      format: 1,
      kernel: 'v6',
      range: { start: '0x7f0000000000', pages: 8 },
      vmas: [{ from: 0, pages: 8, prot: 'rw', backing: 'anon', shared: false }],
      cpu: { '0': 'rw', '1': 'rw', '2-3': 'rw', '5': 'none', '6': 'zero' },
      driver: { devicePrivateOwner: 'this' },
      defaultFlags: '0x8000000000000000',
      pfnFlagsMask: '0xffffffffffffffff',
      requests: { '1': ['REQ_WRITE'], '2': '0x4000000000000000', '4': '0x8000000000000001' },
      driverLoop: true,
      device: {},
    });
    expect(scenarioToFile(s)).toEqual({
      format: 1,
      kernel: 'v6',
      call: 'hmm_range_fault',
      range: { start: '0x7f0000000000', pages: 8 },
      vmas: [{ from: 0, pages: 8, prot: 'rw', backing: 'anon' }],
      cpu: { '0-3': 'rw', '6': 'zero' },
      defaultFlags: ['REQ_FAULT'],
      pfnFlagsMask: 'all',
      requests: { '1-2': ['REQ_WRITE'], '4': '0x8000000000000001' },
    });
  });

  test('keeps what differs from the defaults', () => {
    const file = {
      format: 1,
      title: 'custom',
      kernel: 'v5.2',
      call: 'hmm_vma_fault',
      block: false,
      range: { start: '0x7f0000000000', pages: 4 },
      vmas: [{ from: -2, pages: 8, prot: 'r', backing: 'file', shared: true, special: 'mixedmap' }],
      cpu: { '0-1': 'ro' },
      driver: {
        flags: { VALID: '0x1', WRITE: '0x4', DEVICE_PRIVATE: '0x8' },
        values: { ERROR: '0x10', NONE: '0x0', SPECIAL: '0x10' },
        pfnShift: 6,
      },
      defaultFlags: ['WRITE'],
      pfnFlagsMask: ['VALID', 'DEVICE_PRIVATE'],
      requests: { '0-3': ['VALID', 'WRITE', 'DEVICE_PRIVATE'] },
      concurrent: [{ at: 'after-fault', n: 2, op: 'fork', pages: '1-2' }],
      driverLoop: false,
      device: { '3': 'ro' },
    };
    expect(scenarioToFile(parsed(file))).toEqual(file);
  });

  test('hmm_vma_fault leaves out the flags its wrapper sets', () => {
    const s = parsed({
      format: 1,
      kernel: 'v5.2',
      call: 'hmm_vma_fault',
      range: { start: '0x1000', pages: 1 },
      vmas: [],
      driver: 'amdgpu',
    });
    const f = scenarioToFile(s);
    expect(f.driver).toBe('amdgpu');
    expect('defaultFlags' in f || 'pfnFlagsMask' in f).toBe(false);
  });
});
