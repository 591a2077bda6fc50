import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { Icon } from './Icon.tsx';

const select = (s: Store) => s.notice;

/** A message the user must see: a link that could not be read, an engine failure. */
export function NoticeBanner() {
  const notice = useStore(select);
  return (
    <div role="alert" className="notice-live">
      {notice && (
        <div className={`notice ${notice.kind}`}>
          <div className="notice-body">
            <strong>{notice.title}</strong>
            {notice.lines.length > 0 && (
              <ul>
                {notice.lines.map((l) => (
                  <li key={l}>
                    <code>{l}</code>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <button
            type="button"
            className="icon-button small"
            aria-label="Dismiss the message"
            onClick={() => useStore.getState().setNotice(null)}
          >
            <Icon name="close" size={16} />
          </button>
        </div>
      )}
    </div>
  );
}
