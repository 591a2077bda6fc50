/**
 * The command line's output, written as it is made: the OUTPUT form (scenario-format.md,
 * "Output") of a million-page run is ~190 MB of text, and building it whole (one object per page,
 * then one string) took seconds and gigabytes. The text is exactly `formatJson(formatOutput(...))`
 * (two-space indent, page maps in page order), or with `compact` the same JSON on one line.
 */
import { faultAt } from '../engine/faults.ts';
import { decodePfn, formatOutput } from '../engine/scenario/output.ts';
import { formatJson } from '../engine/scenario/json.ts';
import { compressMap, parseKey } from '../engine/scenario/keys.ts';
import { hex64 } from '../engine/scenario/layout.ts';
import { outputEvent } from '../engine/trace/text.ts';
import { CPU_STATES, DEVICE_STATES } from '../engine/types.ts';
import type { CpuState, DeviceState, RunResult, Scenario, TraceEvent } from '../engine/types.ts';
import { generation } from '../engine/kernels/registry.ts';
import { PFNS_ORDER_AT_56 } from '../engine/kernels/modern.ts';

/** Takes the output's bytes chunk by chunk (a process's stdout, or a test's collector). */
export type Sink = (bytes: Uint8Array) => void;

/**
 * Encodes the text pieces straight into one reused buffer and hands it to the sink when full:
 * joining millions of small strings, and encoding the joined string again, cost more than the
 * run itself. A chunk always ends between pieces, so it never splits a character.
 */
export class Chunked {
  private readonly buf: Buffer;
  private used = 0;
  constructor(
    private readonly sink: Sink,
    size = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }
  write(text: string): void {
    // A UTF-16 unit takes at most 3 bytes of UTF-8.
    if (this.used + text.length * 3 > this.buf.length) {
      this.flush();
      if (text.length * 3 > this.buf.length) return this.sink(Buffer.from(text, 'utf8'));
    }
    this.used += this.buf.write(text, this.used, 'utf8');
  }
  /** Room for `n` more bytes at `bytes[at]`, to write them directly (then `advance`). */
  room(n: number): { bytes: Buffer; at: number } {
    if (this.used + n > this.buf.length) this.flush();
    return { bytes: this.buf, at: this.used };
  }
  advance(to: number): void {
    this.used = to;
  }
  flush(): void {
    if (this.used === 0) return;
    this.sink(this.buf.subarray(0, this.used));
    this.used = 0;
  }
}

const isPageMap = (o: object): boolean => {
  const keys = Object.keys(o);
  return keys.length > 0 && keys.every((k) => parseKey(k) !== null);
};

