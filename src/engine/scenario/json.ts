/**
 * JSON text in and out for scenario and output files: parse errors as one `line L, column C:`
 * problem (the same in every JS engine), and printing that keeps page maps in page order.
 */
import { parseKey } from './keys.ts';

export type JsonResult = { ok: true; value: unknown } | { ok: false; problems: string[] };

/**
 * JSON.parse with a syntax error turned into one problem line naming line and column. Engines word
 * the error differently and V8 does not always give a position, so the position comes from
 * `jsonErrorOffset`; the engine's wording says what was wrong.
 */
export function parseJsonText(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const offset = jsonErrorOffset(text);
    const before = text.slice(0, offset).split('\n');
    const line = before.length;
    const column = before[before.length - 1].length + 1;
    const what = msg
      .replace(/^JSON\.parse: /, '')
      .replace(/ (in JSON )?at position \d+.*$/s, '')
      .replace(/ at line \d+ column \d+.*$/s, '')
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ in JSON$/, '');
    return { ok: false, problems: [`line ${line}, column ${column}: invalid JSON (${what})`] };
  }
}

/** The offset of the first JSON syntax error in `text` (RFC 8259), or text.length if none is found. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const FAIL = Symbol('fail');
  const fail = (): never => {
    throw FAIL;
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r'))
      i++;
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail();
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c < ' ') fail();
      if (c === '\\') {
        i++;
        const e = text[i];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
        } else fail();
      } else i++;
    }
  };
  const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return string();
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m && m[0].length > 0 && m[0] !== '-') {
      i += m[0].length;
      return;
    }
    if (c === '-') {
      i++;
      fail();
    }
    const lit = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : '';
    if (lit === '') fail();
    // Point at the first character that breaks the literal, as engines do ("tru}": at "}").
    for (const ch of lit) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return text.length;
  } catch (e) {
    if (e === FAIL) return i;
    return text.length; // nesting too deep for the scanner: no better position to give
  }
}

const isPageMap = (o: object): boolean => {
  const keys = Object.keys(o);
  return keys.length > 0 && keys.every((k) => parseKey(k) !== null);
};

/**
 * JSON.stringify with 2-space indent, except that objects keyed by page keys ("0-1", "5", ...)
 * print in page order. A JS object lists integer-like keys ("5") before the others ("0-1"),
 * whatever order they were added in, so the page order has to be restored when printing.
 */
export function formatJson(value: unknown, indent = 2): string {
  const pad = (d: number) => ' '.repeat(indent * d);
  const walk = (v: unknown, d: number): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((x) => pad(d + 1) + walk(x === undefined ? null : x, d + 1)).join(',\n')}\n${pad(d)}]`;
    }
    let entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function');
    if (isPageMap(v)) entries = entries.sort(([a], [b]) => parseKey(a)!.from - parseKey(b)!.from);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, x]) => `${pad(d + 1)}${JSON.stringify(k)}: ${walk(x, d + 1)}`).join(',\n')}\n${pad(d)}}`;
  };
  return walk(value, 0);
}
