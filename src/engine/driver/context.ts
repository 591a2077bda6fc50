/** What the driver loops share with the run around them. */
import type { WalkEnv } from '../hmm/env.ts';
import type { Mm } from '../mm/mm.ts';
import type { Recorder } from '../trace/recorder.ts';
import type { CallName, ConcurrentEvent, Scenario } from '../types.ts';
import type { DevicePageTable } from './device.ts';

export interface DriverContext {
  scenario: Scenario;
  mm: Mm;
  rec: Recorder;
  env: WalkEnv;
  device: DevicePageTable;
  startVpn: number;
  /** The driver attempt in progress (1-based). */
  attempt: number;
  /** Run the concurrent events due at this point (each runs once). */
  fire(at: ConcurrentEvent['at']): void;
  /** The HMM call returned: record it (its return, its walks) and say so in the trace. */
  emitReturn(fn: CallName, ret: number): void;
  emitProgram(text: string): void;
}

export interface DriverOutcome {
  /** The last call's return value. */
  ret: number;
  attempts: number;
}

/**
 * The end of a single bare call (`"driverLoop": false`): a driver programs the device only from a
 * call that succeeded (`failed` says what failure is for the generation's call), never from what a
 * failed call left in the array.
 */
export function endBareCall(
  ctx: DriverContext,
  ret: number,
  attempts: number,
  failed: boolean,
  program: () => void,
  programmed: string,
): DriverOutcome {
  if (failed) {
    ctx.rec.emit({
      type: 'driver',
      stmt: 'drv.give_up',
      fn: 'give_up',
      value: null,
      text: 'A single bare call, and it failed: the driver programs nothing.',
    });
    return { ret, attempts };
  }
  ctx.fire('before-program');
  program();
  ctx.emitProgram(programmed);
  return { ret, attempts };
}
