import { useCallback, useId, useRef, useState } from 'react';
import { useDismissablePanel } from '../hooks.ts';
import { PRESETS, presetScenario } from '../../state/scenarioIO.ts';
import type { Preset } from '../../state/scenarioIO.ts';
import { useStore } from '../../state/store.ts';
import { Icon } from './Icon.tsx';
import { RECORDED_SETS, fixtureNumber, loadRecording } from '../recorded/recordings.ts';
import { isKernel, kernelLabel } from '../../engine/kernels/registry.ts';

/** The label of a preset file's kernel ("Linux 6.12"), or nothing for a file without a known one. */
const presetKernelLabel = (file: unknown): string => {
  const k = (file as { kernel?: unknown }).kernel;
  return isKernel(k) ? kernelLabel(k) : '';
};

/** The recordings' groups (kernel-fixtures README: which fixtures are hand-picked, and what about). */
const RECORDED_GROUPS: [string, (n: number) => boolean][] = [
  ['hmm.rst, the walk, faults and retries', (n) => n <= 16],
  ['Transparent huge pages', (n) => n >= 217 && n <= 235],
  ['hugetlb', (n) => n >= 236 && n <= 252],
  ['hwpoison', (n) => n >= 253 && n <= 268],
  ['Device-private memory', (n) => n >= 269],
];

function groups(): [string, Preset[]][] {
  const m = new Map<string, Preset[]>();
  for (const p of PRESETS) m.set(p.group, [...(m.get(p.group) ?? []), p]);
  return [...m.entries()];
}

/** The worked examples, one click away: each with a sentence on what to watch for. */
export function PresetMenu() {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const id = useId();
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useDismissablePanel(open, close, panel, button, 'button.preset');

  const choose = (p: Preset) => {
    useStore.getState().load(presetScenario(p), { watch: p.watch });
    setOpen(false);
    button.current?.focus();
  };

  const chooseRecording = (id: string, model: string) => {
    setOpen(false);
    button.current?.focus();
    loadRecording(id).then(
      (rec) =>
        useStore.getState().load(rec.scenario, {
          watch: `Recorded on a real ${model} kernel: the panel under the title puts what it did beside what the engine does.`,
          recorded: rec,
        }),
      (e: unknown) =>
        useStore.getState().setNotice({
          kind: 'error',
          title: 'The recording could not be loaded',
          lines: [e instanceof Error ? e.message : String(e)],
        }),
    );
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
                        <span className="preset-kernel">{presetKernelLabel(p.file)}</span>
                      </span>
                      <span className="preset-watch">{p.watch}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ))}
          {RECORDED_SETS.map((set) => (
            <section
              key={set.folder}
              className="preset-group recorded-group"
              aria-label={`Recorded on ${set.model}`}
            >
              <h2>Recorded on {set.model}</h2>
              <p className="preset-watch">
                Scenarios run on a real {set.kernel} kernel: each opens with what the kernel did beside what
                the engine does.
              </p>
              {RECORDED_GROUPS.map(([label, inGroup]) => {
                const list = set.recorded.filter((r) => inGroup(Number(fixtureNumber(r.id))));
                if (list.length === 0) return null;
                return (
                  <div key={label} className="recorded-subgroup">
                    <h3>{label}</h3>
                    <ul>
                      {list.map((r) => (
                        <li key={r.id}>
                          <button
                            type="button"
                            className="preset recorded"
                            onClick={() => chooseRecording(r.id, set.model)}
                          >
                            <span className="recorded-number">{fixtureNumber(r.id)}</span>
                            <span className="preset-watch">{r.title}</span>
                          </button>
                        </li>
                      ))}
                    </ul>
                  </div>
                );
              })}
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
