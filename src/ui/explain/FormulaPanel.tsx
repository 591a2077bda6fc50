import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { activeRun, currentEvent, lastPteIndex, stateAtCursor, wordBefore } from '../../state/derived.ts';
import { effectivePolicy, effectiveRequest, hex64, namedBits } from '../model/bits.ts';
import type { NamedBit } from '../model/bits.ts';
import { pageAddress } from '../model/geometry.ts';
import { hexShort } from '../model/bits.ts';
import { cx } from '../hooks.ts';

/**
 * What the panel shows, as values that change only when the panel's content does: the page, the
 * step that last decided it and the word HMM wrote back. The cursor itself is not among them, so
 * a step that does not touch the explained page does not render the panel.
 */
const select = (s: Store) => {
  const run = activeRun(s.scenario, s.run, s.runScenario);
  const ev = currentEvent(run, s.cursor);
  const walkPage =
    ev && (ev.type === 'pte' || ev.type === 'fault') ? ev.page : ev && 'from' in ev ? ev.from : 0;
  const page = Math.min(s.scenario.range.pages - 1, Math.max(0, s.hoverPage ?? walkPage));
  const state = stateAtCursor(s.scenario, run, s.cursor);
  return {
    scenario: s.scenario,
    run,
    page,
    at: run ? lastPteIndex(run, s.cursor, page) : -1,
    output: state.holdsInput[page] ? null : state.pfns[page],
  };
};

/** One bit of a strip: memoised, so a new word re-renders (and restyles) only the bits it flips. */
const Bit = memo(function Bit({
  on,
  struck,
  nibble,
  short,
}: {
  on: boolean;
  struck: boolean;
  nibble: boolean;
  /** The named bit's letter, or undefined for an unnamed bit. */
  short: string | undefined;
}) {
  return (
    <span
      className={cx(
        'bit',
        on && 'on',
        short !== undefined && 'named',
        struck && 'struck',
        nibble && 'nibble',
      )}
    >
      {short ?? ''}
    </span>
  );
});

/** 64 bits as a strip of cells, nibbles spaced, the layout's named bits lettered. */
const Strip = memo(function Strip({
  word,
  named,
  dim = 0n,
}: {
  word: bigint;
  named: Map<number, NamedBit>;
  dim?: bigint;
}) {
  const cells = [];
  for (let b = 63; b >= 0; b--) {
    const m = 1n << BigInt(b);
    cells.push(
      <Bit
        key={b}
        on={(word & m) !== 0n}
        struck={(dim & m) !== 0n}
        nibble={b % 4 === 0 && b > 0}
        short={named.get(b)?.short}
      />,
    );
  }
  return (
    <span className="strip" aria-hidden="true">
      {cells}
    </span>
  );
});

/** A word: its strip, its hex and its named bits, in a line that wraps where the panel is narrow. */
function Word({
  word,
  named,
  dim,
  names,
}: {
  word: bigint;
  named: Map<number, NamedBit>;
  dim?: bigint;
  names: string;
}) {
  return (
    <div className="formula-word">
      <Strip word={word} named={named} dim={dim} />
      <span className="hex">{hex64(word)}</span>
      <span className="names">{names}</span>
    </div>
  );
}

/**
 * The seed's one line, worked out bit by bit for one page: the page under the pointer, else the
 * page the walk is on.
 */
export function FormulaPanel() {
  const { scenario, run, page, at, output } = useStore(useShallow(select));
  const named = useMemo(() => new Map(namedBits(scenario).map((b) => [b.bit, b])), [scenario]);
  const pte = run && at >= 0 ? run.trace[at] : null;
  const input = run && at >= 0 ? wordBefore(scenario, run, at, page) : scenario.requests[page];
  const policy = effectivePolicy(scenario);
  const masked = input & policy.mask;
  const req = effectiveRequest(input, policy.mask, policy.defaults);
  const names = (w: bigint) =>
    [...named.values()]
      .filter((b) => b.role === 'request' && (w >> BigInt(b.bit)) & 1n)
      .map((b) => b.name.split(' ')[0])
      .join(' | ') || '0';
  const rows: [string, bigint, bigint?][] = [
    [`pfns[${page}]`, input],
    ['& pfn_flags_mask', policy.mask],
    ['= masked', masked, input & ~policy.mask],
    ['| default_flags', policy.defaults],
    ['= request', req],
  ];
  // output: the word HMM wrote back, once it did: the output layout (order field, 7.x's sticky bits).
  const outNames = (w: bigint) =>
    [
      ...new Set(
        [...named.values()].filter((b) => (w >> BigInt(b.bit)) & 1n).map((b) => b.name.split(' ')[0]),
      ),
    ].join(' | ') || '0';
  return (
    <section className="panel formula-panel" aria-labelledby="formula-title">
      <h3 id="formula-title">
        Request of page {page} <span className="muted">{hexShort(pageAddress(scenario, page))}</span>
      </h3>
      {/* The word's strip, hex and names share a cell and wrap under each other where the panel
          is narrower than the three side by side (a laptop beside the editor: ~880 px were cut
          off by the column). Narrower than the strip itself (a phone), the table scrolls here. */}
      <div
        className="formula-scroll"
        tabIndex={0}
        role="group"
        aria-label={`The request of page ${page}, bit by bit`}
      >
        <table className="formula">
          <caption className="sr-only">
            (pfns[i] &amp; pfn_flags_mask) | default_flags for page {page}
          </caption>
          <tbody>
            {rows.map(([label, word, dim], i) => (
              <tr key={i} className={i === rows.length - 1 ? 'result' : undefined}>
                <th scope="row">{label}</th>
                <td>
                  <Word word={word} named={named} dim={dim} names={names(word)} />
                </td>
              </tr>
            ))}
            {/* Kept in the table while there is no output yet (hidden, and so out of the
                accessibility tree too): its 64 bits are not made again each time a step reaches it. */}
            <tr className="output" hidden={output === null}>
              <th scope="row">output</th>
              <td>
                <Word word={output ?? 0n} named={named} names={outNames(output ?? 0n)} />
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      {pte && pte.type === 'pte' && (
        <p className="formula-verdict">
          CPU pte <strong>{pte.cpuState}</strong> gives cpu flags {names(BigInt(pte.cpuFlags))}:{' '}
          <strong className={pte.need & 2 ? 'need-w' : pte.need & 1 ? 'need-r' : ''}>
            {pte.need & 2 ? 'needs a write fault' : pte.need & 1 ? 'needs a read fault' : 'no fault needed'}
          </strong>
        </p>
      )}
    </section>
  );
}
