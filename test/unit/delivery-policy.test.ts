import { describe, expect, it } from 'vitest';
import { DeliveryPolicy } from '../../src/delivery-policy.js';

/** A policy on a hand-driven clock, with a fixed random draw. */
function policyAt(random = 0.5) {
  const clock = { nowMs: 1_000_000 };
  const policy = new DeliveryPolicy({ maxConcurrency: 4, now: () => clock.nowMs, random: () => random });
  return { policy, clock };
}

describe('DeliveryPolicy', () => {
  it('starts healthy with full concurrency and nothing to wait for', () => {
    const { policy } = policyAt();
    expect(policy.state).toBe('ok');
    expect(policy.concurrency()).toBe(4);
    expect(policy.nextSendAtMs()).toBe(0);
  });

  it('on a failure, backs off to one request at a time after a full-jitter wait', () => {
    const { policy, clock } = policyAt(0.5);
    const ticket = policy.start();
    expect(policy.failed(ticket)).toEqual({ countsAgainstBatch: true, startedOutage: true });
    expect(policy.state).toBe('backing_off');
    expect(policy.concurrency()).toBe(1);
    expect(policy.nextSendAtMs()).toBe(clock.nowMs + 125); // half of the 250 ms window
  });

  it.each([
    // failed probes in a row → the window the next wait is drawn from (random = 1 draws its top)
    [1, 250],
    [2, 500],
    [3, 1000],
    [4, 2000],
    [7, 16_000],
    [8, 30_000], // 32 s, capped
    [20, 30_000],
  ])('after %i failed probes the next waits up to %i ms', (failures, windowMs) => {
    const { policy, clock } = policyAt(1);
    for (let index = 0; index < failures; index += 1) policy.failed(policy.start());
    expect(policy.nextSendAtMs() - clock.nowMs).toBe(windowMs);
  });

  it('counts requests that failed together as one round: four in flight do not widen the window four times', () => {
    const { policy, clock } = policyAt(1);
    const tickets = [policy.start(), policy.start(), policy.start(), policy.start()];
    const verdicts = tickets.map((ticket) => policy.failed(ticket));
    expect(verdicts.map((verdict) => verdict.startedOutage)).toEqual([true, false, false, false]);
    // Only the first found the API healthy: the others' failures are the outage's, not their batches'.
    expect(verdicts.map((verdict) => verdict.countsAgainstBatch)).toEqual([true, false, false, false]);
    expect(policy.nextSendAtMs() - clock.nowMs).toBe(250);
  });

  it('a Retry-After pauses every request until it has passed, and the probe waits a jittered draw beyond it', () => {
    const { policy, clock } = policyAt(0.5);
    policy.failed(policy.start(), 5000);
    expect(policy.pausedUntilMs()).toBe(clock.nowMs + 5000);
    expect(policy.nextSendAtMs()).toBe(clock.nowMs + 5000 + 125);
    // A later, shorter Retry-After does not shorten the pause.
    policy.failed(policy.start(), 1000);
    expect(policy.pausedUntilMs()).toBe(clock.nowMs + 5000);
    // Recovery ends the backoff, but a pause the server asked for still holds.
    policy.succeeded();
    expect(policy.nextSendAtMs()).toBe(clock.nowMs + 5000);
    clock.nowMs += 5000;
    expect(policy.nextSendAtMs()).toBeLessThanOrEqual(clock.nowMs);
  });

  it('after recovery, ramps concurrency back up 1 → 2 → 4', () => {
    const { policy } = policyAt();
    policy.failed(policy.start());
    policy.failed(policy.start());
    expect(policy.succeeded()).toEqual({ recovered: true });
    expect(policy.state).toBe('ok');
    expect(policy.nextSendAtMs()).toBe(0);
    expect([policy.concurrency(), (policy.succeeded(), policy.concurrency()), (policy.succeeded(), policy.concurrency()), (policy.succeeded(), policy.concurrency())]).toEqual([1, 2, 4, 4]);
  });

  it('a failure while healthy counts against the batch; a probe failing during the outage does not', () => {
    const { policy } = policyAt();
    expect(policy.failed(policy.start()).countsAgainstBatch).toBe(true);
    expect(policy.failed(policy.start()).countsAgainstBatch).toBe(false);
    policy.succeeded();
    expect(policy.failed(policy.start()).countsAgainstBatch).toBe(true);
  });
});
