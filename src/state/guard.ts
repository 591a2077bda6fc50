/**
 * The guarded reader every way into the app goes through (the URL at boot and on a hash change,
 * an embed's link, an imported file, localStorage): small pure functions that return a value or
 * a problem to show, and never throw. Whatever comes in is text someone else wrote (a link in a
 * chat, a file, a value another version stored), so it is read defensively and, when it is
 * echoed in a message, shortened: a 10 MB link is never put on screen whole.
 */

export type Read<T> = { ok: true; value: T } | { ok: false; problem: string };

/** How much of a bad value a message quotes. */
export const QUOTE_MAX = 48;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffe\uffff]/g;

/**
 * A value as a message quotes it: at most `max` characters, control characters shown as `\uXXXX`
 * (a bell or an escape sequence in a link must not reach the screen as itself), the rest elided
 * with its length so the reader knows how much was cut.
 */
export function quote(value: string, max = QUOTE_MAX): string {
  const head = value.length > max ? value.slice(0, max) : value;
  const safe = head.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return value.length > max ? `${safe}… (${value.length.toLocaleString('en-US')} characters)` : safe;
}

/**
 * decodeURIComponent without the URIError: `%`, `%ZZ`, a cut multi-byte sequence (`%E0%A4%A`) or
 * a lone surrogate come back as a problem naming the part of the link (`where`, e.g. "#tour").
 */
export function decodeComponent(raw: string, where: string): Read<string> {
  try {
    return { ok: true, value: decodeURIComponent(raw) };
  } catch {
    const at = badEscapeAt(raw);
    const bit = at < 0 ? quote(raw) : quote(raw.slice(at, at + 9), 9);
    return {
      ok: false,
      problem: `${where}: “${bit}” is not valid percent-encoding (a % must start %XX escapes of UTF-8)`,
    };
  }
}

/** Where the first unreadable escape starts (-1 when none is found by itself). */
function badEscapeAt(raw: string): number {
  const re = /(%[0-9a-fA-F]{2})+|%/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    try {
      decodeURIComponent(m[0]);
    } catch {
      return m.index;
    }
  }
  return -1;
}

/** localStorage keeps work across visits; sessionStorage only across reloads of one tab. */
export type StorageArea = 'local' | 'session';

/** The storage the app may use, or null where it is disabled (some private modes, sandboxes). */
function storage(area: StorageArea): Storage | null {
  try {
    const s = area === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
    return s ?? null;
  } catch {
    return null;
  }
}

/** A stored value: null when there is none, a problem when storage cannot be read. */
export function readStored(key: string, area: StorageArea = 'local'): Read<string | null> {
  const s = storage(area);
  if (!s) return { ok: false, problem: 'this browser does not let the page use its storage' };
  try {
    return { ok: true, value: s.getItem(key) };
  } catch (e) {
    return { ok: false, problem: `storage cannot be read (${errorText(e)})` };
  }
}

/** Writes a value; a problem says why it was not kept (storage full, disabled). */
export function writeStored(key: string, text: string, area: StorageArea = 'local'): Read<true> {
  const s = storage(area);
  if (!s) return { ok: false, problem: 'this browser does not let the page use its storage' };
  try {
    s.setItem(key, text);
    return { ok: true, value: true };
  } catch (e) {
    const full = e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);
    return {
      ok: false,
      problem: full ? 'the browser’s storage for this site is full' : `storage refused it (${errorText(e)})`,
    };
  }
}

export function removeStored(key: string, area: StorageArea = 'local'): void {
  try {
    storage(area)?.removeItem(key);
  } catch {
    // Nothing to do: the value stays, and the next read reports it again.
  }
}

/** An error's message, shortened, whatever was thrown. */
export function errorText(e: unknown): string {
  return quote(e instanceof Error ? e.message : String(e), 160);
}
