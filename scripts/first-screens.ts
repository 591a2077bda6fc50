/**
 * The modules each way into the app imports, beyond the entry, before its first render (see
 * src/main.tsx): the explorer loads App, the links' reader and the pseudocode listing's module; an
 * embed loads EmbedApp, the same reader and its figure (`?embed` alone shows a stage; a comparison
 * or a tour step loads its own instead). Paths from the project's root.
 *
 * `npm run size` measures what these load; the build groups their static imports into one chunk
 * per way in (first-load-chunks.ts). A change to what main.tsx awaits belongs here too.
 */
export const FIRST_SCREENS = {
  explorer: ['src/ui/App.tsx', 'src/ui/links.ts', 'src/ui/explain/pseudocode.ts'],
  embed: ['src/ui/embed/EmbedApp.tsx', 'src/ui/links.ts', 'src/ui/embed/StageFigure.tsx'],
} as const;
