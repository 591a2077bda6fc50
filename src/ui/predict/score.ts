import type { DeviceState, Run, Scenario } from '../../engine/types.ts';
import { DEVICE_GUESSES } from '../../state/predict.ts';
import { pageOutcomes } from '../model/outcome.ts';
import type { FaultKind, PageOutcome } from '../model/outcome.ts';
import { deviceMiss, faultCauses, faultMiss } from './reasons.ts';

/** One page of a scored prediction: each half right or wrong, with the reason when wrong. */
export interface PageScore {
  page: number;
  outcome: PageOutcome;
  fault: { guess: FaultKind; right: boolean; why: string | null };
  device: { guess: DeviceState; right: boolean; why: string | null };
}

export interface Score {
  pages: PageScore[];
  faultsRight: number;
  deviceRight: number;
  total: number;
}

/** Scores guesses against the run, page by page, explaining every miss from the trace. */
export function scorePrediction(s: Scenario, run: Run, faults: Uint8Array, device: Uint8Array): Score {
  const outcomes = pageOutcomes(s, run);
  const causes = faultCauses(run);
  let faultsRight = 0;
  let deviceRight = 0;
  const pages = outcomes.map((o): PageScore => {
    const fg = (faults[o.page] ?? 0) as FaultKind;
    const dg = DEVICE_GUESSES[device[o.page] ?? 0];
    const fr = fg === o.fault;
    const dr = dg === o.device;
    if (fr) faultsRight++;
    if (dr) deviceRight++;
    return {
      page: o.page,
      outcome: o,
      fault: { guess: fg, right: fr, why: fr ? null : faultMiss(s, run, o, fg, causes) },
      device: { guess: dg, right: dr, why: dr ? null : deviceMiss(run, o, dg) },
    };
  });
  return { pages, faultsRight, deviceRight, total: outcomes.length };
}
