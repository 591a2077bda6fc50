import { format } from 'd3-format';

/** Counts as people read them: 1,143 faults, step 5,000 of 9,330. */
export const count = format(',');
