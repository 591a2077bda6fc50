import { memo } from 'react';
import type { NamedBit } from '../model/bits.ts';
import { cx } from '../hooks.ts';

/**
 * The named request bits of one word as small lettered boxes, highest bit first: lit when set.
 * `struck` marks bits the caller set but the mask removed, so the AND can be read off the column.
 * Memoised: a stage row draws one per page, and a step changes the words of a few pages at most.
 */
export const BitChips = memo(function BitChips({
  bits,
  word,
  struck = 0n,
  added = 0n,
  label,
}: {
  bits: NamedBit[];
  word: bigint;
  struck?: bigint;
  added?: bigint;
  label?: string;
}) {
  const names = bits.filter((b) => (word >> BigInt(b.bit)) & 1n).map((b) => b.name.split(' ')[0]);
  const other = bits.reduce((w, b) => w & ~(1n << BigInt(b.bit)), word);
  return (
    <span
      className={bits.length > 2 ? 'chips tight' : 'chips'}
      role="img"
      aria-label={`${label ? label + ': ' : ''}${names.length ? names.join(' | ') : 'no flags'}${other ? ' and other bits' : ''}`}
    >
      {bits.map((b) => {
        const m = 1n << BigInt(b.bit);
        const on = (word & m) !== 0n;
        return (
          <span
            key={b.bit}
            className={cx(
              'chip',
              on && 'on',
              (struck & m) !== 0n && 'struck',
              (added & m) !== 0n && on && 'added',
            )}
            aria-hidden="true"
          >
            {b.short}
          </span>
        );
      })}
      {other ? (
        <span className="chip more" aria-hidden="true" title={`other bits 0x${other.toString(16)}`}>
          +
        </span>
      ) : null}
    </span>
  );
});
