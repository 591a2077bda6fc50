import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { sim } from './sim.ts';
import { TooLarge, readText } from './readInput.ts';

/** A fresh folder under the system's temp folder, removed when this file's tests end. */
const madeDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hmm-sim-'));
  madeDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
});

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const preset = join(root, 'public', 'scenarios', 'example-2.json');
const fixture = join(root, 'test', 'fixtures', 'linux-6.1', '001-hmmrst-example-on-pte-table.json');

describe('sim', () => {
  test('--help', () => {
    const r = sim(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run sim -- \[--trace\] \[--compact \| --jsonl\] FILE\.\.\./);
  });

  test('bad arguments: status 2 and the usage', () => {
    for (const args of [[], ['--trace'], ['--bogus', 'a.json']]) {
      const r = sim(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^sim: .*\nusage:/);
    }
  });

  test('an unreadable file', () => {
    expect(sim(['/nonexistent/x.json'])).toEqual({
      code: 2,
      stdout: '',
      stderr: '/nonexistent/x.json: cannot read (ENOENT)\n',
    });
  });

  test('a bad scenario on stdin: one line per problem', () => {
    const r = sim(['-'], () => JSON.stringify({ format: 1, kernel: 'v6', vmas: [], requests: {}, extra: 1 }));
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: '-: range: required field is missing\n-: extra: unknown field\n',
    });
  });

  test('a JSON syntax error', () => {
    expect(sim(['-'], () => '{\n  "format": 1,\n}').stderr).toBe(
      '-: line 3, column 1: invalid JSON (Expected double-quoted property name)\n',
    );
  });

  test('a scenario file prints the OUTPUT form', () => {
    const r = sim([preset]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual([
      'status',
      'ret',
      'errno',
      'faults',
      'restarts',
      'attempts',
      'calls',
      'invalidations',
      'pfns',
      'cpu',
      'device',
    ]);
    expect((out.pfns as unknown[]).length).toBe(16);
    expect(r.stdout.split('\n')[1]).toBe('  "status": "returned",');
  });

  test('a racing op: "concurrent" says when it was issued, when it ran, and the rule in words', () => {
    const scenario = {
      format: 1,
      kernel: 'v6',
      call: 'hmm_range_fault',
      range: { start: '0x7f0000000000', pages: 4 },
      vmas: [{ from: 0, pages: 4, prot: 'rw', backing: 'anon' }],
      cpu: { '0-1': 'rw' },
      defaultFlags: ['VALID'],
      pfnFlagsMask: [],
      concurrent: [{ at: 'after-fault', n: 1, op: 'munmap', pages: '0-1' }],
    };
    const r = sim(['-'], () => JSON.stringify(scenario));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out).slice(7, 10)).toEqual(['invalidations', 'concurrent', 'pfns']);
    expect(out.concurrent).toEqual([
      {
        event: 0,
        op: 'munmap',
        pages: '0-1',
        when: 'munmap needs mmap_lock for write: issued after fault 1 of the run, it waits and runs after hmm_range_fault returns (mmap_read_unlock), before the driver checks its sequence.',
        issued: { at: 'after-fault', attempt: 1, faults: 1 },
        ran: { attempt: 1, faults: 2, waited: true, after: 'mmap_read_unlock' },
      },
    ]);
    // the streamed text and the one-object form agree, compact too
    const compact = JSON.parse(sim(['-', '--compact'], () => JSON.stringify(scenario)).stdout) as unknown;
    expect(compact).toEqual(out);
  });

  test('--trace adds the trace', () => {
    const out = JSON.parse(sim([preset, '--trace']).stdout) as { trace: unknown[] };
    expect(out.trace.length).toBeGreaterThan(0);
  });

  test('a fixture file runs its scenario; its problems are named under "scenario."', () => {
    expect(sim([fixture]).code).toBe(0);
    const bad = JSON.parse(readFileSync(fixture, 'utf8')) as { scenario: Record<string, unknown> };
    bad.scenario.kernel = 'v4';
    expect(sim(['-'], () => JSON.stringify(bad)).stderr).toBe(
      '-: scenario.kernel: expected one of "v5.2" | "v6" | "v6.12" | "v7.3", got "v4"\n',
    );
  });

  test('as a command: exit status 2, problems on stderr, no stack trace', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [join(root, 'scripts', 'sim.mjs'), '-'], {
        input: '{"format": 2}',
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      const err = e as { status: number; stderr: string };
      status = err.status;
      stderr = err.stderr;
    }
    expect(status).toBe(2);
    expect(stderr).toBe(
      [
        '-: format: expected 1, got 2',
        '-: kernel: required field is missing',
        '-: range: required field is missing',
        '-: vmas: required field is missing',
        '',
      ].join('\n'),
    );
  }, 20000);
});

/**
 * Issue 3's acceptance case, through the command line: the seed's example 2 over 16 untouched
 * anonymous pages, page 5 asking for write (hmm-semantics.md section 7). The range is one hole, so
 * its need is taken over all 16 pages: every page is write-faulted and comes back VALID|WRITE.
 */
