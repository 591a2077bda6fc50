import { parser } from '@lezer/json';
import type { SyntaxNode } from '@lezer/common';

/**
 * Where a scenario problem is in the JSON text: the schema says `PATH: what is wrong`
 * ("vmas.0.prot: expected ..."), a syntax error says "line L, column C: ...". The editor marks
 * that place, so the message shows at the right line. Pure (lezer's JSON parser, no DOM).
 */

export interface Located {
  from: number;
  to: number;
  message: string;
}

/** Splits "PATH: message" into the path's segments (quoted odd keys unquoted) and the message. */
export function splitProblem(problem: string): { path: string[]; message: string } | null {
  const segs: string[] = [];
  let i = 0;
  let cur = '';
  while (i < problem.length) {
    const c = problem[i];
    if (c === '"' && cur === '') {
      // A quoted segment: a JSON string.
      let j = i + 1;
      while (j < problem.length && problem[j] !== '"') j += problem[j] === '\\' ? 2 : 1;
      try {
        cur = JSON.parse(problem.slice(i, j + 1)) as string;
      } catch {
        return null;
      }
      i = j + 1;
      continue;
    }
    if (c === '.') {
      segs.push(cur);
      cur = '';
    } else if (c === ':' && problem[i + 1] === ' ') {
      segs.push(cur);
      const message = problem.slice(i + 2);
      return { path: segs.length === 1 && segs[0] === '(root)' ? [] : segs, message };
    } else cur += c;
    i++;
  }
  return null;
}

/** The value children of an Object (its Property nodes) or an Array (its values). */
function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling)
    if (!/^[[\]{},:]$/.test(c.name) && c.name !== '⚠') out.push(c);
  return out;
}

function keyOf(prop: SyntaxNode, text: string): string | null {
  const name = prop.getChild('PropertyName');
  if (!name) return null;
  try {
    return JSON.parse(text.slice(name.from, name.to)) as string;
  } catch {
    return null;
  }
}

/** The range of the value at `path`, or of the deepest part of it that exists (a missing field: its object). */
export function locatePath(text: string, path: string[]): { from: number; to: number } {
  const tree = parser.parse(text);
  let node: SyntaxNode | null = tree.topNode.firstChild;
  if (!node) return { from: 0, to: Math.min(1, text.length) };
  let at = { from: node.from, to: node.to };
  for (const seg of path) {
    if (node.name === 'Object') {
      const prop: SyntaxNode | undefined = children(node).find(
        (p) => p.name === 'Property' && keyOf(p, text) === seg,
      );
      if (!prop) break;
      const value = children(prop)
        .filter((c) => c.name !== 'PropertyName')
        .pop();
      // An unknown field marks its name; a bad value marks the value.
      at = { from: prop.from, to: prop.to };
      if (!value) break;
      node = value;
      at = { from: value.from, to: value.to };
    } else if (node.name === 'Array' && /^\d+$/.test(seg)) {
      const item: SyntaxNode | undefined = children(node)[Number(seg)];
      if (!item) break;
      node = item;
      at = { from: item.from, to: item.to };
    } else break;
  }
  // A large object or list: mark its first line, not the whole block.
  const nl = text.indexOf('\n', at.from);
  if (nl !== -1 && nl < at.to) at = { from: at.from, to: nl };
  return at;
}

/** Each problem with the place it is about. */
export function locateProblems(text: string, problems: string[]): Located[] {
  return problems.map((p) => {
    const pos = /^line (\d+), column (\d+): /.exec(p);
    if (pos) {
      const lines = text.split('\n');
      const line = Math.min(Number(pos[1]), lines.length);
      let from = 0;
      for (let l = 0; l < line - 1; l++) from += lines[l].length + 1;
      from = Math.min(text.length, from + Number(pos[2]) - 1);
      return { from, to: Math.min(text.length, from + 1), message: p };
    }
    const split = splitProblem(p);
    if (!split) return { from: 0, to: Math.min(1, text.length), message: p };
    return { ...locatePath(text, split.path), message: p };
  });
}
