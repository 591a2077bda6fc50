import { useShallow } from 'zustand/react/shallow';
import { GENERATIONS, generation, hasDriverLayout } from '../../engine/kernels/registry.ts';
import type { CallName } from '../../engine/types.ts';
import { PRESET_LAYOUT_NAMES, hexMin, presetLayout, sameLayout } from '../../engine/scenario/layout.ts';
import type { PresetLayoutName } from '../../engine/scenario/layout.ts';
import {
  setBlock,
  setCall,
  setDriverLoop,
  setKernel,
  setLayout,
  setOwner,
  setTimeout as setCallTimeout,
} from '../../state/edits.ts';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { parseWord, wordProblem } from '../model/bits.ts';
import { useId, useState } from 'react';

const CALLS: { name: CallName; help: string }[] = [
  { name: 'hmm_range_fault', help: 'fault in what the request asks for' },
  { name: 'hmm_range_snapshot', help: 'read the page table, never fault' },
  { name: 'hmm_vma_fault', help: 'the old API: mask = -1UL, default_flags = 0' },
  {
    name: 'hmm_range_fault_unlocked_timeout',
    help: 'takes mmap_lock itself and lets a fault drop it (userfaultfd); every pass walks from range->start',
  },
];

/** Which kernels have a call, for a disabled option's note ("Linux 5.2 only"). */
const callKernels = (call: CallName) =>
  GENERATIONS.filter((g) => (g.calls as readonly CallName[]).includes(call)).map((g) => g.label);

const selectCall = (s: Store) => ({
  kernel: s.scenario.kernel,
  call: s.scenario.call,
  block: s.scenario.block,
  timeout: s.scenario.timeout,
  driverLoop: s.scenario.driverLoop,
  layout: s.scenario.layout,
  owner: s.scenario.devicePrivateOwner,
  edit: s.edit,
});

