import { compressToEncodedURIComponent } from 'lz-string';
import type { Scenario } from '../engine/types.ts';
import { scenarioToFile } from '../engine/scenario/file.ts';
import { formatAnchor } from './anchor.ts';
import type { Anchor } from './anchor.ts';
import type { TourId } from './tour.ts';

/**
 * The app's address: one form for every state, read and written by pure functions.
 *
 *   #v=1&s=<scenario>&at=<moment>                        the explorer
 *   #v=1&view=tour&step=3&at=<moment>                    a tour step (the seed's 2019 wording)
 *   #v=1&view=tour&tour=today&step=3                     a step of the tour of today's wording
 *   #v=1&view=tour&tour=locks&step=3                     a step of the mmap lock chapter
 *   #v=1&view=predict&question=2                         a ready question
 *   #v=1&view=predict&s=<scenario>                       a prediction on any scenario
 *   #v=1&view=compare&a=<scenario>&b=<scenario>&at=...   a comparison, both sides in full
 *
 * `v` is the format version. A scenario is `s=<lz-string>` (what Copy link writes),
 * `scenario=<percent-encoded JSON>` (the file format, for editing by hand) or `preset=<id>`; a
 * compare side is `<lz-string>` or `preset:<id>`. `at` is a step number or a durable moment
 * (anchor.ts). Links from before the version keep opening what they opened: `#s=`,
 * `#scenario=`, `#preset=`, `#tour=N`, `#today=N`, `#predict=N`.
 *
 * Writing a link is here; reading one (link.ts) validates its scenarios, so it loads the schema
 * and the presets, and is loaded only when there is a link to read.
 */
export const LINK_VERSION = 1;

export type LinkView =
  | { view: 'explore'; scenario: Scenario }
  | { view: 'tour'; tour: TourId; step: number }
  | { view: 'predict'; question: number }
  | { view: 'predict'; question: null; scenario: Scenario }
  | { view: 'compare'; a: Scenario; b: Scenario; caption: string | null };

export interface AppLink {
  /** The format version the link was written in (0: a link from before versions). */
  version: number;
  state: LinkView;
  /** The moment to open at; null: the view's own (the start, or a tour step's moment). */
  at: Anchor | null;
  /** The preset's "watch for" sentence, when the scenario was given as `preset=<id>`. */
  watch: string | null;
}

export type LinkRead =
  /** No link: an empty hash or an in-page anchor (`#section`). */
  | { kind: 'none' }
  | { kind: 'ok'; link: AppLink }
  /** `what`: one sentence for the notice's title; `problems`: one `KEY: what is wrong` line each. */
  | { kind: 'error'; what: string; problems: string[] };

/** The scenario's canonical file as compact JSON. */
function json(s: Scenario): string {
  return JSON.stringify(scenarioToFile(s));
}

export function compactScenario(s: Scenario): string {
  return compressToEncodedURIComponent(json(s));
}

/** The link of a state, in the current format (parseLink reads it back). */
export function formatLink(link: Pick<AppLink, 'state' | 'at'>, opts: { readable?: boolean } = {}): string {
  const parts = [`v=${LINK_VERSION}`];
  const st = link.state;
  const scenario = (s: Scenario) =>
    opts.readable ? `scenario=${encodeURIComponent(json(s))}` : `s=${compactScenario(s)}`;
  switch (st.view) {
    case 'explore':
      parts.push(scenario(st.scenario));
      break;
    case 'tour':
      parts.push('view=tour', ...(st.tour === 'seed' ? [] : [`tour=${st.tour}`]), `step=${st.step}`);
      break;
    case 'predict':
      parts.push('view=predict', st.question !== null ? `question=${st.question}` : scenario(st.scenario));
      break;
    case 'compare':
      parts.push('view=compare', `a=${compactScenario(st.a)}`, `b=${compactScenario(st.b)}`);
      if (st.caption) parts.push(`caption=${encodeURIComponent(st.caption)}`);
      break;
  }
  if (link.at) parts.push(`at=${formatAnchor(link.at)}`);
  return `#${parts.join('&')}`;
}
