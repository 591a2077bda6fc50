import type { Scenario } from '../engine/types.ts';
import { scenarioToFile } from '../engine/scenario/file.ts';
import { readStored, writeStored } from './guard.ts';
import type { Read } from './guard.ts';

/**
 * The scenario kept in this browser: where, and writing it. Reading it back validates it
 * (scenarioIO.loadStored), so that is loaded only when storage holds something.
 */

/** The canonical file form as compact JSON text. */
export function scenarioJson(s: Scenario): string {
  return JSON.stringify(scenarioToFile(s));
}

export const STORAGE_KEY = 'hmm-explorer:scenario';
/** Where a stored scenario that cannot be read is set aside, so it is not overwritten unseen. */
export const UNREADABLE_KEY = 'hmm-explorer:scenario:unreadable';

/** What the user can do when storage fails them. */
export const KEEP_IT = 'The address bar holds the scenario: bookmark it, or use Copy link, to keep it.';

/** Saves the scenario for the next visit; a problem says why it could not be (full, disabled). */
export function store(s: Scenario): Read<true> {
  return writeStored(STORAGE_KEY, scenarioJson(s));
}

/** Whether storage has something to read back (a scenario, or a failure to report). */
export function somethingStored(): boolean {
  const got = readStored(STORAGE_KEY);
  return !got.ok || !!got.value;
}
