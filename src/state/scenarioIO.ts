import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import type { Scenario } from '../engine/types.ts';
import { parseScenario, parseScenarioText, scenarioToFile } from '../engine/scenario/parse.ts';
import { DEFAULT_PRESET_ID, PRESETS, presetById } from '../engine/scenario/presets.ts';
import type { Preset } from '../engine/scenario/presets.ts';
import { decodeComponent, quote } from './guard.ts';

/**
 * The scenario's ways in and out of the app: the URL hash, localStorage and presets. All of them
 * go through the one schema (parseScenario), so a link, a file and an edit are checked alike.
 */

export { PRESETS };
export type { Preset };

/** Schema problems of an edited scenario, as "PATH: what is wrong" lines (none: it can run). */
export function validateScenario(s: Scenario): string[] {
  try {
    const r = parseScenario(scenarioToFile(s));
    return r.ok ? [] : r.problems;
  } catch (e) {
    return [`scenario: ${e instanceof Error ? e.message : String(e)}`];
  }
}

/** The canonical file form as compact JSON text. */
export function scenarioJson(s: Scenario): string {
  return JSON.stringify(scenarioToFile(s));
}

/** The compact share form: lz-string of the canonical JSON, safe in a URL as is. */
export function compactHash(s: Scenario): string {
  return `#s=${compressToEncodedURIComponent(scenarioJson(s))}`;
}

/** The readable share form docs authors write by hand: the JSON, percent-encoded. */
export function readableHash(s: Scenario): string {
  return `#scenario=${encodeURIComponent(scenarioJson(s))}`;
}

export function presetScenario(p: Preset): Scenario {
  const r = parseScenario(p.file);
  if (!r.ok) throw new Error(`preset ${p.id} does not parse: ${r.problems.join('; ')}`);
  return r.scenario;
}

export function defaultPreset(): Preset {
  return presetById(DEFAULT_PRESET_ID) ?? PRESETS[0];
}

export type HashRead =
  | { kind: 'none' }
  | { kind: 'ok'; scenario: Scenario; watch: string | null }
  | { kind: 'error'; what: string; problems: string[] };

/**
 * Reads a location hash: `#scenario=<percent-encoded JSON>`, `#s=<lz-string>` (what "Copy link"
 * makes) or `#preset=<id>`. Never throws: what cannot be read comes back as problems to show.
 */
export function readHash(hash: string): HashRead {
  const h = hash.replace(/^#/, '');
  // A plain anchor (no "=") is an in-page link, not a scenario.
  if (!h || !h.includes('=')) return { kind: 'none' };
  const eq = h.indexOf('=');
  const key = eq < 0 ? h : h.slice(0, eq);
  const value = eq < 0 ? '' : h.slice(eq + 1);
  if (key === 'scenario') {
    const text = decodeComponent(value, '#scenario');
    if (!text.ok)
      return {
        kind: 'error',
        what: 'The link’s scenario is not valid percent-encoding.',
        problems: [text.problem],
      };
    const r = parseScenarioText(text.value);
    return r.ok
      ? { kind: 'ok', scenario: r.scenario, watch: null }
      : { kind: 'error', what: 'The scenario in this link is not valid.', problems: r.problems };
  }
  if (key === 's') {
    let text: string | null;
    try {
      text = decompressFromEncodedURIComponent(value);
    } catch {
      text = null;
    }
    if (!text)
      return {
        kind: 'error',
        what: 'The compressed scenario in this link is damaged (it may have been cut short when copied).',
        problems: ['#s: cannot be decompressed'],
      };
    const r = parseScenarioText(text);
    return r.ok
      ? { kind: 'ok', scenario: r.scenario, watch: null }
      : { kind: 'error', what: 'The scenario in this link is not valid.', problems: r.problems };
  }
  if (key === 'preset') {
    const id = decodeComponent(value, '#preset');
    if (!id.ok)
      return { kind: 'error', what: 'The link’s preset name cannot be read.', problems: [id.problem] };
    const p = presetById(id.value);
    if (p) return { kind: 'ok', scenario: presetScenario(p), watch: p.watch };
    return {
      kind: 'error',
      what: `There is no preset named “${quote(id.value)}”.`,
      problems: [`#preset: expected one of ${PRESETS.map((x) => x.id).join(', ')}`],
    };
  }
  return {
    kind: 'error',
    what: 'This link’s address does not hold a scenario.',
    problems: [`#${quote(key)}: expected #scenario=…, #s=… or #preset=…`],
  };
}

const STORAGE_KEY = 'hmm-explorer:scenario';

export function loadStored(): Scenario | null {
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    if (!text) return null;
    const r = parseScenarioText(text);
    return r.ok ? r.scenario : null;
  } catch {
    return null;
  }
}

export function store(s: Scenario): void {
  try {
    localStorage.setItem(STORAGE_KEY, scenarioJson(s));
  } catch {
    // Storage full or disabled (private mode): the URL still holds the scenario.
  }
}
