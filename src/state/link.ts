import { decompressFromEncodedURIComponent } from 'lz-string';
import type { Scenario } from '../engine/types.ts';
import { parseScenarioText } from '../engine/scenario/parse.ts';
import { PRESETS, presetById } from '../engine/scenario/presets.ts';
import { parseScenario } from '../engine/scenario/parse.ts';
import { parseAnchor } from './anchor.ts';
import type { Anchor } from './anchor.ts';
import { isTourId } from './tour.ts';
import { LINK_VERSION } from './linkFormat.ts';
import type { LinkRead, LinkView } from './linkFormat.ts';
import { decodeComponent, quote } from './guard.ts';

/**
 * Reading the app's address (the format is described in linkFormat.ts). It validates the link's
 * scenarios, so it loads the schema and the presets: the app loads it only when there is a link
 * to read. parseLink never throws: what cannot be read comes back as problems to show.
 */

type ScenarioRead =
  { ok: true; scenario: Scenario; watch: string | null } | { ok: false; problems: string[] };

function fromCompact(key: string, value: string): ScenarioRead {
  let text: string | null;
  try {
    text = decompressFromEncodedURIComponent(value);
  } catch {
    text = null;
  }
  if (!text)
    return {
      ok: false,
      problems: [`${key}: the compressed scenario is damaged (it may have been cut short when copied)`],
    };
  const r = parseScenarioText(text);
  return r.ok
    ? { ok: true, scenario: r.scenario, watch: null }
    : { ok: false, problems: r.problems.map((p) => `${key}: ${p}`) };
}

function fromJson(key: string, value: string): ScenarioRead {
  let text: string;
  try {
    text = decodeURIComponent(value);
  } catch {
    return { ok: false, problems: [`${key}: malformed %-escape`] };
  }
  const r = parseScenarioText(text);
  return r.ok
    ? { ok: true, scenario: r.scenario, watch: null }
    : { ok: false, problems: r.problems.map((p) => `${key}: ${p}`) };
}

function fromPreset(key: string, value: string): ScenarioRead {
  let id = value;
  try {
    id = decodeURIComponent(value);
  } catch {
    // Left as written: it names no preset either way.
  }
  const p = presetById(id);
  if (!p)
    return {
      ok: false,
      problems: [
        // The ids are many: the Presets menu lists them with titles, searchable.
        `${key}: there is no preset “${quote(id)}” (the Presets menu lists the ${PRESETS.length} there are)`,
      ],
    };
  const r = parseScenario(p.file);
  return r.ok
    ? { ok: true, scenario: r.scenario, watch: p.watch }
    : { ok: false, problems: r.problems.map((x) => `${key}: ${x}`) };
}

/** A compare side: `<lz-string>` or `preset:<id>`. */
function fromSide(key: string, value: string): ScenarioRead {
  return value.startsWith('preset:') ? fromPreset(key, value.slice(7)) : fromCompact(key, value);
}

/** Splits `k=v&k2&...` without decoding: lz-string's alphabet has `+`, which URLSearchParams reads as a space. */
function fields(h: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of h.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (!out.has(key)) out.set(key, eq < 0 ? '' : part.slice(eq + 1));
  }
  return out;
}

function positive(key: string, value: string | undefined, problems: string[]): number | null {
  if (value === undefined) {
    problems.push(`${key}: missing`);
    return null;
  }
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1) {
    problems.push(`${key}: expected a number from 1, got “${quote(value)}”`);
    return null;
  }
  return Number(value);
}

/** The scenario of a link: `s=`, `scenario=` or `preset=`; null when none is given. */
function linkScenario(f: Map<string, string>): ScenarioRead | null {
  if (f.has('s')) return fromCompact('s', f.get('s')!);
  if (f.has('scenario')) return fromJson('scenario', f.get('scenario')!);
  if (f.has('preset')) return fromPreset('preset', f.get('preset')!);
  return null;
}

const WHAT = 'This link cannot be read.';

/** Per legacy key whose value is percent-encoded, the notice when it cannot be decoded. */
const UNREADABLE: Partial<Record<string, string>> = {
  scenario: 'The scenario in this link cannot be read: it is not valid percent-encoding.',
  preset: 'This link’s preset name cannot be read.',
  tour: 'This link’s tour step cannot be read.',
  today: 'This link’s tour step cannot be read.',
  predict: 'This link’s question cannot be read.',
};

