import { useEffect, useRef, useState } from 'react';
import { compactHash } from '../../state/scenarioIO.ts';
import { useStore } from '../../state/store.ts';
import { useMode } from '../../state/mode.ts';
import { Icon } from './Icon.tsx';

/**
 * Copies a link that reopens exactly this scenario (the compact lz-string form). The link is also
 * shown in a field, selected, for browsers that refuse clipboard access.
 */
export function CopyLink() {
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const problems = useStore((s) => s.problems.length);

  useEffect(() => {
    if (link) field.current?.select();
  }, [link]);

  const copy = async () => {
    const s = useStore.getState().scenario;
    // A tour step or a ready question is linked as itself (#tour=3), not as its scenario.
    const hash = useMode.getState().link ?? compactHash(s);
    const url = `${location.origin}${location.pathname}${location.search}${hash}`;
    setLink(url);
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  return (
    <div className="copy-link">
      <button type="button" className="button" onClick={copy} disabled={problems > 0} aria-label="Copy link">
        <Icon name="link" /> <span className="button-text">Copy link</span>
      </button>
      {link && (
        <div className="link-pop" role="group" aria-label="Share link">
          <input
            ref={field}
            readOnly
            value={link}
            aria-label="Link to this scenario"
            onFocus={(e) => e.target.select()}
          />
          <span role="status" className="copied">
            {copied === null ? '' : copied ? 'Copied to the clipboard' : 'Select and copy the link'}
          </span>
          <button
            type="button"
            className="icon-button small"
            aria-label="Close the link"
            onClick={() => setLink(null)}
          >
            <Icon name="close" size={16} />
          </button>
        </div>
      )}
    </div>
  );
}
