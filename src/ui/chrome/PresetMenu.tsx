import { useEffect, useId, useRef, useState } from 'react';
import { PRESETS, presetScenario } from '../../state/scenarioIO.ts';
import type { Preset } from '../../state/scenarioIO.ts';
import { useStore } from '../../state/store.ts';
import { Icon } from './Icon.tsx';

function groups(): [string, Preset[]][] {
  const m = new Map<string, Preset[]>();
  for (const p of PRESETS) m.set(p.group, [...(m.get(p.group) ?? []), p]);
  return [...m.entries()];
}

/** The worked examples, one click away: each with a sentence on what to watch for. */
export function PresetMenu() {
  const [open, setOpen] = useState(false);
  const id = useId();
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLButtonElement>('button.preset')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onDown = (e: PointerEvent) => {
      if (!panel.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node))
        setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onDown);
    };
  }, [open]);

  const choose = (p: Preset) => {
    useStore.getState().load(presetScenario(p), { watch: p.watch });
    setOpen(false);
    button.current?.focus();
  };

  return (
    <div className="preset-menu">
      <button
        ref={button}
        type="button"
        className="button"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen(!open)}
      >
        <Icon name="book" /> Presets
      </button>
      {open && (
        <div
          className="preset-panel"
          id={`${id}-panel`}
          ref={panel}
          role="dialog"
          aria-label="Presets"
          aria-modal="false"
        >
          {groups().map(([g, list]) => (
            <section key={g} className="preset-group" aria-label={g}>
              <h2>{g}</h2>
              <ul>
                {list.map((p) => (
                  <li key={p.id}>
                    <button type="button" className="preset" onClick={() => choose(p)}>
                      <span className="preset-title">
                        {p.title}
                        <span className="preset-kernel">
                          {(p.file as { kernel?: string }).kernel === 'v5.2' ? 'Linux 5.2' : 'Linux 6.1'}
                        </span>
                      </span>
                      <span className="preset-watch">{p.watch}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
