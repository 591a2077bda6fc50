/**
 * `npm run size` (after `npm run build`): the JavaScript each way into the app loads before it can
 * show anything, gzip-compressed as a server sends it: the entry and what first-screens.ts lists,
 * with their static imports. What either imports only when used (views, panels, the export
 * drawing code, another kernel's listing) and the engine worker are not counted.
 * Targets (issue 14): explorer <= 110 KB, ?embed <= 80 KB.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FIRST_SCREENS } from './first-screens.ts';

interface Chunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const dist = join(import.meta.dirname, '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<
  string,
  Chunk
>;

/** The chunks `keys` load statically, themselves included. */
function closure(keys: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (k: string) => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const i of manifest[k].imports ?? []) visit(i);
  };
  keys.forEach(visit);
  return seen;
}

const bySource = (suffix: string): string => {
  const key = Object.keys(manifest).find((k) => k.endsWith(suffix));
  if (!key) throw new Error(`no chunk for ${suffix} in the manifest`);
  return key;
};

function kb(keys: Set<string>): { raw: number; gzip: number; files: number } {
  let raw = 0;
  let gzip = 0;
  for (const k of keys) {
    const bytes = readFileSync(join(dist, manifest[k].file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw: raw / 1024, gzip: gzip / 1024, files: keys.size };
}

const entry = bySource('index.html');
const ways = {
  explorer: closure([entry, ...FIRST_SCREENS.explorer.map(bySource)]),
  embed: closure([entry, ...FIRST_SCREENS.embed.map(bySource)]),
};
for (const [name, keys] of Object.entries(ways)) {
  const s = kb(keys);
  console.log(
    `${name}_initial_js_gzip_kb: ${s.gzip.toFixed(1)} (${s.raw.toFixed(1)} KB raw, ${s.files} files)`,
  );
}
