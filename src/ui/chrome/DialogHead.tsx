import { Icon } from './Icon.tsx';

/**
 * A modal dialog's heading row: its title (the dialog's `aria-labelledby` names `id`) and the close
 * button, the same in every dialog so a reader finds "Close" in one place.
 */
export function DialogHead({ id, title, onClose }: { id: string; title: string; onClose: () => void }) {
  return (
    <div className="about-head">
      <h2 id={id}>{title}</h2>
      <button type="button" className="icon-button small" aria-label="Close" onClick={onClose}>
        <Icon name="close" />
      </button>
    </div>
  );
}
