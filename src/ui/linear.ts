/** A straight-line map from a domain to a range, with its inverse. */
export interface Linear {
  (value: number): number;
  invert(position: number): number;
}

/**
 * d3-scale's scaleLinear for the two straight lines the first screen draws (the overview strip
 * and the scrubber's marks), with the same answers, including a one-point domain mapping to the
 * middle of the range. d3-scale would bring d3-array, d3-format and d3-interpolate into the first
 * load (about 10 KB gzip); the Compare view's cost chart, loaded on use, keeps d3-scale.
 */
export function linear([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): Linear {
  const span = d1 - d0;
  const map = ((v: number) => (span ? r0 + ((v - d0) / span) * (r1 - r0) : (r0 + r1) / 2)) as Linear;
  map.invert = (y: number) => (r1 !== r0 ? d0 + ((y - r0) / (r1 - r0)) * span : (d0 + d1) / 2);
  return map;
}
