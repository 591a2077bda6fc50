import { RECORDED_SETS } from 'virtual:kernel-fixtures';
import { parseScenario } from '../../engine/scenario/parse.ts';
import type { Recording } from '../../state/store.ts';

/** Per recorded kernel, the hand-picked recordings (id and title; their data loads on first use). */
export { RECORDED_SETS };

/** A recording's fixture number ("001") from its id ("linux-6.12/001-..."). */
export const fixtureNumber = (id: string): string => (id.split('/').pop() ?? id).slice(0, 3);

/**
 * Load one recording: its scenario, parsed like any other, and what the real kernel did. The
 * recordings are a chunk of their own, fetched the first time one is chosen.
 */
export async function loadRecording(id: string): Promise<Recording> {
  const { RECORDINGS } = await import('virtual:kernel-recordings');
  const fixture = RECORDINGS.find((r) => r.id === id);
  if (!fixture) throw new Error(`no recording named ${id}`);
  const parsed = parseScenario(fixture.scenario);
  if (!parsed.ok) throw new Error(`recording ${id} does not parse: ${parsed.problems.join('; ')}`);
  return {
    id,
    title: parsed.scenario.title,
    kernel: fixture.kernel,
    observed: fixture.observed,
    scenario: parsed.scenario,
  };
}
