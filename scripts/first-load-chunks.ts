import { join } from 'node:path';
import type { CodeSplittingGroup } from 'rolldown';
import { FIRST_SCREENS } from './first-screens.ts';

/**
 * What the explorer's and the embed's first screens load, in few chunks (issue 14).
 *
 * Left to itself, the bundler splits the code both first screens share, and the code only one of
 * them loads, into one chunk per set of importers: about 40 files of 0.3-9 KB. Each is a request
 * (on a phone, a round trip each, six at a time) and each is compressed alone (about 10 KB of gzip
 * more than the same code in one file). These groups put the modules each first screen imports
 * statically into one chunk per way in: `first` (both), `explorer` (the explorer only), `embed`
 * (the embed only). The dynamically imported modules themselves (App.tsx, links.ts, ...) stay
 * their chunks' facades, so `import()` and the manifest still name them; what the entry itself
 * imports stays in the entry; views and panels loaded on use keep their own chunks.
 */
export function firstLoadChunks(root: string): CodeSplittingGroup[] {
  const src = (p: string) => join(root, p);
  const entry = [src('index.html'), src('src/main.tsx')];
  const explorer = FIRST_SCREENS.explorer.map(src);
  const embed = FIRST_SCREENS.embed.map(src);
  type Info = { importedIds: readonly string[] } | null;
  let sets: { entry: Set<string>; explorer: Set<string>; embed: Set<string> } | undefined;
  const closure = (roots: string[], info: (id: string) => Info): Set<string> => {
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      for (const i of info(id)?.importedIds ?? []) visit(i);
    };
    roots.forEach(visit);
    return seen;
  };
  const name = (id: string, ctx: { getModuleInfo: (id: string) => Info }): string | null => {
    const info = (m: string) => ctx.getModuleInfo(m);
    sets ??= { entry: closure(entry, info), explorer: closure(explorer, info), embed: closure(embed, info) };
    if (entry.includes(id) || explorer.includes(id) || embed.includes(id)) return null;
    if (sets.entry.has(id)) return 'boot';
    const inExplorer = sets.explorer.has(id);
    const inEmbed = sets.embed.has(id);
    return inExplorer && inEmbed ? 'first' : inExplorer ? 'explorer' : inEmbed ? 'embed' : null;
  };
  return [{ name, includeDependenciesRecursively: false }];
}
