/**
 * Reading a scenario from a file or stdin without trusting its size: `/dev/zero`, an endless pipe
 * or a huge file would otherwise be read until the process runs out of memory and aborts.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** The most a scenario file may be. The largest range (1,048,576 pages) fits in far less. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export class TooLarge extends Error {}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** All of fd's bytes up to `limit`; TooLarge as soon as there are more. */
export function readCapped(fd: number, limit = MAX_INPUT_BYTES): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - total));
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      // A non-blocking stdin (a pipe that has nothing yet): wait a moment and read again.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 10);
        continue;
      }
      throw e;
    }
    if (n === 0) break;
    total += n;
    if (total > limit) throw new TooLarge(`larger than ${limit / (1024 * 1024)} MB`);
    parts.push(buf.subarray(0, n));
  }
  return Buffer.concat(parts, total);
}

/** A file's text (or stdin's for "-"), capped; a leading byte-order mark is not part of it. */
export function readText(file: string, limit = MAX_INPUT_BYTES): string {
  let bytes: Buffer;
  if (file === '-') bytes = readCapped(0, limit);
  else {
    const fd = openSync(file, 'r');
    try {
      bytes = readCapped(fd, limit);
    } finally {
      closeSync(fd);
    }
  }
  return withoutBom(bytes.toString('utf8'));
}

/** Editors on Windows start UTF-8 files with U+FEFF; the browser's Import accepts them too. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
