import { useStore } from '../../state/store.ts';
import type { Notice, Store } from '../../state/store.ts';
import { Icon } from './Icon.tsx';

const select = (s: Store) => s.notices;

/**
 * The messages the user must see (a link that could not be read, an engine failure, edits not
 * being saved), each with its own Dismiss: a new one joins those on screen, it does not hide them.
 */
export function NoticeBanner() {
  const notices = useStore(select);
  return (
    <div role="alert" className="notice-live">
      {notices.map((n) => (
        <NoticeItem key={n.title} notice={n} />
      ))}
    </div>
  );
}

function NoticeItem({ notice }: { notice: Notice }) {
  return (
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
        title={`Dismiss: ${notice.title}`}
        onClick={() => useStore.getState().dismiss(notice)}
      >
        <Icon name="close" size={16} />
      </button>
    </div>
  );
}
