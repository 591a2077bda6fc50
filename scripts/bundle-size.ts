/**
 * `npm run size` (after `npm run build`): the JavaScript each way into the app loads before it can
 * show anything, gzip-compressed as a server sends it. The explorer loads the entry, the explorer
 * (App) and the links' reader (ui/links.ts); an embed loads the entry, EmbedApp, the same reader and
 * its figure: `?embed` alone shows a stage (embed/StageFigure.tsx; a comparison or a tour step
 * loads its own instead). What either imports only when used (views, panels, the export drawing
 * code) and the engine worker are not counted.
 * Targets (issue 14): explorer <= 110 KB, ?embed <= 80 KB.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

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
  explorer: closure([entry, bySource('src/ui/App.tsx'), bySource('src/ui/links.ts')]),
  embed: closure([
    entry,
    bySource('src/ui/embed/EmbedApp.tsx'),
    bySource('src/ui/links.ts'),
    bySource('src/ui/embed/StageFigure.tsx'),
  ]),
};
for (const [name, keys] of Object.entries(ways)) {
  const s = kb(keys);
  console.log(
    `${name}_initial_js_gzip_kb: ${s.gzip.toFixed(1)} (${s.raw.toFixed(1)} KB raw, ${s.files} files)`,
  );
}
