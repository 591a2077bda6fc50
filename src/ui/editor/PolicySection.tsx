import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { setDefaultFlags, setMask } from '../../state/edits.ts';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { namedBits, requestFlags } from '../model/bits.ts';
import { Register } from './Register.tsx';

const ALL = (1n << 64n) - 1n;

const select = (s: Store) => ({
  kernel: s.scenario.kernel,
  layout: s.scenario.layout,
  call: s.scenario.call,
  defaults: s.scenario.defaultFlags,
  mask: s.scenario.pfnFlagsMask,
  edit: s.edit,
});

/** The range-wide request policy the seed patch introduced. */
export function PolicySection() {
  const { kernel, layout, call, defaults, mask, edit } = useStore(useShallow(select));
  const bits = useMemo(() => namedBits({ kernel, layout }), [kernel, layout]);
  const f = requestFlags({ kernel, layout });
  return (
    <div className="section-body">
      <p className="formula-line">
        request = (<code>pfns[i]</code> &amp; <code>pfn_flags_mask</code>) | <code>default_flags</code>
      </p>
      {call === 'hmm_vma_fault' && (
        <p className="note">
          <code>hmm_vma_fault</code> overwrites both: default_flags = 0, pfn_flags_mask = -1UL.
        </p>
      )}
      <Register
        name="default_flags"
        value={defaults}
        bits={bits}
        onChange={(v, g) => edit((s) => setDefaultFlags(s, v), g)}
        help="Asked for every page of the range."
        shortcuts={[
          { label: '0', value: 0n },
          { label: 'VALID', value: f.VALID },
          { label: 'VALID|WRITE', value: f.VALID | f.WRITE },
        ]}
      />
      <Register
        name="pfn_flags_mask"
        value={mask}
        bits={bits}
        onChange={(v, g) => edit((s) => setMask(s, v), g)}
        help="Which bits of each page's own pfns[i] count."
        shortcuts={[
          { label: '0', value: 0n },
          { label: 'WRITE', value: f.WRITE },
          { label: 'all', value: ALL },
        ]}
      />
    </div>
  );
}