function legacy(f: Map<string, string>, key: string): LinkRead {
  const link = (state: LinkView, watch: string | null = null): LinkRead => ({
    kind: 'ok',
    link: { version: 0, state, at: null, watch },
  });
  const value = f.get(key)!;
  // A value cut short when copied (a lone %, half a UTF-8 sequence) is named as such, not read as
  // a preset or step that does not exist. The compact form (s=) is not percent-encoded.
  const what = UNREADABLE[key];
  if (what) {
    const d = decodeComponent(value, `#${key}`);
    if (!d.ok) return { kind: 'error', what, problems: [d.problem] };
  }
  if (key === 's' || key === 'scenario' || key === 'preset') {
    const r = linkScenario(f)!;
    if (!r.ok)
      return {
        kind: 'error',
        what:
          key === 'preset'
            ? `There is no preset named “${quote(value)}”.`
            : key === 's' && r.problems[0].includes('damaged')
              ? 'The compressed scenario in this link is damaged (it may have been cut short when copied).'
              : 'The scenario in this link is not valid.',
        problems: r.problems,
      };
    return link({ view: 'explore', scenario: r.scenario }, r.watch);
  }
  const problems: string[] = [];
  if (key === 'tour' || key === 'today') {
    const n = positive(key, value, problems);
    return n === null
      ? { kind: 'error', what: `There is no tour step “${quote(value)}”.`, problems }
      : link({ view: 'tour', tour: key === 'today' ? 'today' : 'seed', step: n });
  }
  if (key === 'predict') {
    const n = positive('predict', value, problems);
    return n === null
      ? { kind: 'error', what: `There is no question “${quote(value)}”.`, problems }
      : link({ view: 'predict', question: n });
  }
  return {
    kind: 'error',
    what: 'This link’s address does not hold a scenario.',
    problems: [
      `#${quote(key)}: expected #v=1&…, #s=…, #scenario=…, #preset=…, #tour=N, #today=N or #predict=N`,
    ],
  };
}

/** Reads a location hash. Never throws. */
export function parseLink(hash: string): LinkRead {
  try {
    const h = hash.replace(/^#/, '');
    // A plain anchor (no "=") is an in-page link, not a state.
    if (!h || !h.includes('=')) return { kind: 'none' };
    const f = fields(h);
    if (!f.has('v')) return legacy(f, [...f.keys()][0]);
    return readV1(f);
  } catch (e) {
    return { kind: 'error', what: WHAT, problems: [`link: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

function readV1(f: Map<string, string>): LinkRead {
  const v = f.get('v')!;
  if (!/^\d{1,3}$/.test(v))
    return {
      kind: 'error',
      what: WHAT,
      problems: [`v: expected the link format’s version, got “${quote(v)}”`],
    };
  if (Number(v) > LINK_VERSION)
    return {
      kind: 'error',
      what: `This link was written by a newer HMM Explorer (link format ${v}); this one reads format ${LINK_VERSION}.`,
      problems: [`v: ${v} is newer than ${LINK_VERSION}`],
    };
  const problems: string[] = [];
  let at: Anchor | null = null;
  if (f.has('at')) {
    let text = f.get('at')!;
    try {
      text = decodeURIComponent(text);
    } catch {
      // Read as written.
    }
    const r = parseAnchor(text);
    if (r.ok) at = r.anchor;
    else problems.push(`at: ${r.problem}`);
  }
  const view = f.get('view') ?? 'explore';
  let state: LinkView | null = null;
  let watch: string | null = null;
  const need = (): Scenario | null => {
    const r = linkScenario(f);
    if (!r) {
      problems.push('s: the link holds no scenario (s=…, scenario=… or preset=…)');
      return null;
    }
    if (!r.ok) {
      problems.push(...r.problems);
      return null;
    }
    watch = r.watch;
    return r.scenario;
  };
  if (view === 'explore') {
    const s = need();
    if (s) state = { view, scenario: s };
  } else if (view === 'tour') {
    const n = positive('step', f.get('step'), problems);
    const tour = f.get('tour') ?? 'seed';
    if (!isTourId(tour)) problems.push(`tour: expected seed, today or locks, got “${quote(tour)}”`);
    else if (n !== null) state = { view, tour, step: n };
  } else if (view === 'predict') {
    if (f.has('question')) {
      const n = positive('question', f.get('question'), problems);
      if (n !== null) state = { view, question: n };
    } else {
      const s = need();
      if (s) state = { view, question: null, scenario: s };
    }
  } else if (view === 'compare') {
    const sides = (['a', 'b'] as const).map((k) => {
      const value = f.get(k);
      if (value === undefined) {
        problems.push(`${k}: missing (each side of a comparison is a scenario)`);
        return null;
      }
      const r = fromSide(k, value);
      if (!r.ok) problems.push(...r.problems);
      return r.ok ? r.scenario : null;
    });
    let caption: string | null = null;
    if (f.has('caption'))
      try {
        caption = decodeURIComponent(f.get('caption')!);
      } catch {
        problems.push('caption: malformed %-escape');
      }
    if (sides[0] && sides[1]) state = { view, a: sides[0], b: sides[1], caption };
  } else problems.push(`view: expected explore, tour, predict or compare, got “${quote(view)}”`);
  if (problems.length || !state) return { kind: 'error', what: WHAT, problems };
  return { kind: 'ok', link: { version: Number(v), state, at, watch } };
}

export { LINK_VERSION, compactScenario, formatLink } from './linkFormat.ts';
export type { AppLink, LinkRead, LinkView } from './linkFormat.ts';
