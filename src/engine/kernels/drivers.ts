/**
 * The driver loop of each kernel generation (hmm.rst's usage pattern around the call): what runs a
 * generation, kept apart from what describes it (the generation modules, which the views read).
 * Only the engine imports this module, so the driver loops, the walk and the mm model stay in the
 * worker's bundle and out of the page's. A generation without a driver here is a type error.
 */
import type { DriverContext, DriverOutcome } from '../driver/context.ts';
import { runDriverV5_2 } from '../driver/loop-2019.ts';
import { runDriverModern } from '../driver/loop-modern.ts';
import { runDriverUnlocked } from '../driver/loop-unlocked.ts';
import type { Kernel } from './registry.ts';
import { HMM_6X, v6_1 } from './v6_1.ts';
import { v6_12 } from './v6_12.ts';
import { HMM_7_3, v7_3 } from './v7_3.ts';

type Driver = (ctx: DriverContext) => DriverOutcome;

const DRIVERS: Record<Kernel, Driver> = {
  'v5.2': runDriverV5_2,
  v6: (ctx) => runDriverModern(ctx, v6_1.pfns, HMM_6X),
  'v6.12': (ctx) => runDriverModern(ctx, v6_12.pfns, HMM_6X),
  'v7.3': (ctx) =>
    ctx.scenario.call === 'hmm_range_fault_unlocked_timeout'
      ? runDriverUnlocked(ctx, v7_3.pfns, HMM_7_3)
      : runDriverModern(ctx, v7_3.pfns, HMM_7_3),
};

/** The driver loop that runs a scenario on `kernel`. */
export const driverOf = (kernel: Kernel): Driver => DRIVERS[kernel];
