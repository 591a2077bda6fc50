import type { DriverContext, DriverOutcome } from './context.ts';

export function runDriverV5_2(_ctx: DriverContext): DriverOutcome {
  throw new Error('v5.2 is not modelled yet');
}
