import type { FleetRun } from './fleet.js';

/** The numbers the issue asks for, from one run. Rates are requests per second at the API. */
export interface RunSummary {
  /** Mean request rate before the outage, once every client has started. */
  readonly steadyRequestsPerS: number;
  /** Mean attempt rate during the outage (refused connections included), over the steady rate. */
  readonly outageLoadRatio: number;
  /** The highest one-second request rate from recovery to the end of the run. */
  readonly recoveryPeakPerS: number;
  /** recoveryPeakPerS over steadyRequestsPerS. */
  readonly recoveryPeakRatio: number;
  /** Seconds after recovery in which more requests came than the API's capacity. */
  readonly secondsOverCapacity: number;
  /** Requests answered 429/503 for being over capacity, after recovery. */
  readonly overloadedAfterRecovery: number;
  /**
   * Seconds from recovery until the fleet holds no more than twice what it holds in steady state
   * (messages waiting for flushInterval or in flight); undefined if that did not happen in the run.
   */
  readonly drainS: number | undefined;
  readonly accepted: number;
  readonly delivered: number;
  /** Dropped plus given up. */
  readonly lost: number;
  readonly dropped: number;
  readonly givenUp: number;
  readonly heldAtEnd: number;
}

export function summarize(run: FleetRun): RunSummary {
  const { scenario, series, held } = run;
  const steadyFromS = Math.min(Math.ceil(scenario.startSpreadS) + 1, scenario.outageStartS - 1);
  const recoveredAtS = scenario.outageStartS + scenario.outageS;
  const steadyRequestsPerS = mean(series.attempts, steadyFromS, scenario.outageStartS);
  const steadyHeld = mean(held, steadyFromS, scenario.outageStartS);
  let recoveryPeakPerS = 0;
  let secondsOverCapacity = 0;
  let overloadedAfterRecovery = 0;
  for (let second = recoveredAtS; second < scenario.seconds; second += 1) {
    const attempts = series.attempts[second] ?? 0;
    recoveryPeakPerS = Math.max(recoveryPeakPerS, attempts);
    if (attempts > scenario.capacityPerS) secondsOverCapacity += 1;
    overloadedAfterRecovery += series.overloaded[second] ?? 0;
  }
  // held[s] is sampled at the end of second s: recovery is at the end of second recoveredAtS - 1.
  let drainS: number | undefined;
  for (let second = recoveredAtS; second < held.length; second += 1) {
    if (held[second]! <= 2 * steadyHeld) {
      drainS = second + 1 - recoveredAtS;
      break;
    }
  }
  return {
    steadyRequestsPerS,
    outageLoadRatio: mean(series.attempts, scenario.outageStartS, recoveredAtS) / steadyRequestsPerS,
    recoveryPeakPerS,
    recoveryPeakRatio: recoveryPeakPerS / steadyRequestsPerS,
    secondsOverCapacity,
    overloadedAfterRecovery,
    drainS,
    accepted: run.accepted,
    delivered: run.delivered,
    lost: run.dropped + run.givenUp,
    dropped: run.dropped,
    givenUp: run.givenUp,
    heldAtEnd: run.heldAtEnd,
  };
}

function mean(values: readonly number[], fromIndex: number, toIndex: number): number {
  let sum = 0;
  for (let index = fromIndex; index < toIndex; index += 1) sum += values[index] ?? 0;
  return toIndex > fromIndex ? sum / (toIndex - fromIndex) : 0;
}
