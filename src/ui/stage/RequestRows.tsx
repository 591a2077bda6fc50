import { memo } from 'react';
import type { Scenario, TraceEvent } from '../../engine/types.ts';
import type { NamedBit } from '../model/bits.ts';
import { effectivePolicy, hexShort } from '../model/bits.ts';
import type { PageView } from '../model/pageView.ts';
import { cx } from '../hooks.ts';
import { BitChips } from './BitChips.tsx';
import { RegisterToggles } from './RegisterToggles.tsx';
import type { Columns } from './geometry.ts';
import { gridStyle } from './geometry.ts';
import { usePainter } from './usePainter.ts';
import { useRovingRow } from '../roving.ts';

const FORCED = 'hmm_vma_fault() sets default_flags = 0 and pfn_flags_mask = -1UL, whatever the driver set';

/** Marks a policy field the old-API wrapper overwrote. */
function Forced() {
  return (
    <span className="forced">
      <span aria-hidden="true">*</span>
      <span className="sr-only"> (set by hmm_vma_fault)</span>
    </span>
  );
}

function needText(need: number): { glyph: string; words: string } {
  if (need & 2) return { glyph: 'W', words: 'write fault' };
  if (need & 1) return { glyph: 'R', words: 'read fault' };
  return { glyph: '—', words: 'no fault' };
}

/** One input cell (memoised, as the stage's cells are: PageTables.tsx's CpuCell). */
const InputCell = memo(function InputCell({
  v,
  col,
  bits,
  editable,
  tabbable,
}: {
  v: PageView;
  col: number;
  bits: NamedBit[];
  editable: boolean;
  tabbable: boolean;
}) {
  const what = v.inputFromEarlier
    ? `page ${v.page}: ${hexShort(v.input)}, left in the array by an earlier attempt and read again as a request`
    : `page ${v.page}: the caller's pfns[${v.page}] = ${hexShort(v.input)}`;
  return (
    <div
      className={cx('cell bits', v.inputFromEarlier && 'from-earlier')}
      data-page={v.page}
      data-tip={editable ? undefined : what}
    >
      {editable ? (
        <button
          type="button"
          className="cell-button"
          aria-label={`page ${v.page} input ${hexShort(v.input)}`}
          data-tip={v.inputFromEarlier ? what : `${what}. Click to paint the request brush.`}
          data-roving={col}
          tabIndex={tabbable ? 0 : -1}
        >
          <BitChips bits={bits} word={v.input} />
        </button>
      ) : (
        <BitChips bits={bits} word={v.input} label={`page ${v.page} input`} />
      )}
    </div>
  );
});

const MaskedCell = memo(function MaskedCell({
  v,
  bits,
  mask,
}: {
  v: PageView;
  bits: NamedBit[];
  mask: bigint;
}) {
  return (
    <div
      data-page={v.page}
      className="cell bits"
      data-tip={`pfns[${v.page}] & pfn_flags_mask = ${hexShort(v.masked)}`}
    >
      <BitChips bits={bits} word={v.masked} struck={v.input & ~mask} label={`page ${v.page} masked`} />
    </div>
  );
});

const RequestCell = memo(function RequestCell({
  v,
  bits,
  defaults,
  span,
}: {
  v: PageView;
  bits: NamedBit[];
  defaults: bigint;
  span: boolean;
}) {
  return (
    <div
      data-page={v.page}
      className={cx('cell bits', span && 'in-span')}
      data-tip={`request for page ${v.page} = ${hexShort(v.request)}`}
    >
      <BitChips bits={bits} word={v.request} added={defaults & ~v.masked} label={`page ${v.page} request`} />
    </div>
  );
});

const NeedCell = memo(function NeedCell({ v, deciding }: { v: PageView; deciding: boolean }) {
  if (!v.need) return <div data-page={v.page} className="cell need-cell unvisited" />;
  const t = needText(v.need.need);
  return (
    <div
      data-page={v.page}
      className={cx(
        'cell need-cell',
        `need-${v.need.need & 2 ? 'w' : v.need.need & 1 ? 'r' : 'no'}`,
        v.need.earlier && 'earlier',
        deciding && 'deciding',
      )}
      data-tip={`page ${v.page}: ${t.words}${v.need.earlier ? ' (before the walk restarted)' : ''}`}
    >
      <span aria-hidden="true">{t.glyph}</span>
      <span className="sr-only">{t.words}</span>
    </div>
  );
});

