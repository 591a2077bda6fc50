const LABELS: Record<string, string> = {
  player: 'Skip to the player',
  stage: 'Skip to the stage',
  editor: 'Skip to the editor',
  tour: 'Skip to the tour',
  predict: 'Skip to the prediction',
  'compare-a': 'Skip to the comparison',
};

export type SkipTarget = keyof typeof LABELS;

/**
 * Hidden until focused: the first Tab stops, so keyboard users reach the player or the stage
 * without walking through the toolbar and the editor. They move focus themselves rather than
 * following the #anchor, because the URL's hash holds the scenario. Each view names the targets
 * it has.
 */
export function SkipLinks({ targets }: { targets: SkipTarget[] }) {
  return (
    <nav className="skip-links" aria-label="Skip links">
      {targets.map((id) => (
        <a
          key={id}
          href={`#${id}`}
          onClick={(e) => {
            e.preventDefault();
            const el = document.getElementById(id);
            el?.focus();
            el?.scrollIntoView({ block: 'nearest' });
          }}
        >
          {LABELS[id]}
        </a>
      ))}
    </nav>
  );
}
