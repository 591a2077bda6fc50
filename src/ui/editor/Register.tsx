import { useId, useState } from 'react';
import type { NamedBit } from '../model/bits.ts';
import { hex64, parseWord, wordProblem } from '../model/bits.ts';
import { toggleBit } from '../../state/edits.ts';
import { cx } from '../hooks.ts';
import { useStore } from '../../state/store.ts';
import { useRoving } from '../roving.ts';

const ROWS = [63, 47, 31, 15];

/**
 * A 64-bit register: one checkbox per bit (named bits lettered and highlighted), and a hex field
 * beside it that validates as you type. The fieldset's legend is the register's name, so the
 * group is announced (and found by tests) as "default_flags" / "pfn_flags_mask".
 */
export function Register({
  name,
  value,
  bits,
  onChange,
  help,
  shortcuts,
  onTypingEnd = () => useStore.getState().endGesture(),
}: {
  name: string;
  value: bigint;
  bits: NamedBit[];
  onChange: (v: bigint, gesture?: string) => void;
  help: string;
  shortcuts: { label: string; value: bigint }[];
  /** Typing in the hex field ends (blur): the explorer closes its undo gesture there. */
  onTypingEnd?: () => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const id = useId();
  const named = new Map(bits.map((b) => [b.bit, b]));
  const problem = draft === null ? null : wordProblem(draft);
  // One Tab stop for the 64 bits; arrows move along a row, up and down between rows.
  const roving = useRoving(64, 16);
  const text = draft ?? hex64(value);
  return (
    <fieldset className="register">
      <legend>
        <code>{name}</code>
      </legend>
      <p className="help" id={`${id}-help`}>
        {help} <span className="keys">Arrow keys move between bits, Space toggles.</span>
      </p>
      <div className="register-hex">
        <label htmlFor={`${id}-hex`} className="sr-only">
          {name} in hex
        </label>
        <input
          id={`${id}-hex`}
          className={cx('hex-input', problem && 'invalid')}
          spellCheck={false}
          autoComplete="off"
          value={text}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-err` : `${id}-help`}
          onChange={(e) => {
            setDraft(e.target.value);
            const v = parseWord(e.target.value);
            if (v !== null && !wordProblem(e.target.value)) onChange(v, `${name}-typing`);
          }}
          onBlur={() => {
            setDraft(null);
            onTypingEnd();
          }}
        />
        {shortcuts.map((s) => (
          <button
            key={s.label}
            type="button"
            className="small-button"
            onClick={() => onChange(s.value)}
            aria-label={`Set ${name} to ${s.label}`}
          >
            {s.label}
          </button>
        ))}
      </div>
      {problem && (
        <p className="field-error" id={`${id}-err`}>
          {problem}
        </p>
      )}
      <div className="bit-rows">
        {ROWS.map((hi) => (
          <div className="bit-row" key={hi}>
            <span className="bit-row-label" aria-hidden="true">
              {hi}
            </span>
            {[0, 1, 2, 3].map((n) => (
              <span className="nibble" key={n}>
                {[0, 1, 2, 3].map((k) => {
                  const bit = hi - n * 4 - k;
                  const nb = named.get(bit);
                  const on = ((value >> BigInt(bit)) & 1n) === 1n;
                  return (
                    <label
                      key={bit}
                      className={cx('bit-box', nb && 'named', on && 'on')}
                      title={`bit ${bit}${nb ? ' ' + nb.name : ''}`}
                    >
                      <input
                        type="checkbox"
                        checked={on}
                        aria-label={`bit ${bit}${nb ? ' ' + nb.name : ''}`}
                        onChange={() => onChange(toggleBit(value, bit))}
                        {...roving.item(63 - bit)}
                      />
                      <span aria-hidden="true">{nb ? nb.short : ''}</span>
                    </label>
                  );
                })}
              </span>
            ))}
            <span className="bit-row-label end" aria-hidden="true">
              {hi - 15}
            </span>
          </div>
        ))}
      </div>
      {bits.length > 0 && (
        <p className="named-legend" aria-hidden="true">
          {bits.map((b) => (
            <span key={b.bit} className={cx('named-key', b.role === 'output' && 'output')}>
              <b>{b.short}</b> bit {b.bit} {b.name}
            </span>
          ))}
        </p>
      )}
    </fieldset>
  );
}
