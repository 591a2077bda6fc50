import { GENERATIONS, generation, type Kernel } from '../../engine/kernels/registry.ts';
import type { Pseudocode } from '../../engine/kernels/generation.ts';
import { STATEMENTS, type Statement } from '../../engine/statements.ts';
import type { TraceEvent } from '../../engine/types.ts';
import { VM_FAULT } from '../../engine/mm/faultBits.ts';

/**
 * The pseudocode listing of each kernel generation, parsed for display. The text is the
 * generation module's (src/engine/kernels/listings/): a line may end in a ⟦...⟧ marker naming the
 * statements it belongs to, a bare id for the statement's own line and `+id` (or `+prefix.*`) for
 * a line on its path. A trace event names its statement (`stmt`); the panel highlights that
 * statement's line and lights its path. Nothing is guessed from the event's position.
 */

export interface CodeLine {
  text: string;
  /** Statements this line is the line of (the one highlighted when the statement runs). */
  ids: Statement[];
  /** Statements whose path goes through this line (lit with the statement). */
  path: Statement[];
  /**
   * Whether the line is a statement of its own that the kernel executes: not a comment, a
   * function header, a label, a lone brace or the continuation of the statement above.
   */
  executable: boolean;
}

export interface Listing {
  kernel: Kernel;
  /** The kernel version the listing models, stated in the panel. */
  models: string;
  lines: CodeLine[];
  /** Per statement, the index of its line; a statement the listing lacks has none. */
  lineOf: ReadonlyMap<Statement, number>;
  /** Per statement, the indices of the lines on its path (its own line included). */
  pathOf: ReadonlyMap<Statement, readonly number[]>;
  /** Problems in the listing's markers (unknown ids, a statement with two lines): tests read these. */
  problems: string[];
}

