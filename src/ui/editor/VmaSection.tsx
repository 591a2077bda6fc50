import { useShallow } from 'zustand/react/shallow';
import type { Prot, Vma, VmaSpecial } from '../../engine/types.ts';
import { addVma, removeVma, updateVma } from '../../state/edits.ts';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { Icon } from '../chrome/Icon.tsx';

const select = (s: Store) => ({ vmas: s.scenario.vmas, edit: s.edit });

const PROTS: { v: Prot; label: string }[] = [
  { v: 'rw', label: 'rw' },
  { v: 'r', label: 'r' },
  { v: 'w', label: 'w (write-only)' },
  { v: '', label: 'none (PROT_NONE)' },
];

/** The vmas over the range: where they are, their protection and what backs them. */
export function VmaSection() {
  const { vmas, edit } = useStore(useShallow(select));
  const upd = (i: number, patch: Partial<Vma>) =>
    edit((s) => updateVma(s, i, patch), `vma-${i}-${Object.keys(patch)[0]}`);
  return (
    <div className="section-body">
      {vmas.length === 0 && <p className="help">No vma: every address is unmapped.</p>}
      <ul className="cards">
        {vmas.map((v, i) => (
          <li key={i} className="card">
            <div className="card-head">
              <strong>vma {i}</strong>
              <button
                type="button"
                className="icon-button small"
                aria-label={`Remove vma ${i}`}
                onClick={() => edit((s) => removeVma(s, i))}
              >
                <Icon name="trash" size={16} />
              </button>
            </div>
            <div className="field-row">
              <label className="field">
                <span>first page</span>
                <input
                  type="number"
                  aria-label={`vma ${i} first page`}
                  value={v.from}
                  onChange={(e) => upd(i, { from: Number(e.target.value) })}
                  onBlur={() => useStore.getState().endGesture()}
                />
              </label>
              <label className="field">
                <span>pages</span>
                <input
                  type="number"
                  aria-label={`vma ${i} pages`}
                  min={1}
                  value={v.pages}
                  onChange={(e) => upd(i, { pages: Math.max(1, Number(e.target.value)) })}
                  onBlur={() => useStore.getState().endGesture()}
                />
              </label>
              <label className="field">
                <span>prot</span>
                <select
                  aria-label={`vma ${i} prot`}
                  value={v.prot}
                  onChange={(e) => upd(i, { prot: e.target.value as Prot })}
                >
                  {PROTS.map((p) => (
                    <option key={p.v} value={p.v}>
                      {p.label}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <div className="field-row">
              <label className="field">
                <span>backing</span>
                <select
                  aria-label={`vma ${i} backing`}
                  value={v.backing}
                  onChange={(e) => upd(i, { backing: e.target.value as Vma['backing'] })}
                >
                  <option value="anon">anonymous</option>
                  <option value="file">file</option>
                </select>
              </label>
              <label className="field">
                <span>special</span>
                <select
                  aria-label={`vma ${i} special`}
                  value={v.special ?? ''}
                  onChange={(e) => upd(i, { special: (e.target.value || null) as VmaSpecial | null })}
                >
                  <option value="">—</option>
                  <option value="io">VM_IO</option>
                  <option value="pfnmap">VM_PFNMAP</option>
                  <option value="mixedmap">VM_MIXEDMAP</option>
                  <option value="hugetlb">hugetlb</option>
                </select>
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  aria-label={`vma ${i} shared`}
                  checked={v.shared}
                  onChange={(e) => upd(i, { shared: e.target.checked })}
                />
                <span>shared</span>
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  aria-label={`vma ${i} THP`}
                  checked={v.thp}
                  onChange={(e) => upd(i, { thp: e.target.checked })}
                />
                <span>THP</span>
              </label>
              <label
                className="check"
                title="UFFDIO_REGISTER_MODE_MISSING: a missing page waits for the userfaultfd handler"
              >
                <input
                  type="checkbox"
                  aria-label={`vma ${i} userfaultfd`}
                  checked={v.uffd === 'missing'}
                  onChange={(e) => upd(i, { uffd: e.target.checked ? 'missing' : null })}
                />
                <span>userfaultfd</span>
              </label>
            </div>
          </li>
        ))}
      </ul>
      <button type="button" className="small-button" onClick={() => edit(addVma)}>
        <Icon name="plus" size={14} /> Add vma
      </button>
    </div>
  );
}