/** Kernel, entry point, driver loop and the driver's bit layout. */
export function CallSection() {
  const { kernel, call, block, timeout, driverLoop, layout, owner, edit } = useStore(useShallow(selectCall));
  const layoutName: PresetLayoutName | 'custom' =
    PRESET_LAYOUT_NAMES.find((n) => sameLayout(presetLayout(n), layout)) ?? 'custom';
  return (
    <div className="section-body">
      <fieldset className="segmented kernel-picker" role="radiogroup" aria-label="Kernel">
        <legend>Kernel</legend>
        {GENERATIONS.map((g) => (
          <label key={g.id} className={kernel === g.id ? 'selected' : undefined} title={g.changed}>
            <input
              type="radio"
              name="kernel"
              value={g.id}
              checked={kernel === g.id}
              onChange={() => edit((s) => setKernel(s, g.id))}
            />
            <span>
              {g.label} <span className="year">{g.year}</span>
            </span>
            <small>{g.tagline}</small>
            <span className="sr-only">. What changed: {g.changed}</span>
          </label>
        ))}
      </fieldset>
      <p className="help kernel-note" aria-hidden="true">
        <strong>What changed:</strong> {generation(kernel).changed}
      </p>
      <label className="field">
        <span>Call</span>
        <select value={call} onChange={(e) => edit((s) => setCall(s, e.target.value as CallName))}>
          {CALLS.map((c) => {
            const has = (generation(kernel).calls as readonly CallName[]).includes(c.name);
            return (
              <option key={c.name} value={c.name} disabled={!has}>
                {c.name}
                {has ? '' : ` (${callKernels(c.name).join(', ')} only)`}
              </option>
            );
          })}
        </select>
      </label>
      <p className="help">{CALLS.find((c) => c.name === call)?.help}</p>
      {call === 'hmm_range_fault_unlocked_timeout' && (
        <label className="field">
          <span>
            <code>timeout</code> (jiffies, 0 = for ever)
          </span>
          <input
            type="number"
            min={0}
            step={1}
            value={timeout}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (Number.isInteger(v) && v >= 0) edit((s) => setCallTimeout(s, v), 'timeout');
            }}
            onBlur={() => useStore.getState().endGesture()}
          />
        </label>
      )}
      <div className="checks">
        {hasDriverLayout(kernel) && (
          <label className="check">
            <input
              type="checkbox"
              checked={block}
              onChange={(e) => edit((s) => setBlock(s, e.target.checked))}
            />
            <span>
              <code>block</code> argument
            </span>
          </label>
        )}
        <label className="check">
          <input
            type="checkbox"
            checked={driverLoop}
            onChange={(e) => edit((s) => setDriverLoop(s, e.target.checked))}
          />
          <span>driver retry loop (hmm.rst)</span>
        </label>
      </div>
      {hasDriverLayout(kernel) ? (
        <>
          <label className="field">
            <span>Driver layout</span>
            <select
              value={layoutName}
              onChange={(e) => {
                const v = e.target.value as PresetLayoutName | 'custom';
                edit((s) =>
                  v === 'custom'
                    ? { ...s, layout: { ...s.layout, name: 'custom' } }
                    : setLayout(s, presetLayout(v)),
                );
              }}
            >
              <option value="seed">seed (VALID = 1&lt;&lt;63, WRITE = 1&lt;&lt;62)</option>
              <option value="nouveau">nouveau (V = 0x1, W = 0x2, pfn &lt;&lt; 12)</option>
              <option value="amdgpu">amdgpu (V = 0x1, W = 0x2, pfn &lt;&lt; 12)</option>
              <option value="custom">custom…</option>
            </select>
          </label>
          {layoutName === 'custom' && <CustomLayout />}
        </>
      ) : (
        <fieldset className="segmented small" role="radiogroup" aria-label="dev_private_owner">
          <legend>
            <code>dev_private_owner</code>
          </legend>
          {(['this', 'none'] as const).map((o) => (
            <label key={o} className={owner === o ? 'selected' : undefined}>
              <input
                type="radio"
                name="owner"
                checked={owner === o}
                onChange={() => edit((s) => setOwner(s, o))}
              />
              <span>{o === 'this' ? 'this device' : 'NULL'}</span>
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}

const FIELDS = [
  ['flags', 'VALID'],
  ['flags', 'WRITE'],
  ['flags', 'DEVICE_PRIVATE'],
  ['values', 'ERROR'],
  ['values', 'NONE'],
  ['values', 'SPECIAL'],
] as const;

/** The v5.2 flags[] / values[] / pfn_shift of a custom driver, as hex fields. */
function CustomLayout() {
  const layout = useStore((s) => s.scenario.layout);
  const edit = useStore((s) => s.edit);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const id = useId();
  return (
    <div className="custom-layout">
      {FIELDS.map(([group, key]) => {
        const k = `${group}.${key}`;
        const current = (layout[group] as Record<string, bigint>)[key];
        const text = drafts[k] ?? hexMin(current);
        const problem = drafts[k] === undefined ? null : wordProblem(text);
        return (
          <label key={k} className="field hex">
            <span>
              {group}[{key}]
            </span>
            <input
              className={problem ? 'hex-input invalid' : 'hex-input'}
              value={text}
              spellCheck={false}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${id}-${key}` : undefined}
              onChange={(e) => {
                setDrafts({ ...drafts, [k]: e.target.value });
                const v = parseWord(e.target.value);
                if (v === null || wordProblem(e.target.value)) return;
                edit(
                  (s) => ({
                    ...s,
                    layout: { ...s.layout, name: 'custom', [group]: { ...s.layout[group], [key]: v } },
                  }),
                  `layout-${k}`,
                );
              }}
              onBlur={() => {
                const { [k]: _, ...rest } = drafts;
                setDrafts(rest);
                useStore.getState().endGesture();
              }}
            />
            {problem && (
              <small className="field-error" id={`${id}-${key}`}>
                {problem}
              </small>
            )}
          </label>
        );
      })}
      <label className="field hex">
        <span>pfn_shift</span>
        <input
          type="number"
          min={0}
          max={63}
          value={layout.pfnShift}
          onChange={(e) =>
            edit((s) => ({ ...s, layout: { ...s.layout, name: 'custom', pfnShift: Number(e.target.value) } }))
          }
        />
      </label>
    </div>
  );
}