const HEADER = /^(?:static\s+)?(?:inline\s+)?(?:int|long|void|bool|unsigned int)\s+\w+\(/;
const KNOWN = new Set<string>(STATEMENTS);

/** Text without its comments, trimmed. */
const code = (text: string): string => text.replace(/\/\*.*?\*\//g, '').trim();

/** Open parentheses left unclosed at the end of a line (a statement that goes on below). */
function openParens(text: string): number {
  let n = 0;
  for (const ch of code(text)) n += ch === '(' ? 1 : ch === ')' ? -1 : 0;
  return n;
}

function isExecutable(text: string, continues: boolean): boolean {
  const c = code(text);
  if (!c || continues) return false;
  if (/^\w+:$/.test(c)) return false; // again: / fault: / out:
  if (/^[{}]$|^do \{$|^\} else$/.test(c)) return false;
  if (HEADER.test(text) || /^munmap\(\)/.test(c)) return false;
  return true;
}

function parse(kernel: Kernel, code_: Pseudocode, src: string): Listing {
  const problems: string[] = [];
  const lineOf = new Map<Statement, number>();
  const pathOf = new Map<Statement, number[]>();
  const wild: [prefix: string, line: number][] = [];
  /** Parentheses still open from the lines above: a line inside them continues a statement. */
  let depth = 0;
  const lines = src
    .replace(/^\n/, '')
    .replace(/\n$/, '')
    .split('\n')
    .map((raw, i): CodeLine => {
      const m = /\s*⟦([^⟧]*)⟧\s*$/.exec(raw);
      const text = m ? raw.slice(0, m.index).replace(/\s+$/, '') : raw;
      const ids: Statement[] = [];
      const path: Statement[] = [];
      for (const token of m ? m[1].split(/\s+/).filter(Boolean) : []) {
        const onPath = token.startsWith('+');
        const name = onPath ? token.slice(1) : token;
        if (onPath && name.endsWith('.*')) {
          wild.push([name.slice(0, -1), i]);
          continue;
        }
        // 7.3's unlocked call has its own driver and outer loop: "u." + a statement's id.
        if (!KNOWN.has(name.startsWith(UNLOCKED_PREFIX) ? name.slice(UNLOCKED_PREFIX.length) : name)) {
          problems.push(`line ${i + 1}: unknown statement "${name}"`);
          continue;
        }
        const id = name as Statement;
        if (onPath) path.push(id);
        else if (lineOf.has(id))
          problems.push(`line ${i + 1}: "${id}" already has line ${lineOf.get(id)! + 1}`);
        else {
          ids.push(id);
          lineOf.set(id, i);
        }
      }
      const executable = isExecutable(text, depth > 0);
      depth = Math.max(0, depth + openParens(text));
      return { text, ids, path, executable };
    });
  // Paths: the explicit lines, each wildcard's lines, and the statement's own line.
  for (const [i, l] of lines.entries())
    for (const id of l.path) (pathOf.get(id) ?? pathOf.set(id, []).get(id)!).push(i);
  for (const [prefix, i] of wild) {
    const matched = STATEMENTS.filter((s) => s.startsWith(prefix) && lineOf.has(s));
    if (matched.length === 0)
      problems.push(`line ${i + 1}: "+${prefix}*" matches no statement of this listing`);
    for (const id of matched) {
      (pathOf.get(id) ?? pathOf.set(id, []).get(id)!).push(i);
      lines[i].path.push(id);
    }
  }
  for (const [id, i] of lineOf) {
    const p = pathOf.get(id) ?? [];
    pathOf.set(
      id,
      [...new Set([...p, i])].sort((a, b) => a - b),
    );
  }
  for (const id of pathOf.keys())
    if (!lineOf.has(id)) problems.push(`"${id}" has path lines but no line of its own`);
  return { kernel, models: code_.models, lines, lineOf, pathOf, problems };
}

const loaded = new Map<Kernel, Promise<Listing>>();
/** The listings already loaded and parsed, for a render to take at once. */
const ready = new Map<Kernel, Listing>();

/**
 * A kernel's listing, parsed: its text is loaded the first time it is asked for (only this
 * panel needs it, so the first paint does not wait for four kernels' code).
 */
export function loadListing(kernel: Kernel): Promise<Listing> {
  let p = loaded.get(kernel);
  if (!p) {
    const c = generation(kernel).pseudocode;
    p = c.source().then((src) => {
      const listing = parse(kernel, c, src);
      ready.set(kernel, listing);
      return listing;
    });
    loaded.set(kernel, p);
  }
  return p;
}

/**
 * A kernel's listing if it has loaded, else null: the app's start loads the first scenario's
 * beside the app's code (main.tsx), so the first render draws the panel whole, not empty and
 * again a moment after the first paint.
 */
export function listingNow(kernel: Kernel): Listing | null {
  return ready.get(kernel) ?? null;
}

/** Every kernel's listing (the tests check each against the engine's trace). */
export const loadListings = (): Promise<Listing[]> => Promise.all(GENERATIONS.map((g) => loadListing(g.id)));

/**
 * The statement an event stands for. The engine names it on every event it emits from the walk
 * and the driver; the few the run emits itself (a handle_mm_fault, the programming, a concurrent
 * CPU event) are one statement each, told apart by their own fields.
 */
export function statementOf(e: TraceEvent): Statement | null {
  if (e.stmt) return e.stmt;
  switch (e.type) {
    case 'fault':
      if (Number(e.code) & VM_FAULT.RETRY) return 'fault.retry';
      return e.result === 'ok' ? 'fault' : 'fault.err';
    case 'program':
      return 'drv.program';
    case 'concurrent':
      return 'concurrent';
    case 'lock':
      // The driver's own mmap lock calls; v5.2's up_read says which of its three it is (stmt).
      return `drv.${e.fn}`;
    default:
      return null;
  }
}

const UNLOCKED_PREFIX = 'u.';
/** The driver function of 7.3's unlocked call: its steps light that block's lines (u.*) first. */
const UNLOCKED_DRIVER = 'dmirror_range_fault_unlocked';

/** The statement an event stands for in this listing (the unlocked call's own block first). */
function statementIn(listing: Listing, e: TraceEvent | null): Statement | null {
  const s = e && statementOf(e);
  if (!s) return null;
  if (e.stack.startsWith(UNLOCKED_DRIVER)) {
    const own = `${UNLOCKED_PREFIX}${s}` as Statement;
    if (listing.lineOf.has(own)) return own;
  }
  return s;
}

/** Index of the listing line the event executes, or -1 when the listing has no such statement. */
export function lineFor(listing: Listing, e: TraceEvent | null): number {
  const s = statementIn(listing, e);
  return s ? (listing.lineOf.get(s) ?? -1) : -1;
}

/**
 * The lines an event lights: its statement's path, and the branch of hmm_pte_need_fault() a pte
 * decision took (a callee the statement ran through).
 */
export function linesLit(listing: Listing, e: TraceEvent | null): ReadonlySet<number> {
  const s = statementIn(listing, e);
  const lit = new Set<number>(s ? (listing.pathOf.get(s) ?? []) : []);
  if (e?.type === 'pte' && e.needStmt) for (const i of listing.pathOf.get(e.needStmt) ?? []) lit.add(i);
  return lit;
}
