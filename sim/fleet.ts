import FakeTimers from '@sinonjs/fake-timers';
import { Letter } from '../src/index.js';
import { createApiModel, type ApiSeries } from './api-model.js';
import { OldPolicyClient, type OldPolicyCounters } from './old-policy.js';
import { exponentialGapMs, seededRandom } from './random.js';

/** The installed fake clock. */
type Clock = ReturnType<typeof FakeTimers.install>;

/** `new`: the SDK as it is in `src/`. `old`: the replay of the 0.1 retry rules in old-policy.ts. */
export type Policy = 'new' | 'old';

/** One simulated run: the fleet, its traffic, and the API it talks to. */
export interface Scenario {
  readonly policy: Policy;
  readonly clients: number;
  /** Events each client tracks per second, as a Poisson process. */
  readonly ratePerS: number;
  /** Virtual seconds to run. */
  readonly seconds: number;
  /** Clients start tracking at a uniform offset in [0, startSpreadS) seconds. */
  readonly startSpreadS: number;
  /** When the outage starts, in seconds from the start. */
  readonly outageStartS: number;
  /** The outage's length in seconds: connections refused for the first half, 503s for the second. */
  readonly outageS: number;
  /** Requests per second the API takes; the excess is answered `overloadStatus`. */
  readonly capacityPerS: number;
  readonly overloadStatus: 429 | 503;
  /** Retry-After on a 429, in seconds. */
  readonly retryAfterS: number;
  readonly latencyMedianMs: number;
  readonly seed: number;
}

/** What one run measured. Per-second arrays are indexed by whole seconds since the start. */
export interface FleetRun {
  readonly scenario: Scenario;
  readonly series: ApiSeries;
  /** Messages held by the fleet (queued, waiting for a retry or in flight) at the end of each second. */
  readonly held: number[];
  /** Messages tracked. */
  readonly accepted: number;
  /** Messages the API stored. */
  readonly delivered: number;
  /** Messages dropped because a client's queue was full. */
  readonly dropped: number;
  /** Messages given up after retries. */
  readonly givenUp: number;
  /** Messages still held when the run ended (neither delivered nor lost yet). */
  readonly heldAtEnd: number;
  /** onError reports by code (new policy only). */
  readonly reports: Record<string, number>;
  /** Wall-clock time of the run, in ms. */
  readonly wallMs: number;
  /** CPU time (user and system) of the run, in ms: on a shared machine, the steadier measure. */
  readonly cpuMs: number;
  /** The highest resident set size seen during the run, in bytes. */
  readonly peakRssBytes: number;
  /** The highest V8 heap use plus array buffers (where queues keep their bytes) seen during the run, in bytes. */
  readonly peakHeapBytes: number;
}

/** The fleet's flushInterval; the SDK's default, which the 0.1 client had too. */
const FLUSH_INTERVAL_S = 0.1;

/**
 * Requests per second a fleet sends when the API is healthy: a client sends one batch per
 * interval that saw at least one event, so `r / (1 + r × flushInterval)` each.
 */
export function steadyRequestsPerS(clients: number, ratePerS: number): number {
  return (clients * ratePerS) / (1 + ratePerS * FLUSH_INTERVAL_S);
}

interface SimClient {
  track(index: number): void;
}

/**
 * Runs one scenario under virtual time: fake timers and a fake Date from @sinonjs/fake-timers,
 * Math.random seeded, and every client's fetch pointed at the API model. The clients of the `new`
 * policy are real, unmodified `Letter` instances.
 */
export async function runFleet(scenario: Scenario): Promise<FleetRun> {
  const startedAt = { wallMs: performance.now(), cpu: process.cpuUsage() };
  const originMs = Date.UTC(2026, 10, 23, 12, 0, 0);
  // Letter reads Date.now and Math.random when it is constructed: both are replaced first.
  const clock = FakeTimers.install({
    now: originMs,
    toFake: ['Date', 'setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval'],
  });
  const realRandom = Math.random;
  Math.random = seededRandom(scenario.seed);
  try {
    return await runUnderFakeClock(scenario, clock, originMs, startedAt);
  } finally {
    clock.uninstall();
    Math.random = realRandom;
  }
}

