/**
 * The Content-Security-Policy the app ships with, as a <meta> in the built index.html (added by
 * the build, see vite.config.ts: the dev server injects an inline script for hot reload, so the
 * meta is left out of `npm run dev`). Nothing of the app's is inline but the first-screen script
 * (allowed by its hash, see cspMeta): the theme's colours are set
 * through the CSSOM (ui/theme/ThemeStyle.tsx) and zod runs without `new Function`
 * (engine/scenario/zod.ts). e2e/csp.spec.ts checks every view under it records no violation.
 */
export const CSP_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  // The engine's Web Worker and the offline service worker are the app's own files.
  "worker-src 'self'",
  "connect-src 'self'",
];

/**
 * The policy as the <meta http-equiv> carries it. `scriptHashes`: the page's own inline scripts,
 * allowed by their `'sha256-...'` (the build's first-screen script, scripts/prerender/: it must run
 * before the first paint, where a file of its own would cost a round trip).
 */
export function cspMeta(scriptHashes: readonly string[] = []): string {
  return directives(scriptHashes).join('; ');
}

function directives(scriptHashes: readonly string[]): string[] {
  return CSP_DIRECTIVES.map((d) =>
    d === "script-src 'self'" && scriptHashes.length ? [d, ...scriptHashes].join(' ') : d,
  );
}

/** The policy with no inline script at all. */
export const CSP_META = cspMeta();

/**
 * The same policy for a server that sends headers (README, "Serving it"): a header can also say
 * who may frame the app, which a <meta> cannot; embeds need the docs sites' origins there. The
 * build writes it, with the inline script's hash, to dist/csp-header.txt: a header without that
 * hash would block the first-screen script.
 */
export function cspHeader(scriptHashes: readonly string[] = [], frameAncestors = "'self' https:"): string {
  return [...directives(scriptHashes), `frame-ancestors ${frameAncestors}`].join('; ');
}
