import { useEffect, useRef, useState } from 'react';
import { useStore } from '../../state/store.ts';
import { useMode } from '../../state/mode.ts';
import { currentUrl } from '../links.ts';
import { Icon } from './Icon.tsx';

/**
 * Copies a link that reopens exactly what is on screen: the view (a tour step, a question, both
 * sides of a comparison), the scenario and the moment. The link is also
 * shown in a field, selected, for browsers that refuse clipboard access.
 */
export function CopyLink() {
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const field = useRef<HTMLInputElement>(null);
  // A comparison has scenarios of its own: the explorer's problems do not stop it being shared.
  const problems = useStore((s) => s.problems.length);
  const compare = useMode((m) => m.mode === 'compare');

  useEffect(() => {
    if (link) field.current?.select();
  }, [link]);

  const copy = async () => {
    // The view, its scenario or scenarios, and the moment on screen (see state/link.ts).
    const url = currentUrl();
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
      <button
        type="button"
        className="button"
        onClick={copy}
        disabled={!compare && problems > 0}
        aria-label="Copy link"
      >
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