async function runUnderFakeClock(scenario: Scenario, clock: Clock, originMs: number, startedAt: { wallMs: number; cpu: NodeJS.CpuUsage }): Promise<FleetRun> {
  const api = createApiModel({
    capacityPerS: scenario.capacityPerS,
    burstS: 0.1,
    overloadStatus: scenario.overloadStatus,
    retryAfterS: scenario.retryAfterS,
    latencyMedianMs: scenario.latencyMedianMs,
    latencySigma: 0.5,
    outageStartMs: scenario.outageStartS * 1000,
    refusedMs: (scenario.outageS * 1000) / 2,
    errorMs: (scenario.outageS * 1000) / 2,
    originMs,
    random: seededRandom(scenario.seed ^ 0x5bd1e995),
  });
  const counters: OldPolicyCounters = { delivered: 0, givenUp: 0, dropped: 0 };
  const reports: Record<string, number> = {};
  let measuring = true;
  const { clients, close } = createClients(scenario, api.fetch, counters, (code, lost) => {
    if (!measuring) return;
    reports[code] = (reports[code] ?? 0) + 1;
    if (code === 'queue_full') counters.dropped += lost;
    else counters.givenUp += lost;
  });

  // The traffic has its own random source, so both policies see the same events at the same times.
  const trafficRandom = seededRandom(scenario.seed ^ 0x27d4eb2f);
  let accepted = 0;
  let tracking = true;
  const scheduleNext = (index: number, delayMs: number): void => {
    setTimeout(() => {
      if (!tracking) return;
      accepted += 1;
      clients[index]!.track(index);
      scheduleNext(index, exponentialGapMs(scenario.ratePerS, trafficRandom));
    }, delayMs);
  };
  for (let index = 0; index < clients.length; index += 1) {
    scheduleNext(index, trafficRandom() * scenario.startSpreadS * 1000 + exponentialGapMs(scenario.ratePerS, trafficRandom));
  }

  const held: number[] = [];
  let peakRssBytes = 0;
  let peakHeapBytes = 0;
  for (let second = 0; second < scenario.seconds; second += 1) {
    await clock.tickAsync(1000);
    held.push(accepted - api.storedTotal() - counters.givenUp - counters.dropped);
    if (second % 5 === 0) {
      const memory = process.memoryUsage();
      peakRssBytes = Math.max(peakRssBytes, memory.rss);
      // The queues keep their bytes in array buffers, outside the JS heap.
      peakHeapBytes = Math.max(peakHeapBytes, memory.heapUsed + memory.arrayBuffers);
    }
  }
  tracking = false;
  measuring = false;
  const delivered = api.storedTotal();
  const run: FleetRun = {
    scenario,
    series: api.series,
    held,
    accepted,
    delivered,
    dropped: counters.dropped,
    givenUp: counters.givenUp,
    heldAtEnd: accepted - delivered - counters.givenUp - counters.dropped,
    reports,
    wallMs: performance.now() - startedAt.wallMs,
    cpuMs: cpuMsSince(startedAt.cpu),
    peakRssBytes,
    peakHeapBytes,
  };
  await close(clock);
  return run;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

function createClients(
  scenario: Scenario,
  fetch: Fetch,
  counters: OldPolicyCounters,
  onLoss: (code: string, lost: number) => void,
): { clients: SimClient[]; close: (clock: Clock) => Promise<void> } {
  if (scenario.policy === 'old') {
    const clients = Array.from({ length: scenario.clients }, () => new OldPolicyClient(fetch, Math.random, counters));
    return {
      clients: clients.map((client) => ({ track: (index: number) => client.enqueue(oldMessage(index)) })),
      // Their timers vanish with the fake clock; nothing else holds them.
      close: async () => {},
    };
  }
  const letters = Array.from({ length: scenario.clients }, () => new Letter({
    apiKey: 'lt_test_fleet_simulation',
    fetch,
    onError: (error) => onLoss(error.code, error.messages?.length ?? error.dropped ?? 0),
  }));
  return {
    clients: letters.map((letter) => ({ track: (index: number) => void letter.track({ userId: `user-${index}`, event: 'Page Viewed' }) })),
    // Closed with no deadline left, so that nothing waits for a beforeExit flush after the run.
    close: async (clock) => {
      let closed = false;
      void Promise.all(letters.map((letter) => letter.close({ timeout: 0 }))).then(() => {
        closed = true;
      });
      while (!closed) await clock.tickAsync(100);
    },
  };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** A message as the SDK would serialize it, for the 0.1 replay. */
function oldMessage(index: number): string {
  return `{"type":"track","message_id":"${crypto.randomUUID()}","timestamp":"${new Date().toISOString()}","user_id":"user-${index}","event":"Page Viewed"}`;
}
