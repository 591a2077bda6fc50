import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCompare } from '../../state/compare.ts';
import type { CompareState, Side } from '../../state/compare.ts';
import { pageOutcomes } from '../model/outcome.ts';
import { saveBlob } from '../export/files.ts';
import { COST_ROWS, cost, costCsvRows, cumulativeFaults, signedDifference, sourceFromRun } from './cost.ts';
import type { Cost } from './cost.ts';
import { CostChart } from './CostChart.tsx';
import { toCsv } from './csv.ts';
import { differenceRuns, runWords } from './differenceRuns.ts';

const MAX_RUNS = 30;

function sideCost(sd: Side) {
  const src = sourceFromRun(sd.scenario, sd.run!);
  return { cost: cost(sd.scenario, src), along: cumulativeFaults(src) };
}

/** The whole runs' cost side by side, as a table, a CSV, a chart along the range, and runs of pages. */
export function CostPanel() {
  const { a, b } = useCompare(useShallow((s: CompareState) => ({ a: s.a, b: s.b })));
  const ca = useMemo(() => (a?.run ? sideCost(a) : null), [a]);
  const cb = useMemo(() => (b?.run ? sideCost(b) : null), [b]);
  const runs = useMemo(() => {
    if (!a?.run || !b?.run || a.scenario.range.pages !== b.scenario.range.pages) return null;
    return differenceRuns(pageOutcomes(a.scenario, a.run), pageOutcomes(b.scenario, b.run));
  }, [a, b]);
  const [saved, setSaved] = useState('');
  if (!ca || !cb) return null;
  return (
    <section className="compare-cost panel" aria-labelledby="compare-cost-title">
      <div className="compare-cost-head">
        <h3 id="compare-cost-title">Cost of each policy (whole run)</h3>
        <button
          type="button"
          className="small-button"
          onClick={() => {
            saveBlob(
              new Blob([toCsv(costCsvRows(ca.cost, cb.cost))], { type: 'text/csv;charset=utf-8' }),
              'hmm-compare-counters.csv',
            );
            setSaved('Counters saved as hmm-compare-counters.csv.');
          }}
        >
          Download counters as CSV
        </button>
        <span role="status" className="help">
          {saved}
        </span>
      </div>
      <div className="compare-cost-body">
        <CostTable a={ca.cost} b={cb.cost} />
        <div className="compare-cost-side">
          <CostChart a={ca.along} b={cb.along} />
          <DifferenceRuns runs={runs} />
        </div>
      </div>
    </section>
  );
}

function CostTable({ a, b }: { a: Cost; b: Cost }) {
  return (
    <table className="compare-counters cost-table">
      <caption className="sr-only">Cost of each policy: A, B and B minus A</caption>
      <thead>
        <tr>
          <th scope="col">Counter</th>
          <th scope="col">A</th>
          <th scope="col">B</th>
          <th scope="col">
            <span aria-hidden="true">B − A</span>
            <span className="sr-only">B minus A</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {COST_ROWS.map(({ key, label }) => (
          <tr key={key} className={a[key] !== b[key] ? 'differs' : undefined}>
            <th scope="row">{label}</th>
            <td className="num">{a[key]}</td>
            <td className="num">{b[key]}</td>
            <td className="num diff">{signedDifference(a[key], b[key])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DifferenceRuns({ runs }: { runs: ReturnType<typeof differenceRuns> | null }) {
  if (!runs) return null;
  return (
    <section className="diff-runs" aria-labelledby="compare-runs-title">
      <h4 id="compare-runs-title">
        Differences in runs of pages{' '}
        <span className="muted">
          ({runs.length ? `${runs.length} ${runs.length === 1 ? 'run' : 'runs'}` : 'none'})
        </span>
      </h4>
      {runs.length === 0 ? (
        <p className="muted">Every page ends the same way in A and B.</p>
      ) : (
        <ul className="diff-run-list">
          {runs.slice(0, MAX_RUNS).map((r) => (
            <li key={r.from}>
              <strong>{runWords(r)}:</strong> {r.text}
            </li>
          ))}
          {runs.length > MAX_RUNS && <li className="muted">and {runs.length - MAX_RUNS} more runs</li>}
        </ul>
      )}
    </section>
  );
}
