import type { NamedBit } from '../model/bits.ts';
import { cx } from '../hooks.ts';

/**
 * A range register (`pfn_flags_mask` or `default_flags`) as the stage shows it, one lettered
 * chip per named bit, where each chip is a toggle that edits the scenario: the README's demo
 * ("flip bit 62 of pfn_flags_mask") works from the stage, in every mode, presentation included.
 * Other bits set in the register show as `+`, as on the cells.
 */
export function RegisterToggles({
  register,
  bits,
  word,
  added = false,
  onToggle,
  disabled = false,
}: {
  register: 'pfn_flags_mask' | 'default_flags';
  bits: NamedBit[];
  word: bigint;
  /** Lit chips take default_flags' colour. */
  added?: boolean;
  onToggle: (bit: number) => void;
  /** The wrapper overwrites the registers (hmm_vma_fault): nothing to toggle. */
  disabled?: boolean;
}) {
  const other = bits.reduce((w, b) => w & ~(1n << BigInt(b.bit)), word);
  return (
    <span
      className={cx('chips register-toggles', bits.length > 2 && 'tight')}
      role="group"
      aria-label={register}
    >
      {bits.map((b) => {
        const on = ((word >> BigInt(b.bit)) & 1n) === 1n;
        return (
          <button
            key={b.bit}
            type="button"
            className={cx('chip chip-toggle', on && 'on', on && added && 'added')}
            aria-pressed={on}
            aria-label={`${register} bit ${b.bit} ${b.name}`}
            title={`${register} bit ${b.bit} (${b.name}): ${on ? 'set' : 'clear'}. Click to ${on ? 'clear' : 'set'} it.`}
            disabled={disabled}
            onClick={() => onToggle(b.bit)}
          >
            {b.short}
          </button>
        );
      })}
      {other ? (
        <span className="chip more" aria-hidden="true" title={`other bits 0x${other.toString(16)}`}>
          +
        </span>
      ) : null}
    </span>
  );
}
