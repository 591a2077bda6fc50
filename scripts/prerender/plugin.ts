import { createHash } from 'node:crypto';
import { createServer, type Plugin } from 'vite';
import type { OutputBundle, OutputChunk } from 'rolldown';
import { firstScreen, type FirstScreenConfig } from './firstScreenScript.ts';
import { FIRST_SCREENS } from '../first-screens.ts';

/** The default scenario's kernel's pseudocode listing (loaded by main.tsx beside App). */
const DEFAULT_LISTING = 'src/engine/kernels/listings/v6_1.ts';

/** state/store.ts's narrowScreen(): the editor starts closed below it. */
const NARROW = '(max-width: 700px)';

interface FrameModule {
  STORAGE_KEY: string;
  RELOAD_KEY: string;
}

function chunkOf(bundle: OutputBundle, src: string): OutputChunk {
  const c = Object.values(bundle).find(
    (o): o is OutputChunk => o.type === 'chunk' && !!o.facadeModuleId?.endsWith(`/${src}`),
  );
  if (!c) throw new Error(`first screen: no chunk for ${src} in the build`);
  return c;
}

/** A chunk and every chunk it imports statically, with their CSS. */
function closure(bundle: OutputBundle, start: OutputChunk, files: Set<string>, css: Set<string>): void {
  if (files.has(start.fileName)) return;
  files.add(start.fileName);
  for (const f of start.viteMetadata?.importedCss ?? []) css.add(f);
  for (const f of start.imports) {
    const c = bundle[f];
    if (c?.type === 'chunk') closure(bundle, c, files, css);
  }
}

/**
 * The frame's markup, from the app's components (frame.tsx), and the storage keys that make a
 * start not plain, from the app's own modules; through Vite's SSR loader (the config itself
 * cannot import the app's state modules: they import JSON the way only Vite reads it).
 */
async function renderFrame(root: string, configFile: string): Promise<FrameModule & { html: string }> {
  const server = await createServer({
    root,
    configFile,
    logLevel: 'error',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
    // lz-string is CommonJS: Node's ESM cannot take its named exports, Vite's transform can.
    ssr: { noExternal: ['lz-string'], optimizeDeps: { include: ['lz-string'] } },
  });
  try {
    const m = (await server.ssrLoadModule('/scripts/prerender/frame.tsx')) as FrameModule & {
      renderFrame: () => string;
    };
    return { html: m.renderFrame(), STORAGE_KEY: m.STORAGE_KEY, RELOAD_KEY: m.RELOAD_KEY };
  } finally {
    await server.close();
  }
}

export interface FirstScreen {
  plugin: Plugin;
  /** The inline script's `'sha256-...'` source for the Content-Security-Policy, once built. */
  scriptHashes: () => string[];
}

/**
 * The explorer's first screen, sooner (issue 14): its chunks are fetched with the entry, and a
 * plain start on a phone paints the top bar and the scenario heading from the HTML, before the
 * app's code has loaded (firstScreenScript.ts says when). In the build only: `npm run dev` renders
 * from an empty #root, as before.
 */
export function firstScreenPlugin(opts: { root: string; configFile: string }): FirstScreen {
  let script = '';
  let frame = '';
  const plugin: Plugin = {
    name: 'first-screen',
    apply: 'build',
    // The chunks' names are known here, before index.html is written (transformIndexHtml below).
    async generateBundle(_, bundle) {
      const entry = Object.values(bundle).find((o): o is OutputChunk => o.type === 'chunk' && o.isEntry);
      if (!entry) throw new Error('first screen: no entry chunk');
      const loaded = new Set<string>();
      closure(bundle, entry, loaded, new Set());
      const rel = (f: string) => `./${f}`;
      /** What these sources load beyond the entry's own chunks: JS files, and their stylesheets. */
      const beyondEntry = (srcs: readonly string[]) => {
        const files = new Set<string>();
        const css = new Set<string>();
        for (const src of srcs) closure(bundle, chunkOf(bundle, src), files, css);
        return { js: [...files].filter((f) => !loaded.has(f)).map(rel), css: [...css].map(rel) };
      };
      const explorer = beyondEntry([...FIRST_SCREENS.explorer, DEFAULT_LISTING]);
      const embed = beyondEntry(FIRST_SCREENS.embed);
      const rendered = await renderFrame(opts.root, opts.configFile);
      frame = rendered.html;
      const cfg: FirstScreenConfig = {
        preload: explorer.js,
        css: explorer.css,
        embed: embed.js,
        stored: rendered.STORAGE_KEY,
        reload: rendered.RELOAD_KEY,
        narrow: NARROW,
      };
      script = `(${firstScreen.toString()})(${JSON.stringify(cfg)});`;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        if (!script) throw new Error('first screen: the script was not built before index.html');
        const tag = `<script>${script}</script>`;
        return html
          .replace('</head>', `  ${tag}\n  </head>`)
          .replace(
            '<div id="root"></div>',
            `<div id="root"></div>\n    <template id="first-screen">${frame}</template>\n    ${tag}`,
          );
      },
    },
  };
  return { plugin, scriptHashes: () => (script ? [scriptHash(script)] : []) };
}

/** A script's CSP hash source. */
export function scriptHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}
