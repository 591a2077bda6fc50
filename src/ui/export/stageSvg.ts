import type { Run, Scenario } from '../../engine/types.ts';
import { stateAt } from '../../engine/trace/replay.ts';
import { eventText } from '../../engine/trace/text.ts';
import { currentEvent, eventSpan } from '../../state/derived.ts';
import type { PageState } from '../../state/derived.ts';
import { effectivePolicy, kernelLabel, namedBits } from '../model/bits.ts';
import type { NamedBit } from '../model/bits.ts';
import { brackets, vmaLabel, vmaSpans } from '../model/geometry.ts';
import { pageViews } from '../model/pageView.ts';
import type { PageView } from '../model/pageView.ts';
import { DEVICE_LOOK, cpuLook } from '../model/states.ts';
import type { Tone } from '../model/states.ts';
import type { ToneColors } from '../theme/palette.ts';
import { eventKind, eventLabel } from '../stage/WalkBand.tsx';

/**
 * The stage as a standalone SVG, for slides and documents: the same rows as on screen (ruler,
 * pmd entries, vmas, CPU pte, the request formula, the fault decision, the output entry, the
 * device pte) at the same cursor, drawn with plain shapes and text so any editor (Inkscape,
 * PowerPoint, Keynote, a browser) opens it. A pure function of (scenario, run, cursor, colours):
 * the UI reads the theme's colours and passes them in.
 */

/** The theme's non-state colours (global.css's custom properties). */
export interface Ink {
  bg: string;
  panel: string;
  panel2: string;
  border: string;
  text: string;
  muted: string;
  walk: string;
  fault: string;
  faultSoft: string;
  inval: string;
  bitOn: string;
  bitAdded: string;
  bitOff: string;
  vma: string;
  vmaInk: string;
  bracket: string;
}

export interface StageSvgInput {
  scenario: Scenario;
  run: Run | null;
  cursor: number;
  /** Pages [from, to) to draw (the stage's window); defaults to the first 64. */
  from?: number;
  to?: number;
  ink: Ink;
  tones: Record<Tone, ToneColors>;
}

const SANS = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const MONO = "ui-monospace, 'SFMono-Regular', 'DejaVu Sans Mono', Menlo, Consolas, monospace";
const PAD = 24;
const HEAD = 176;
const MAX_PAGES = 64;

