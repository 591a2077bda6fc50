/**
 * Counts as people read them: 1,143 faults, step 5,000 of 9,330 (whole numbers, rounded half away
 * from zero, commas every three digits: English, like the rest of the app).
 *
 * Grouped by hand on purpose. The browser's own grouping (`Intl.NumberFormat`, `toLocaleString`)
 * loads ICU's locale data on its first use in a page, 25-180 ms of main thread measured in
 * Chromium: a long task in the first screen, which shows counts. d3-format would be 3 KB gzip of
 * the first load.
 */
export function count(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const digits = Math.round(Math.abs(n)).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 && digits !== '0' ? `-${grouped}` : grouped;
}
