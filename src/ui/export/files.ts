import type { Ink } from './stageSvg.ts';

/**
 * The browser side of export and import: the theme's colours as the stage shows them, saving a
 * Blob as a download, drawing an SVG onto a canvas for PNG, and reading a chosen file.
 */

/** The current theme's colours, read from the custom properties global.css sets on <html>. */
export function currentInk(): Ink {
  const cs = getComputedStyle(document.documentElement);
  const v = (name: string) => cs.getPropertyValue(name).trim();
  return {
    bg: v('--bg'),
    panel: v('--panel'),
    panel2: v('--panel-2'),
    border: v('--border'),
    text: v('--text'),
    muted: v('--muted'),
    walk: v('--walk'),
    fault: v('--fault'),
    faultSoft: v('--fault-soft'),
    inval: v('--inval'),
    bitOn: v('--bit-on'),
    bitAdded: v('--bit-added'),
    bitOff: v('--bit-off'),
    vma: v('--vma'),
    vmaInk: v('--vma-ink'),
    bracket: v('--bracket'),
  };
}

/** Offers `blob` as a download named `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by now; the URL can go once the click's task is over.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Rasterises an SVG document at `scale` (2: sharp on a projector and a retina slide). */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const g = canvas.getContext('2d');
    if (!g) throw new Error('this browser cannot draw on a canvas');
    g.scale(scale, scale);
    g.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A file name from a title: "Seed example 2: read-fault ..." → "seed-example-2-read-fault-...". */
export function fileSlug(title: string, fallback = 'hmm-scenario'): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || fallback;
}