/** JSON on one line, with page maps in page order as formatJson prints them. */
export function compactJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => compactJson(x === undefined ? null : x)).join(',')}]`;
  let entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function');
  if (isPageMap(v)) entries = entries.sort(([a], [b]) => parseKey(a)!.from - parseKey(b)!.from);
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${compactJson(x)}`).join(',')}}`;
}

function flagsText(flags: string[], compact: boolean): string {
  if (compact) return `[${flags.length ? `"${flags.join('","')}"` : ''}]`;
  return flags.length ? `[\n        "${flags.join('",\n        "')}"\n      ]` : '[]';
}

function entryText(
  compact: boolean,
  page: number,
  raw: string,
  flags: string,
  value: string,
  pfn: string,
  order: number,
): string {
  if (compact)
    return `{"page":${page},"raw":"${raw}","flags":${flags},"value":${value},"pfn":${pfn},"order":${order}}`;
  return `{\n      "page": ${page},\n      "raw": "${raw}",\n      "flags": ${flags},\n      "value": ${value},\n      "pfn": ${pfn},\n      "order": ${order}\n    }`;
}

const ascii = (t: string): Uint8Array => Buffer.from(t, 'latin1');

/** Writes `t` (bytes) at `at`; returns the end. */
function put(b: Buffer, at: number, t: Uint8Array): number {
  for (let i = 0; i < t.length; i++) b[at++] = t[i];
  return at;
}

/** The decimal digits of a non-negative integer, as String(n) gives them. */
function putInt(b: Buffer, at: number, n: number): number {
  if (n >= 0x100000000) return put(b, at, ascii(String(n)));
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  for (let i = digits - 1; i >= 0; i--, n = Math.floor(n / 10)) b[at + i] = 48 + (n % 10);
  return at + digits;
}

/** Eight lower-case hex digits of a 32-bit value. */
function putHex8(b: Buffer, at: number, n: number): number {
  for (let i = 7; i >= 0; i--, n >>>= 4) b[at + i] = (n & 15) < 10 ? 48 + (n & 15) : 87 + (n & 15);
  return at + 8;
}

/** The longest a pfns entry can be, in bytes (pretty, three flags, a 17-digit pfn). */
const ENTRY_MAX = 256;

/**
 * Writes the pfns entries as formatJson prints them at depth 2, straight into the output's
 * bytes: no object and no string per page. A Linux 6.1 or 6.12 word is read as two 32-bit halves (no
 * BigInt per page): its flags and order live in the high half, which neighbouring pages mostly
 * share, so the high half's text is made once per change. v5.2 words go through decodePfn (their
 * layout is the driver's own).
 */
function writePfns(out: Chunked, s: Scenario, result: RunResult, compact: boolean): void {
  const { pfns, holdsInput } = result;
  const n = pfns.length;
  if (n === 0) return out.write('[]');
  const quote = (v: string | null) => (v === null ? 'null' : `"${v}"`);
  // The fast path knows one layout (VALID/WRITE/ERROR at 63..61, order at 56): 6.1's and 6.12's.
  if (
    generation(s.kernel).pfns !== PFNS_ORDER_AT_56 ||
    new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1
  ) {
    out.write(compact ? '[' : '[\n    ');
    for (let p = 0; p < n; p++) {
      const d = decodePfn(s, pfns[p], holdsInput[p] !== 0);
      const pfn = d.pfn === null ? 'null' : String(d.pfn);
      if (p > 0) out.write(compact ? ',' : ',\n    ');
      out.write(
        entryText(compact, p, hex64(pfns[p]), flagsText(d.flags, compact), quote(d.value), pfn, d.order),
      );
    }
    return out.write(compact ? ']' : '\n  ]');
  }
  // The entry's text between its variable parts, as formatJson spaces it.
  const [open, raw, flagsKey, valueKey, pfnKey, orderKey, close, sep] = (
    compact
      ? ['{"page":', ',"raw":"0x', '","flags":', ',"value":', ',"pfn":', ',"order":', '}', ',']
      : [
          '{\n      "page": ',
          ',\n      "raw": "0x',
          '",\n      "flags": ',
          ',\n      "value": ',
          ',\n      "pfn": ',
          ',\n      "order": ',
          '\n    }',
          ',\n    ',
        ]
  ).map(ascii);
  const NULL = ascii('null');
  const INPUT = ascii('"INPUT"');
  const halves = new Uint32Array(pfns.buffer, pfns.byteOffset, n * 2); // little-endian
  let hi = -1;
  let flags = NULL;
  let order = 0;
  let valid = false;
  let pfnHigh = 0;
  out.write(compact ? '[' : '[\n    ');
  for (let p = 0; p < n; p++) {
    const lo = halves[2 * p];
    if (halves[2 * p + 1] !== hi) {
      hi = halves[2 * p + 1];
      const names: string[] = [];
      if (hi & 0x80000000) names.push('VALID');
      if (hi & 0x40000000) names.push('WRITE');
      if (hi & 0x20000000) names.push('ERROR');
      flags = ascii(flagsText(names, compact));
      valid = (hi & 0x80000000) !== 0;
      order = (hi >>> 24) & 0x1f;
      pfnHigh = (hi & 0xffffff) * 0x100000000;
    }
    const { bytes: b, at: start } = out.room(ENTRY_MAX);
    let at = start;
    if (p > 0) at = put(b, at, sep);
    at = put(b, at, open);
    at = putInt(b, at, p);
    at = put(b, at, raw);
    at = putHex8(b, at, hi);
    at = putHex8(b, at, lo);
    at = put(b, at, flagsKey);
    at = put(b, at, flags);
    at = put(b, at, valueKey);
    // As decodePfn: "INPUT" for an entry the call never wrote, unless the word is 0.
    at = put(b, at, holdsInput[p] !== 0 && (hi !== 0 || lo !== 0) ? INPUT : NULL);
    at = put(b, at, pfnKey);
    at = valid ? putInt(b, at, pfnHigh + lo) : put(b, at, NULL);
    at = put(b, at, orderKey);
    at = putInt(b, at, order);
    at = put(b, at, close);
    out.advance(at);
  }
  out.write(compact ? ']' : '\n  ]');
}

/**
 * Writes the OUTPUT form of one run. The pfns array (one entry per page), the faults and the
 * trace are written entry by entry; the rest is small and goes through formatJson.
 */
export function writeOutput(
  out: Chunked,
  scenario: Scenario,
  result: RunResult,
  trace: TraceEvent[] | undefined,
  opts: { compact: boolean; lead?: Record<string, unknown> },
): void {
  const { compact } = opts;
  // The scalar fields from the one definition of the form (over no pages and no faults).
  const head = formatOutput(
    { ...scenario, range: { ...scenario.range, pages: 0 } },
    { ...result, faults: { ...result.faults, length: 0 } },
  );
  const n = scenario.range.pages;
  const value = (v: unknown, depth: number): string =>
    compact ? compactJson(v) : formatJson(v).replaceAll('\n', '\n' + '  '.repeat(depth));
  const fields: [string, (() => void) | unknown][] = [
    ...Object.entries(opts.lead ?? {}),
    ['status', head.status],
    ...(head.reason !== undefined ? [['reason', head.reason] as [string, unknown]] : []),
    ['ret', head.ret],
    ['errno', head.errno],
    ['faults', array(result.faults.length, (i) => value(faultAt(result.faults, i), 2))],
    ['restarts', head.restarts],
    ['attempts', head.attempts],
    ['calls', array(result.calls.length, (i) => value(result.calls[i], 2))],
    ['invalidations', array(result.invalidations.length, (i) => value(result.invalidations[i], 2))],
    ...(head.concurrent
      ? [
          ['concurrent', array(head.concurrent.length, (i) => value(head.concurrent![i], 2))] as [
            string,
            unknown,
          ],
        ]
      : []),
    ['pfns', () => writePfns(out, scenario, result, compact)],
    ['cpu', compressMap<CpuState>(n, (p) => CPU_STATES[result.cpu[p]])],
    ['device', compressMap<DeviceState>(n, (p) => DEVICE_STATES[result.device[p]])],
    // Each event with its sentence, where the engine's events had their "text" (trace/text.ts).
    ...(trace
      ? [['trace', array(trace.length, (i) => value(outputEvent(trace[i]), 2))] as [string, unknown]]
      : []),
  ];

  function array(length: number, item: (i: number) => string): () => void {
    const sep = compact ? ',' : ',\n    ';
    return () => {
      if (length === 0) return out.write('[]');
      // Entries are gathered into strings of some kilobytes: one write per entry costs more
      // than making the entry.
      let batch = compact ? '[' : '[\n    ';
      for (let i = 0; i < length; i++) {
        batch += i > 0 ? sep + item(i) : item(i);
        if (batch.length > 16384) {
          out.write(batch);
          batch = '';
        }
      }
      out.write(batch + (compact ? ']' : '\n  ]'));
    };
  }

  out.write(compact ? '{' : '{\n');
  fields.forEach(([key, v], i) => {
    if (i > 0) out.write(compact ? ',' : ',\n');
    out.write(compact ? `"${key}":` : `  "${key}": `);
    if (typeof v === 'function') (v as () => void)();
    else out.write(value(v, 1));
  });
  out.write(compact ? '}\n' : '\n}\n');
}