/**
 * Characters XML 1.0 cannot hold at all, not even as references: C0 controls but tab and newlines,
 * U+FFFE/U+FFFF and lone surrogates. A title may hold them (a pasted escape sequence); they become
 * U+FFFD, so the file stays well-formed and shows that something was there.
 */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function esc(s: string): string {
  return s
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function text(
  x: number,
  y: number,
  s: string,
  o: { fill: string; size?: number; weight?: number; mono?: boolean; anchor?: 'start' | 'middle' | 'end' },
): string {
  return (
    `<text x="${x}" y="${y}" fill="${o.fill}" font-family="${esc(o.mono ? MONO : SANS)}" ` +
    `font-size="${o.size ?? 12}" font-weight="${o.weight ?? 400}" text-anchor="${o.anchor ?? 'start'}" ` +
    `dominant-baseline="central">${esc(s)}</text>`
  );
}

function rect(
  x: number,
  y: number,
  w: number,
  h: number,
  o: { fill: string; stroke?: string; dash?: boolean; r?: number; width?: number },
): string {
  return (
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${o.r ?? 6}" fill="${o.fill}"` +
    (o.stroke ? ` stroke="${o.stroke}" stroke-width="${o.width ?? 1}"` : '') +
    (o.dash ? ' stroke-dasharray="4 3"' : '') +
    '/>'
  );
}

/** The named request bits of a word as lettered boxes, centred on cx. */
function chips(
  cx: number,
  cy: number,
  bits: NamedBit[],
  word: bigint,
  ink: Ink,
  opts: { struck?: bigint; added?: bigint } = {},
): string {
  const w = 13;
  const gap = 2;
  const total = bits.length * w + (bits.length - 1) * gap;
  let x = cx - total / 2;
  let out = '';
  for (const b of bits) {
    const m = 1n << BigInt(b.bit);
    const on = (word & m) !== 0n;
    const struck = ((opts.struck ?? 0n) & m) !== 0n;
    const added = on && ((opts.added ?? 0n) & m) !== 0n;
    const fill = on ? (added ? ink.bitAdded : ink.bitOn) : ink.panel;
    const stroke = struck ? ink.inval : on ? fill : ink.bitOff;
    out += rect(x, cy - 9, w, 18, { fill, stroke, dash: struck, r: 3 });
    out += text(x + w / 2, cy + 0.5, b.short, {
      fill: on ? ink.panel : struck ? ink.inval : ink.muted,
      size: 10,
      weight: 800,
      mono: true,
      anchor: 'middle',
    });
    if (struck) out += `<line x1="${x + 2}" y1="${cy}" x2="${x + w - 2}" y2="${cy}" stroke="${ink.inval}"/>`;
    x += w + gap;
  }
  return out;
}

function outLook(
  v: PageView,
  ink: Ink,
  t: Record<Tone, ToneColors>,
): { fill: string; fg: string; stroke: string } {
  if (!v.out) return { fill: ink.panel, fg: ink.muted, stroke: ink.border };
  switch (v.out.tone) {
    case 'write':
      return { fill: t.write.bg, fg: t.write.fg, stroke: t.write.border };
    case 'valid':
      return { fill: t.read.bg, fg: t.read.fg, stroke: t.read.border };
    case 'error':
      return { fill: t.error.bg, fg: t.error.fg, stroke: t.error.border };
    case 'special':
      return { fill: t.special.bg, fg: t.special.fg, stroke: t.special.border };
    default:
      return { fill: ink.panel2, fg: ink.muted, stroke: ink.border };
  }
}

/** The SVG document, with its pixel size. */
export function stageSvg(input: StageSvgInput): { svg: string; width: number; height: number } {
  const { scenario: s, run, cursor, ink, tones: t } = input;
  const pages = s.range.pages;
  const from = Math.max(0, Math.min(input.from ?? 0, pages - 1));
  const to = Math.max(from + 1, Math.min(input.to ?? from + MAX_PAGES, pages, from + MAX_PAGES));
  const n = to - from;
  const col = n <= 16 ? 56 : n <= 32 ? 44 : 36;
  const width = PAD * 2 + HEAD + n * col;
  const state: PageState =
    run && cursor > 0
      ? stateAt(s, run, Math.min(cursor, run.trace.length))
      : { cpu: s.cpu, pfns: s.requests, holdsInput: new Uint8Array(pages).fill(1), device: s.device };
  const views = pageViews(s, run, cursor, state, from, to);
  const bits = namedBits(s).filter((b) => b.role === 'request');
  const policy = effectivePolicy(s);
  const ev = currentEvent(run, cursor);
  const x0 = PAD + HEAD;
  const xc = (p: number) => x0 + (p - from) * col + col / 2;
  const body: string[] = [];
  const heads: string[] = [];
  let y = PAD;

  // Title, kernel and call, then the step being narrated.
  body.push(text(PAD, y + 10, s.title || 'Untitled scenario', { fill: ink.text, size: 18, weight: 700 }));
  y += 28;
  const total = run ? run.trace.length : 0;
  body.push(
    text(
      PAD,
      y + 8,
      `${kernelLabel(s.kernel)} · ${s.call}() · step ${Math.min(cursor, total)} of ${total} · pages ${from}–${to - 1} of ${pages}`,
      { fill: ink.muted, size: 12.5 },
    ),
  );
  y += 22;
  const say = ev ? eventText(ev) : 'Before the run: the driver has not called HMM yet.';
  body.push(rect(PAD, y, width - 2 * PAD, 30, { fill: ink.panel2, stroke: ink.border }));
  body.push(rect(PAD, y, 4, 30, { fill: ink.walk, r: 1 }));
  body.push(text(PAD + 14, y + 15, say, { fill: ink.text, size: 13.5 }));
  y += 44;

  // The walk's label over the pages the narrated step is about, as on the stage.
  const span = eventSpan(ev);
  if (ev) {
    const label = eventLabel(ev);
    const kind = eventKind(ev);
    const w = Math.min(width - 2 * PAD - HEAD, label.length * 7.6 + 22);
    const at = span ? x0 + (Math.max(span[0], from) - from) * col : x0;
    const left = Math.max(x0, Math.min(at, width - PAD - w));
    const hot = kind === 'fault' || kind === 'restart' || kind === 'invalidate';
    body.push(rect(left, y, w, 22, { fill: hot ? ink.fault : ink.walk, r: 11 }));
    body.push(
      text(left + w / 2, y + 11.5, label, {
        fill: hot ? ink.panel : '#1d1400',
        size: 12,
        weight: 700,
        mono: true,
        anchor: 'middle',
      }),
    );
  }
  heads.push(text(PAD, y + 11, 'walk', { fill: ink.muted, size: 12 }));
  y += 30;
  const gridTop = y;

  const row = (
    label: string,
    h: number,
    draw: (v: PageView, cx: number, top: number) => string,
    sub?: string,
  ) => {
    heads.push(text(PAD, y + h / 2 - (sub ? 6 : 0), label, { fill: ink.text, size: 12.5, weight: 700 }));
    if (sub) heads.push(text(PAD, y + h / 2 + 9, sub, { fill: ink.muted, size: 11 }));
    for (const v of views) body.push(draw(v, xc(v.page), y));
    y += h;
  };

  // Ruler.
  heads.push(text(PAD, y + 10, `page (of ${pages})`, { fill: ink.muted, size: 12 }));
  for (let p = from; p < to; p++)
    body.push(text(xc(p), y + 10, String(p), { fill: ink.muted, size: 11.5, mono: true, anchor: 'middle' }));
  y += 22;

  // pmd entries and vmas, as spans over their pages.
  heads.push(text(PAD, y + 11, 'pmd · 2 MiB each', { fill: ink.muted, size: 12 }));
  for (const b of brackets(s, state.cpu, from, to).filter((b) => b.level === 'pmd')) {
    const a = x0 + (b.from - from) * col + 4;
    const w = (b.to - b.from) * col - 8;
    const stroke = b.kind === 'none' ? ink.muted : b.kind === 'huge' ? ink.bitOn : ink.bracket;
    body.push(
      `<path d="M${a} ${y + 20}V${y + 8}H${a + w}V${y + 20}" fill="none" stroke="${stroke}" stroke-width="2"` +
        `${b.kind === 'none' ? ' stroke-dasharray="5 3"' : ''}/>`,
    );
    const label = b.kind === 'table' ? 'pte table' : b.kind === 'huge' ? 'huge pmd' : 'none: a hole';
    body.push(rect(a + w / 2 - 38, y + 1, 76, 14, { fill: ink.panel, r: 2 }));
    body.push(text(a + w / 2, y + 8, label, { fill: ink.text, size: 11, weight: 600, anchor: 'middle' }));
  }
  y += 24;
  heads.push(text(PAD, y + 12, 'vma', { fill: ink.muted, size: 12 }));
  for (const v of vmaSpans(s, from, to)) {
    const a = x0 + (v.from - from) * col + 2;
    const w = (v.to - v.from) * col - 4;
    body.push(
      rect(a, y + 2, w, 20, {
        fill: v.vma ? ink.vma : ink.panel2,
        stroke: v.vma ? undefined : ink.border,
        dash: !v.vma,
        r: 5,
      }),
    );
    body.push(
      text(a + 8, y + 12, v.vma ? vmaLabel(v.vma) : 'no vma', {
        fill: v.vma ? ink.vmaInk : ink.muted,
        size: 11.5,
        weight: 600,
      }),
    );
  }
  y += 28;

  row('CPU pte', 40, (v, cx, top) => {
    const look = cpuLook(v.cpu, v.vmaReadable);
    const c = t[look.tone];
    const empty = look.tone === 'empty';
    return (
      rect(cx - col / 2 + 3, top + 3, col - 6, 34, {
        fill: empty ? ink.panel : c.bg,
        stroke: c.border,
        dash: empty,
      }) +
      text(cx, top + 20, look.short, {
        fill: empty ? ink.muted : c.fg,
        size: 12,
        weight: 650,
        mono: true,
        anchor: 'middle',
      })
    );
  });
  y += 6;
  body.push(`<line x1="${PAD}" y1="${y - 3}" x2="${width - PAD}" y2="${y - 3}" stroke="${ink.border}"/>`);
  row('pfns[i] input', 26, (v, cx, top) => chips(cx, top + 13, bits, v.input, ink));
  heads.push(chips(PAD + HEAD - 30, y + 13, bits, policy.mask, ink));
  row('& pfn_flags_mask', 26, (v, cx, top) =>
    chips(cx, top + 13, bits, v.masked, ink, { struck: v.input & ~policy.mask }),
  );
  heads.push(chips(PAD + HEAD - 30, y + 15, bits, policy.defaults, ink));
  row(
    '| default_flags',
    30,
    (v, cx, top) => chips(cx, top + 15, bits, v.request, ink, { added: policy.defaults & ~v.masked }),
    '= request',
  );
  row('need fault?', 28, (v, cx, top) => {
    if (!v.need) return '';
    const need = v.need.need;
    const glyph = need & 2 ? 'W' : need & 1 ? 'R' : '—';
    const fill = need & 2 ? ink.fault : need & 1 ? ink.faultSoft : ink.panel;
    const fg = need & 2 ? ink.panel : need & 1 ? ink.fault : ink.muted;
    const opacity = v.need.earlier ? ' opacity="0.5"' : '';
    return (
      `<g${opacity}>` +
      rect(cx - 13, top + 4, 26, 20, { fill, stroke: need ? ink.fault : undefined, r: 10 }) +
      text(cx, top + 14.5, glyph, { fill: fg, size: 12, weight: 800, mono: true, anchor: 'middle' }) +
      '</g>'
    );
  });
  row('pfns[i] output', 40, (v, cx, top) => {
    const o = outLook(v, ink, t);
    return (
      rect(cx - col / 2 + 3, top + 3, col - 6, 34, { fill: o.fill, stroke: o.stroke }) +
      text(cx, top + 20, v.out ? v.out.text : 'in', {
        fill: o.fg,
        size: 11.5,
        weight: 750,
        mono: true,
        anchor: 'middle',
      })
    );
  });
  y += 6;
  body.push(`<line x1="${PAD}" y1="${y - 3}" x2="${width - PAD}" y2="${y - 3}" stroke="${ink.border}"/>`);
  row('device pte', 40, (v, cx, top) => {
    const look = DEVICE_LOOK[v.device];
    const c = t[look.tone];
    const empty = look.tone === 'empty';
    return (
      rect(cx - col / 2 + 3, top + 3, col - 6, 34, {
        fill: empty ? ink.panel : c.solid,
        stroke: empty ? c.border : c.solid,
        dash: empty,
      }) +
      text(cx, top + 20, look.short, {
        fill: empty ? ink.muted : c.solidFg,
        size: 12.5,
        weight: 650,
        mono: true,
        anchor: 'middle',
      })
    );
  });
  const gridBottom = y;

  // The walk's cursor: a band over the pages the narrated step is about.
  let band = '';
  if (span) {
    const a = Math.max(span[0], from);
    const b = Math.min(span[1], to);
    if (b > a)
      band = rect(x0 + (a - from) * col, gridTop - 2, (b - a) * col, gridBottom - gridTop + 4, {
        fill: 'none',
        stroke: ['fault', 'restart', 'invalidate'].includes(eventKind(ev)) ? ink.fault : ink.walk,
        width: 2.5,
        r: 9,
      });
  }
  y += PAD - 6;
  body.push(text(width - PAD, y, 'HMM Explorer', { fill: ink.muted, size: 11, anchor: 'end' }));
  const height = y + 14;

  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="${esc(`${s.title}: the stage at step ${cursor}`)}">` +
    `<title>${esc(`${s.title || 'HMM Explorer'}, step ${Math.min(cursor, total)} of ${total}`)}</title>` +
    `<desc>${esc(say)}</desc>` +
    rect(0, 0, width, height, { fill: ink.panel, r: 0 }) +
    heads.join('') +
    body.join('') +
    band +
    '</svg>';
  return { svg, width, height };
}
