import { describe, expect, it } from 'vitest';
import { runFleet, steadyRequestsPerS, type Policy, type Scenario } from '../../sim/fleet.js';
import { TARGETS } from '../../sim/results.js';
import { summarize } from '../../sim/summary.js';

/**
 * The fleet simulation, small: 500 real Letter clients under virtual time, through a 6 s outage.
 * The same properties as the 10,000-client headline run, so that a retry change that brings back
 * the herd (clients coming back in step) or loses messages in an outage fails here.
 */
const CLIENTS = 500;
/**
 * The outage ends at 12 s. A client whose full-jitter draws all came out short can reach the
 * 30 s backoff cap within a 6 s outage, and then takes up to 30 s to notice the recovery: the run
 * lasts long enough to see the last of them drain.
 */
const NEW_SECONDS = 50;
const scenario = (policy: Policy, seconds: number): Scenario => ({
  policy,
  clients: CLIENTS,
  ratePerS: 1,
  seconds,
  startSpreadS: 2,
  outageStartS: 6,
  outageS: 6,
  capacityPerS: 2 * steadyRequestsPerS(CLIENTS, 1),
  overloadStatus: 429,
  retryAfterS: 1,
  latencyMedianMs: 40,
  seed: 7,
});

describe('a fleet of 500 clients through a 6 s outage', () => {
  it('the new policy loses nothing, comes back under 2x the steady rate and drains in time', async () => {
    const run = await runFleet(scenario('new', NEW_SECONDS));
    const summary = summarize(run);
    expect(summary.lost).toBe(0);
    // onError heard of the outage (once per client, or twice for one that saw a 429 later), and
    // of nothing else: no drops, no batches given up.
    expect(Object.keys(run.reports)).toEqual(['api_unavailable']);
    expect(summary.recoveryPeakRatio).toBeLessThanOrEqual(TARGETS.recoveryPeakRatio);
    // Tighter than the target, because at this size the target alone misses the herd: this run
    // measures 1.11 (one second holds about 450 requests, so Poisson noise alone is ±5%), while
    // the 0.1 jitter (+25% instead of full jitter) put back into backoffMs() measures 1.64.
    expect(summary.recoveryPeakRatio).toBeLessThanOrEqual(1.3);
    expect(summary.secondsOverCapacity).toBe(0);
    expect(summary.drainS).toBeDefined();
    expect(summary.drainS!).toBeLessThanOrEqual(TARGETS.drainS);
  }, 60_000);

  it('the 0.1 replay does show the herd and the loss, so the comparison is real', async () => {
    const summary = summarize(await runFleet(scenario('old', 20)));
    expect(summary.givenUp).toBeGreaterThan(0);
    expect(summary.recoveryPeakRatio).toBeGreaterThan(TARGETS.recoveryPeakRatio);
    expect(summary.outageLoadRatio).toBeGreaterThan(2);
  }, 60_000);
});
