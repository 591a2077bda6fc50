import { join } from 'node:path';
import type { CodeSplittingGroup } from 'rolldown';
import type { Plugin } from 'vite';
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
 *
 * A way in's module that grouped modules also import statically (pseudocode.ts, which the
 * pseudocode panel imports; links.ts) keeps what it imports out of the groups whose chunks would
 * import its chunk: there, its chunk and the group's would import each other, and of two chunks
 * in a cycle one runs first and reads the other's exports before they are set (pseudocode.ts's
 * statement list was `undefined`, and the panel marked no line). The bundler's own chunks for
 * them import nothing back. `noChunkCycles` checks the result.
 */
export function firstLoadChunks(root: string): CodeSplittingGroup[] {
  const src = (p: string) => join(root, p);
  const entry = [src('index.html'), src('src/main.tsx')];
  const explorer = FIRST_SCREENS.explorer.map(src);
  const embed = FIRST_SCREENS.embed.map(src);
  const roots = [...entry, ...explorer, ...embed];
  type Info = { importedIds: readonly string[] } | null;
  type Group = 'boot' | 'first' | 'explorer' | 'embed';
  /** The groups a group's chunk imports, itself included: each imports the ones below it. */
  const reaches: Record<Group, Group[]> = {
    boot: ['boot'],
    first: ['first', 'boot'],
    explorer: ['explorer', 'first', 'boot'],
    embed: ['embed', 'first', 'boot'],
  };
  const closure = (from: string[], info: (id: string) => Info): Set<string> => {
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      for (const i of info(id)?.importedIds ?? []) visit(i);
    };
    from.forEach(visit);
    return seen;
  };
  let groups: Map<string, Group> | undefined;
  const assign = (info: (id: string) => Info): Map<string, Group> => {
    const boot = closure(entry, info);
    const ex = closure(explorer, info);
    const em = closure(embed, info);
    const of = new Map<string, Group>();
    for (const id of new Set([...boot, ...ex, ...em])) {
      if (roots.includes(id)) continue;
      of.set(
        id,
        boot.has(id) ? 'boot' : ex.has(id) && em.has(id) ? 'first' : ex.has(id) ? 'explorer' : 'embed',
      );
    }
    // A way in that grouped modules import: what it imports leaves any group whose chunk would
    // import its chunk back (see above).
    for (const r of roots) {
      const importers = new Set<Group>();
      for (const [m, g] of of) if ((info(m)?.importedIds ?? []).includes(r)) importers.add(g);
      if (!importers.size) continue;
      for (const d of closure([r], info)) {
        const g = of.get(d);
        if (g && reaches[g].some((x) => importers.has(x))) of.delete(d);
      }
    }
    return of;
  };
  const name = (id: string, ctx: { getModuleInfo: (id: string) => Info }): string | null => {
    groups ??= assign((m) => ctx.getModuleInfo(m));
    return groups.get(id) ?? null;
  };
  return [{ name, includeDependenciesRecursively: false }];
}

/**
 * The chunks' static imports, checked for a cycle (see above): the build fails, naming the chunks,
 * rather than ship modules that read each other's exports before they are set.
 */
export function noChunkCycles(bundle: Record<string, { type: string; imports?: readonly string[] }>): void {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (f: string) => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      const cycle = [...path.slice(path.indexOf(f)), f].join(' -> ');
      throw new Error(`chunks import each other: ${cycle}`);
    }
    state.set(f, 'open');
    path.push(f);
    const c = bundle[f];
    for (const i of c?.type === 'chunk' ? (c.imports ?? []) : []) visit(i);
    path.pop();
    state.set(f, 'done');
  };
  Object.keys(bundle).forEach(visit);
}

/** The build's check that no two chunks import each other (noChunkCycles). */
export function noChunkCyclesPlugin(): Plugin {
  return { name: 'no-chunk-cycles', apply: 'build', generateBundle: (_, bundle) => noChunkCycles(bundle) };
}
