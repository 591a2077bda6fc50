import { memo } from 'react';

const PATHS: Record<string, string> = {
  play: 'M7 4.5v15l12-7.5z',
  pause: 'M6.5 4.5h4v15h-4zM13.5 4.5h4v15h-4z',
  back: 'M18 5v14l-9-7zM6 5h2.5v14H6z',
  forward: 'M6 5v14l9-7zM15.5 5H18v14h-2.5z',
  start: 'M19 5v14l-7-7zM12 5v14l-7-7zM3.5 5H5v14H3.5z',
  end: 'M5 5v14l7-7zM12 5v14l7-7zM19 5h1.5v14H19z',
  run: 'M8 4.5v15l11-7.5z',
  undo: 'M9 7H4V2M4.5 7A8 8 0 1 1 4 13',
  redo: 'M15 7h5V2M19.5 7A8 8 0 1 0 20 13',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  sun: 'M12 7a5 5 0 1 0 0 10a5 5 0 1 0 0-10zM12 1v3M12 20v3M1 12h3M20 12h3M4.2 4.2l2.1 2.1M17.7 17.7l2.1 2.1M4.2 19.8l2.1-2.1M17.7 6.3l2.1-2.1',
  moon: 'M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z',
  auto: 'M12 3a9 9 0 1 0 0 18zM12 3a9 9 0 0 1 0 18',
  panel: 'M3 4h18v16H3zM9 4v16',
  book: 'M4 4h6a3 3 0 0 1 3 3v13a2 2 0 0 0-2-2H4zM20 4h-6a3 3 0 0 0-3 3v13a2 2 0 0 1 2-2h7z',
  close: 'M6 6l12 12M18 6L6 18',
  plus: 'M12 5v14M5 12h14',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13',
  info: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 11v6M12 7.5v.5',
  external: 'M14 4h6v6M20 4l-9 9M18 14v6H4V6h6',
  code: 'M8 7l-5 5l5 5M16 7l5 5l-5 5M13.5 5l-3 14',
  download: 'M12 3v12M7 10l5 5l5-5M4 19h16',
  upload: 'M12 16V4M7 9l5-5l5 5M4 19h16',
  present: 'M3 4h18v12H3zM12 16v4M8 20h8',
  compare: 'M4 4h7v16H4zM13 4h7v16h-7z',
  check: 'M5 12.5l4.5 4.5L19 7',
  cross: 'M6 6l12 12M18 6L6 18',
  next: 'M9 5l7 7l-7 7',
  prev: 'M15 5l-7 7l7 7',
};

const FILLED = new Set(['play', 'pause', 'back', 'forward', 'start', 'end', 'run']);

/** A small inline icon; always decorative (the control carries the name). Memoised: the player's re-render with each step. */
export const Icon = memo(function Icon({
  name,
  size = 18,
}: {
  name: keyof typeof PATHS | string;
  size?: number;
}) {
  const filled = FILLED.has(name);
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      fill={filled ? 'currentColor' : 'none'}
      stroke={filled ? 'none' : 'currentColor'}
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={PATHS[name] ?? ''} />
    </svg>
  );
});