const OutCell = memo(function OutCell({ v, pfn }: { v: PageView; pfn: boolean }) {
  return v.out ? (
    <div
      data-page={v.page}
      className={cx('cell out-cell', `out-${v.out.tone}`)}
      data-tip={`page ${v.page}: ${hexShort(v.out.word)}: ${v.out.detail}`}
    >
      <span className="out-flags">{v.out.text}</span>
      {pfn && <span className="out-pfn">{v.out.detail.match(/pfn (0x[0-9a-f]+)/)?.[1] ?? ''}</span>}
    </div>
  ) : (
    <div
      data-page={v.page}
      className="cell out-cell holds-input"
      data-tip={`page ${v.page}: still holds the input`}
    >
      <span className="out-flags">in</span>
    </div>
  );
});

/**
 * The pfns array, read top to bottom as the formula the seed patch added:
 * request = (pfns[i] & pfn_flags_mask) | default_flags, then the walk's decision and the output.
 */
export const RequestRows = memo(function RequestRows({
  scenario,
  views,
  cols,
  bits,
  ev,
  editable,
  compact,
  onToggleBit,
}: {
  scenario: Scenario;
  views: PageView[];
  cols: Columns;
  bits: NamedBit[];
  ev: TraceEvent | null;
  /** Input cells paint the request brush (the explorer); elsewhere they are pictures. */
  editable: boolean;
  /** Short row names for a narrow stage. */
  compact: boolean;
  /** The register chips are toggles that edit the scenario (the store's stage, in every mode). */
  onToggleBit?: (register: 'mask' | 'defaults', bit: number) => void;
}) {
  const painter = usePainter('request');
  const policy = effectivePolicy(scenario);
  const roving = useRovingRow(views.length);
  const grid = gridStyle(cols);
  const decidingPage = ev?.type === 'pte' ? ev.page : null;
  const decidingSpan = ev && (ev.type === 'hole' || ev.type === 'pmd') ? [ev.from, ev.to] : null;
  const deciding = (p: number) =>
    p === decidingPage || (!!decidingSpan && p >= decidingSpan[0] && p < decidingSpan[1]);
  return (
    <div className="request-rows" role="group" aria-label="pfns array: input, request and output">
      <div className="row cells input" style={grid} {...(editable ? { ...painter.row, ...roving.row } : {})}>
        <div className="row-head strong">
          pfns[i] <span className="muted">{compact ? 'in' : 'input'}</span>
        </div>
        {views.map((v, col) => (
          <InputCell
            key={col}
            v={v}
            col={col}
            bits={bits}
            editable={editable}
            tabbable={col === roving.current}
          />
        ))}
      </div>
      <div className="row cells op" style={grid}>
        <div className="row-head" title={policy.forced ? FORCED : undefined}>
          <span className="op-line">
            <span className="op-sign">&amp;</span> {compact ? 'mask' : 'pfn_flags_mask'}
            {policy.forced && <Forced />}
            {onToggleBit ? (
              <RegisterToggles
                register="pfn_flags_mask"
                bits={bits}
                word={policy.mask}
                disabled={policy.forced}
                onToggle={(b) => onToggleBit('mask', b)}
              />
            ) : (
              <BitChips bits={bits} word={policy.mask} label="pfn_flags_mask" />
            )}
          </span>
        </div>
        {views.map((v, col) => (
          <MaskedCell key={col} v={v} bits={bits} mask={policy.mask} />
        ))}
      </div>
      <div className="row cells op result" style={grid}>
        <div className="row-head" title={policy.forced ? FORCED : undefined}>
          <span className="op-line">
            <span className="op-sign">|</span> {compact ? 'default' : 'default_flags'}
            {policy.forced && <Forced />}
            {onToggleBit ? (
              <RegisterToggles
                register="default_flags"
                bits={bits}
                word={policy.defaults}
                added
                disabled={policy.forced}
                onToggle={(b) => onToggleBit('defaults', b)}
              />
            ) : (
              <BitChips bits={bits} word={policy.defaults} label="default_flags" />
            )}
          </span>
          {!compact && <span className="eq">= request</span>}
        </div>
        {views.map((v, col) => (
          <RequestCell key={col} v={v} bits={bits} defaults={policy.defaults} span={deciding(v.page)} />
        ))}
      </div>
      <div className="row cells need" style={grid}>
        <div className="row-head inline">{compact ? 'fault?' : 'need fault?'}</div>
        {views.map((v, col) => (
          <NeedCell key={col} v={v} deciding={deciding(v.page)} />
        ))}
      </div>
      <div className="row cells out" style={grid}>
        <div className="row-head strong">
          pfns[i] <span className="muted">{compact ? 'out' : 'output'}</span>
        </div>
        {views.map((v, col) => (
          <OutCell key={col} v={v} pfn={cols.width >= 52} />
        ))}
      </div>
    </div>
  );
});
