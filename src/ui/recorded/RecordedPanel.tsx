import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { compareWithFixture } from '../../engine/fixtures/compare.ts';
import { expandMap } from '../../engine/scenario/keys.ts';
import { formatOutput } from '../../engine/scenario/output.ts';
import { useStore } from '../../state/store.ts';
import type { Store } from '../../state/store.ts';
import { fixtureNumber } from './recordings.ts';

const select = (s: Store) => ({
  recorded: s.recorded,
  scenario: s.scenario,
  run: s.run,
  runScenario: s.runScenario,
});

/** Pages shown cell by cell; a longer range is summarised as runs of pages. */
const MAX_CELLS = 96;
/** Faults listed one by one before the rest is counted. */
const MAX_FAULTS = 40;

const faultText = (faults: readonly { page: number; write: boolean }[]) => {
  const shown = faults.slice(0, MAX_FAULTS).map((f) => `${f.page}${f.write ? 'w' : 'r'}`);
  return faults.length > MAX_FAULTS
    ? `${shown.join(' ')} … and ${faults.length - MAX_FAULTS} more`
    : shown.join(' ') || 'none';
};

const retText = (ret: number | null, errno: string | null) => (errno ? `-${errno}` : String(ret));

/**
 * A Linux 6.1 recording beside the engine's run of the same scenario: the counters, the faults,
 * and the CPU and device page tables after, page by page, with the first difference (if any) by
 * the fixtures' own comparison rules.
 */
export function RecordedPanel() {
  const { recorded, scenario, run, runScenario } = useStore(useShallow(select));
  const engine = useMemo(
    () => (run && runScenario === scenario ? formatOutput(scenario, run.result) : null),
    [run, runScenario, scenario],
  );
  if (!recorded) return null;
  if (recorded.scenario !== scenario) {
    return (
      <section className="recorded-panel edited" aria-label="Recording">
        <p>
          This scenario was edited, so the recording <code>{recorded.id}</code> no longer applies.{' '}
          <button
            type="button"
            className="button"
            onClick={() => useStore.getState().load(recorded.scenario, { recorded })}
          >
            Back to the recording
          </button>
        </p>
      </section>
    );
  }
  const o = recorded.observed;
  const difference = engine ? compareWithFixture(engine, o) : null;
  const n = scenario.range.pages;
  const rows: [string, string, string][] = [
    ['return value', retText(o.ret, o.errno), engine ? retText(engine.ret, engine.errno) : '…'],
    ['handle_mm_fault calls', String(o.faults.length), engine ? String(engine.faults.length) : '…'],
    ['walk restarts', String(o.restarts), engine ? String(engine.restarts) : '…'],
    ['driver attempts', String(o.attempts), engine ? String(engine.attempts) : '…'],
  ];
  const kernelName = recorded.kernel.split(' (')[0];
  return (
    <section className="recorded-panel" aria-labelledby="recorded-title">
      <h2 id="recorded-title">
        Recorded on {kernelName} <span className="recorded-id">fixture {fixtureNumber(recorded.id)}</span>
      </h2>
      <p className={difference ? 'recorded-verdict differs' : 'recorded-verdict'} role="status">
        {!engine
          ? 'Running the engine on the same scenario…'
          : difference
            ? `The engine differs from the kernel: ${difference}`
            : 'The engine reproduces this recording exactly: the same faults in the same order, the same return value, every entry, both page tables.'}
      </p>
      <table className="recorded-table">
        <caption className="sr-only">What the kernel did and what the engine does</caption>
        <thead>
          <tr>
            <th scope="col">Outcome</th>
            <th scope="col">{kernelName}</th>
            <th scope="col">This engine</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, k, e]) => (
            <tr key={label} className={engine && k !== e ? 'differs' : undefined}>
              <th scope="row">{label}</th>
              <td>{k}</td>
              <td>{e}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {engine && (
        <details className="recorded-details">
          <summary>Every fault, and both page tables after, page by page</summary>
          <dl className="recorded-fault-lists">
            <dt>{kernelName} faults (page, r/w)</dt>
            <dd className="recorded-faults">{faultText(o.faults)}</dd>
            <dt>Engine faults</dt>
            <dd className="recorded-faults">{faultText(engine.faults)}</dd>
          </dl>
          {n <= MAX_CELLS ? (
            <div className="recorded-strips">
              <Strip
                label="CPU pte after"
                kernel={expandMap(o.cpu, n, 'none')}
                engine={expandMap(engine.cpu, n, 'none')}
              />
              <Strip
                label="device pte after"
                kernel={expandMap(o.device, n, 'none')}
                engine={expandMap(engine.device, n, 'none')}
              />
            </div>
          ) : (
            <p className="muted">{n} pages: too many to list here (the verdict above compares every one).</p>
          )}
        </details>
      )}
    </section>
  );
}

function Strip({ label, kernel, engine }: { label: string; kernel: string[]; engine: string[] }) {
  return (
    <table className="recorded-strip">
      <caption>{label}</caption>
      <tbody>
        <tr>
          <th scope="row">kernel</th>
          {kernel.map((st, i) => (
            <td
              key={i}
              className={`state-${st}${st !== engine[i] ? ' differs' : ''}`}
              title={`page ${i}: ${st}`}
            >
              {st}
            </td>
          ))}
        </tr>
        <tr>
          <th scope="row">engine</th>
          {engine.map((st, i) => (
            <td
              key={i}
              className={`state-${st}${st !== kernel[i] ? ' differs' : ''}`}
              title={`page ${i}: ${st}`}
            >
              {st}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}
