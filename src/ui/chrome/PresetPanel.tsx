/**
 * The presets panel: the worked examples by group and the recordings by kernel, searchable. Loaded
 * when the menu is first opened (PresetMenu.tsx), with the build-time list of recordings it shows.
 */
import { useRef, useState } from 'react';
import type { RefObject } from 'react';
import { useDismissablePanel } from '../hooks.ts';
import { PRESETS, presetScenario } from '../../state/scenarioIO.ts';
import type { Preset } from '../../state/scenarioIO.ts';
import { useStore } from '../../state/store.ts';
import { RECORDED_SETS, fixtureNumber, loadRecording } from '../recorded/recordings.ts';
import { isKernel, kernelLabel } from '../../engine/kernels/registry.ts';

/** The recordings' groups (kernel-fixtures README: which fixtures are hand-picked, and what about). */
const RECORDED_GROUPS: [string, (n: number) => boolean][] = [
  ['hmm.rst, the walk, faults and retries', (n) => n <= 16],
  ['Transparent huge pages', (n) => n >= 217 && n <= 235],
  ['hugetlb', (n) => n >= 236 && n <= 252],
  ['hwpoison', (n) => n >= 253 && n <= 268],
  ['Device-private memory', (n) => n >= 269],
];

/** Every word of the query is in the text (case-insensitive): "zero v5" finds v5.2's zero-page presets. */
export function matches(query: string, ...texts: string[]): boolean {
  const hay = texts.join(' ').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

/** The label of a preset's kernel ("Linux 6.12"), or nothing for a file without a known one. */
function kernelOf(p: Preset): string {
  const k = (p.file as { kernel?: unknown }).kernel;
  return isKernel(k) ? kernelLabel(k) : '';
}

/** The presets by their own group field (the data's groups, in the data's order), filtered. */
function groups(query: string): [string, Preset[]][] {
  const m = new Map<string, Preset[]>();
  for (const p of PRESETS)
    if (matches(query, p.title, p.group, p.id, kernelOf(p), p.watch))
      m.set(p.group, [...(m.get(p.group) ?? []), p]);
  return [...m.entries()];
}

/** The open panel of the Presets menu; `close` closes it (the trigger keeps the open state). */
export function PresetPanel({
  id,
  button,
  close,
}: {
  id: string;
  button: RefObject<HTMLButtonElement | null>;
  close: () => void;
}) {
  const [query, setQuery] = useState('');
  const panel = useRef<HTMLDivElement>(null);
  // Mounted only while open: the panel takes the focus and closes on Escape or a click outside.
  useDismissablePanel(true, close, panel, button, 'button.preset');
  const presetGroups = groups(query);
  // Per recorded kernel, its groups with the recordings the query finds.
  const recordedSets = RECORDED_SETS.map((set) => ({
    set,
    groups: RECORDED_GROUPS.map(
      ([label, inGroup]) =>
        [
          label,
          set.recorded.filter(
            (r) =>
              inGroup(Number(fixtureNumber(r.id))) &&
              matches(query, r.title, fixtureNumber(r.id), label, `recorded ${set.model}`),
          ),
        ] as const,
    ).filter(([, list]) => list.length > 0),
  })).filter((s) => s.groups.length > 0);
  const recordedCount = RECORDED_SETS.reduce((n, s) => n + s.recorded.length, 0);
  const found =
    presetGroups.reduce((n, [, l]) => n + l.length, 0) +
    recordedSets.reduce((n, s) => n + s.groups.reduce((m, [, l]) => m + l.length, 0), 0);

  const choose = (p: Preset) => {
    useStore.getState().load(presetScenario(p), { watch: p.watch });
    close();
    button.current?.focus();
  };

  const chooseRecording = (id: string, model: string) => {
    close();
    button.current?.focus();
    loadRecording(id).then(
      (rec) =>
        useStore.getState().load(rec.scenario, {
          watch: `Recorded on a real ${model} kernel: the panel under the title puts what it did beside what the engine does.`,
          recorded: rec,
        }),
      (e: unknown) =>
        useStore.getState().notify({
          kind: 'error',
          title: 'The recording could not be loaded',
          lines: [e instanceof Error ? e.message : String(e)],
        }),
    );
  };

  return (
    <div className="preset-panel" id={id} ref={panel} role="dialog" aria-label="Presets" aria-modal="false">
      <input
        type="search"
        className="preset-search"
        aria-label="Search presets"
        placeholder={`Search ${PRESETS.length + recordedCount} presets: title, kernel, group`}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {found === 0 && (
        <p className="preset-watch" role="status">
          No preset matches “{query}”.
        </p>
      )}
      {presetGroups.map(([g, list]) => (
        <section key={g} className="preset-group" aria-label={g}>
          <h2>{g}</h2>
          <ul>
            {list.map((p) => (
              <li key={p.id}>
                <button type="button" className="preset" onClick={() => choose(p)}>
                  <span className="preset-title">
                    {p.title}
                    <span className="preset-kernel">{kernelOf(p)}</span>
                  </span>
                  <span className="preset-watch">{p.watch}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {recordedSets.map(({ set, groups: setGroups }) => (
        <section
          key={set.folder}
          className="preset-group recorded-group"
          aria-label={`Recorded on ${set.model}`}
        >
          <h2>Recorded on {set.model}</h2>
          <p className="preset-watch">
            Scenarios run on a real {set.kernel} kernel: each opens with what the kernel did beside what the
            engine does.
          </p>
          {setGroups.map(([label, list]) => (
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
          ))}
        </section>
      ))}
    </div>
  );
}
