const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Counts as people read them: 1,143 faults, step 5,000 of 9,330. (The browser's own grouping,
 * in English like the rest of the app: d3-format would be 3 KB gzip of the first load.)
 */
export const count = (n: number): string => GROUPED.format(n);
