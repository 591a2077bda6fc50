const TARGETS = [
  { id: 'player', label: 'Skip to the player' },
  { id: 'stage', label: 'Skip to the stage' },
  { id: 'editor', label: 'Skip to the editor' },
];

/**
 * Hidden until focused: the first Tab stops, so keyboard users reach the player or the stage
 * without walking through the toolbar and the editor. They move focus themselves rather than
 * following the #anchor, because the URL's hash holds the scenario.
 */
export function SkipLinks({ editor }: { editor: boolean }) {
  return (
    <nav className="skip-links" aria-label="Skip links">
      {TARGETS.filter((t) => editor || t.id !== 'editor').map((t) => (
        <a
          key={t.id}
          href={`#${t.id}`}
          onClick={(e) => {
            e.preventDefault();
            const el = document.getElementById(t.id);
            el?.focus();
            el?.scrollIntoView({ block: 'nearest' });
          }}
        >
          {t.label}
        </a>
      ))}
    </nav>
  );
}
