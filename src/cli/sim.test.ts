import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { sim } from './sim.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const preset = join(root, 'public', 'scenarios', 'example-2.json');
const fixture = join(root, 'test', 'fixtures', 'linux-6.1', '001-hmmrst-example-on-pte-table.json');

describe('sim', () => {
  test('--help', () => {
    const r = sim(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run sim -- FILE \[--trace\]/);
  });

  test('bad arguments: status 2 and the usage', () => {
    for (const args of [[], ['a.json', 'b.json'], ['--bogus', 'a.json']]) {
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
      'pfns',
      'cpu',
      'device',
    ]);
    expect((out.pfns as unknown[]).length).toBe(16);
    expect(r.stdout.split('\n')[1]).toBe('  "status": "returned",');
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
      execFileSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'src', 'cli', 'sim.ts'), '-'], {
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
