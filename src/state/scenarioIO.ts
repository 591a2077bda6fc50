import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import type { Scenario } from '../engine/types.ts';
import { parseScenario, parseScenarioText, scenarioProblems } from '../engine/scenario/parse.ts';
import { DEFAULT_PRESET_ID, PRESETS, presetById } from '../engine/scenario/presets.ts';
import type { Preset } from '../engine/scenario/presets.ts';
import { decodeComponent, quote, readStored, removeStored, writeStored } from './guard.ts';
import { KEEP_IT, STORAGE_KEY, UNREADABLE_KEY, scenarioJson } from './saved.ts';

export { KEEP_IT, UNREADABLE_KEY, scenarioJson, store } from './saved.ts';

/**
 * The scenario's ways in and out of the app: the URL hash, localStorage and presets. All of them
 * go through the one schema (parseScenario), so a link, a file and an edit are checked alike.
 */

export { PRESETS };
export type { Preset };

/** Schema problems of an edited scenario, as "PATH: what is wrong" lines (none: it can run). */
export const validateScenario = scenarioProblems;

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

export interface StoredRead {
  scenario: Scenario | null;
  /** What went wrong and what was done about it, for a notice; null when all is well. */
  problem: { title: string; lines: string[]; storage?: boolean } | null;
}

/**
 * The scenario last edited in this browser. Storage that cannot be read, or a value that is not a
 * scenario (another version's, or damaged), comes back as a problem to show; a damaged value is
 * moved aside rather than silently replaced by the next save.
 */
export function loadStored(): StoredRead {
  const got = readStored(STORAGE_KEY);
  if (!got.ok)
    return {
      scenario: null,
      problem: {
        storage: true,
        title: `Your work cannot be kept in this browser: ${got.problem}.`,
        lines: [KEEP_IT],
      },
    };
  if (!got.value) return { scenario: null, problem: null };
  const r = parseScenarioText(got.value);
  if (r.ok) return { scenario: r.scenario, problem: null };
  const kept = writeStored(UNREADABLE_KEY, got.value);
  if (kept.ok) removeStored(STORAGE_KEY);
  return {
    scenario: null,
    problem: {
      title: kept.ok
        ? `The scenario saved in this browser is damaged and was set aside (localStorage “${UNREADABLE_KEY}”) instead of opening.`
        : 'The scenario saved in this browser is damaged and does not open; your next edit replaces it.',
      lines: r.problems.slice(0, 5).map((l) => quote(l, 160)),
    },
  };
}