describe('sim on the seed example 2 (16 anonymous pages, page 5 asks for write)', () => {
  for (const [kernel, ret] of [
    ['v5.2', 16],
    ['v6', 0],
  ] as const) {
    test(kernel, () => {
      const file = {
        format: 1,
        kernel,
        call: 'hmm_range_fault',
        range: { start: '0x7f0000000000', pages: 16 },
        vmas: [{ from: 0, pages: 16, prot: 'rw', backing: 'anon' }],
        defaultFlags: ['VALID'],
        pfnFlagsMask: ['WRITE'],
        requests: { '5': ['WRITE'] },
      };
      const r = sim(['-'], () => JSON.stringify(file));
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as {
        ret: number;
        faults: { page: number; write: boolean }[];
        pfns: { flags: string[]; value: string | null }[];
        cpu: Record<string, string>;
        device: Record<string, string>;
      };
      expect(out.ret).toBe(ret);
      expect(out.faults.map((f) => `${f.page}${f.write ? 'w' : 'r'}`)).toEqual(
        [...Array(16).keys()].map((p) => `${p}w`),
      );
      expect(out.pfns.map((p) => [...p.flags].sort().join('|'))).toEqual(Array(16).fill('VALID|WRITE'));
      expect(out.cpu).toEqual({ '0-15': 'rw' });
      expect(out.device).toEqual({ '0-15': 'rw' });
    });
  }
});

/** The command as a child process, as a user runs it: status, stdout, stderr. */
function command(args: string[], stdin: 'pipe' | number = 'pipe', input = '') {
  try {
    // `npm run sim` is scripts/sim.mjs: the CLI bundled and cached (rebuilt when src/ changes).
    const stdout = execFileSync(process.execPath, [join(root, 'scripts', 'sim.mjs'), ...args], {
      input: stdin === 'pipe' ? input : undefined,
      encoding: 'utf8',
      stdio: [stdin, 'pipe', 'pipe'],
      maxBuffer: 1 << 30,
    });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { status: err.status, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('sim on several files, one line each', () => {
  test('--compact prints the same JSON on one line', () => {
    const pretty = sim([preset]);
    const compact = sim([preset, '--compact']);
    expect(compact.code).toBe(0);
    expect(compact.stdout.split('\n')).toEqual([expect.any(String), '']);
    expect(JSON.parse(compact.stdout)).toEqual(JSON.parse(pretty.stdout));
  });

  test('--jsonl: one line per file, named, in order; a bad file is named on stderr and the rest run', () => {
    const other = join(root, 'public', 'scenarios', 'example-1.json');
    const r = sim(['--jsonl', preset, '/nonexistent/x.json', other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('/nonexistent/x.json: cannot read (ENOENT)\n');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const [a, b] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a.file).toBe(preset);
    expect(b.file).toBe(other);
    const { file: _, ...rest } = a;
    expect(rest).toEqual(JSON.parse(sim([preset]).stdout));
  });

  test('several files without --jsonl: one JSON document after another', () => {
    const r = sim([preset, preset]);
    expect(r.code).toBe(0);
    const one = sim([preset]).stdout;
    expect(r.stdout).toBe(one + one);
  });
});

/** Issue 15's hostile inputs: each refused or handled in seconds, with one line, never a stack. */
describe('sim on hostile input', () => {
  test('a file that starts with a byte-order mark is read as the browser reads it', () => {
    const text = readFileSync(preset, 'utf8');
    const r = sim(['-'], () => '\uFEFF' + text);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(sim([preset]).stdout);
  });

  test('a byte-order mark in a file on disk, through the command', () => {
    const dir = tempDir();
    const file = join(dir, 'bom.json');
    writeFileSync(file, '\uFEFF' + readFileSync(preset, 'utf8'));
    const r = command([file]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(sim([preset]).stdout));
  }, 60_000);

  test('/dev/zero is refused at 64 MB: status 2, one line', () => {
    const r = command(['/dev/zero']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('/dev/zero: cannot read (larger than 64 MB: not a scenario file)\n');
  }, 60_000);

  test('an endless stdin is refused at 64 MB: status 2, one line', () => {
    const zero = openSync('/dev/zero', 'r');
    try {
      const r = command(['-'], zero);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('-: cannot read (larger than 64 MB: not a scenario file)\n');
    } finally {
      closeSync(zero);
    }
  }, 60_000);

  test('a file one byte over the limit is refused, one at the limit is read', () => {
    const dir = tempDir();
    const file = join(dir, 'limit.json');
    writeFileSync(file, '\uFEFF{"a": 1}'.padEnd(998, ' ')); // 1000 bytes: the mark is 3
    expect(readText(file, 1000)).toBe('{"a": 1}'.padEnd(997, ' '));
    expect(() => readText(file, 999)).toThrow(TooLarge);
  });

  test('--trace over 4096 pages gives the coarse trace, not one event per page step', () => {
    const file = (pages: number) => ({
      format: 1,
      kernel: 'v6',
      call: 'hmm_range_fault',
      range: { start: '0x7f0000000000', pages },
      vmas: [{ from: 0, pages, prot: 'rw', backing: 'anon' }],
      cpu: { [`0-${pages / 2 - 1}`]: 'rw' },
      defaultFlags: ['REQ_FAULT'],
    });
    const big = sim(['-', '--trace', '--compact'], () => JSON.stringify(file(8192)));
    expect(big.code).toBe(0);
    const trace = (JSON.parse(big.stdout) as { trace: { type: string }[] }).trace;
    expect(trace.length).toBeGreaterThan(0);
    expect(trace.length).toBeLessThan(8192);
    expect(trace.some((e) => e.type === 'pte')).toBe(false);
    // Up to 4096 pages the trace is full: a step per page.
    const small = sim(['-', '--trace', '--compact'], () => JSON.stringify(file(4096)));
    const full = (JSON.parse(small.stdout) as { trace: { type: string }[] }).trace;
    expect(full.some((e) => e.type === 'pte')).toBe(true);
  }, 60_000);
});
