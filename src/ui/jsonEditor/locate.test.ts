import { describe, expect, it } from 'vitest';
import { locateProblems, splitProblem } from './locate.ts';
import { parseScenarioText } from '../../engine/scenario/parse.ts';

const TEXT = `{
  "format": 1,
  "kernel": "v6",
  "range": { "start": "0x7f0000000000", "pages": 16 },
  "vmas": [
    { "from": 0, "pages": 16, "prot": "rx", "backing": "anon" }
  ],
  "colour": "red"
}`;

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

describe('locating scenario problems in the JSON text', () => {
  it('splits PATH: message, with quoted keys', () => {
    expect(splitProblem('vmas.0.prot: expected one of "rw"')).toEqual({
      path: ['vmas', '0', 'prot'],
      message: 'expected one of "rw"',
    });
    expect(splitProblem('cpu."a.b": bad key')).toEqual({ path: ['cpu', 'a.b'], message: 'bad key' });
    expect(splitProblem('(root): expected an object')).toEqual({ path: [], message: 'expected an object' });
  });

  it('puts each schema problem on the line of the field it names', () => {
    const r = parseScenarioText(TEXT);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const located = locateProblems(TEXT, r.problems);
    const byLine = Object.fromEntries(located.map((l) => [l.message, lineOf(TEXT, l.from)]));
    const prot = r.problems.find((p) => p.startsWith('vmas.0.prot'))!;
    const colour = r.problems.find((p) => p.startsWith('colour'))!;
    expect(byLine[prot]).toBe(6);
    expect(byLine[colour]).toBe(8);
    // The mark is the value itself.
    const at = located.find((l) => l.message === prot)!;
    expect(TEXT.slice(at.from, at.to)).toBe('"rx"');
  });

  it('puts a JSON syntax error at its line and column', () => {
    const bad = '{\n  "format": 1,\n  "kernel": "v6",,\n}';
    const r = parseScenarioText(bad);
    if (r.ok) throw new Error('expected a syntax error');
    const [l] = locateProblems(bad, r.problems);
    expect(lineOf(bad, l.from)).toBe(3);
    expect(l.message).toMatch(/^line 3, column \d+: invalid JSON/);
  });

  it('a missing field marks the object that lacks it', () => {
    const text = '{\n  "format": 1,\n  "kernel": "v6",\n  "vmas": []\n}';
    const r = parseScenarioText(text);
    if (r.ok) throw new Error('expected a problem');
    const range = locateProblems(text, r.problems).find((l) => l.message.startsWith('range'))!;
    expect(range.from).toBe(0);
  });
});
