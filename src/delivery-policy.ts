import { backoffMs } from './retry.js';

/**
 * The client's view of the API's health, and what it allows: how many requests may be in flight,
 * and when the next may start. It sees only outcomes and times; it never sends, sleeps or sets a
 * timer, so it is tested with tables and driven as it is by the fleet simulator.
 *
 * - `ok`: up to `maxConcurrency` requests at once. After an outage the limit starts at 1 and
 *   doubles with every success, so a recovering API is not hit by a full burst at once.
 * - `backing_off`: the API failed. One request at a time (a probe carrying a real batch), each
 *   after a full-jitter wait that doubles with every failed probe, up to the cap.
 * - A `Retry-After` pauses every request, whatever the state, until it has passed.
 */
export type HealthState = 'ok' | 'backing_off';

export interface DeliveryPolicyOptions {
  /** Requests in flight at most while healthy. */
  readonly maxConcurrency: number;
  /** The clock, in epoch milliseconds. */
  readonly now: () => number;
  /** Uniform in [0, 1): the jitter source. */
  readonly random: () => number;
}

/** Handed out when a request starts and given back with its outcome. */
export interface RequestTicket {
  /** The failure streak when the request started: an older request's failure is not news. */
  readonly streakAtStart: number;
}

/** What a retryable failure means for the batch that failed. */
export interface FailureVerdict {
  /**
   * True when the API was otherwise healthy at the time (the last outcome was a success): then the
   * failure is likely this batch's own fault, and counts towards giving it up. Failures while the
   * API is down are the outage's, not the batch's, and are not counted.
   */
  readonly countsAgainstBatch: boolean;
  /** True when this failure turned a healthy client into a backing-off one: tell the operator, once. */
  readonly startedOutage: boolean;
}

export class DeliveryPolicy {
  readonly #options: DeliveryPolicyOptions;
  /** Healthy, or backing off after failures. */
  #state: HealthState = 'ok';
  /** Consecutive failure rounds; 0 while healthy. Sizes the backoff window. */
  #streak = 0;
  /** While healthy, requests allowed at once; ramps up after an outage. */
  #limit: number;
  /** No request starts before this (a probe's backoff wait). */
  #nextProbeAtMs = 0;
  /** No request of any kind starts before this (the server's Retry-After). */
  #pausedUntilMs = 0;

  constructor(options: DeliveryPolicyOptions) {
    this.#options = options;
    this.#limit = options.maxConcurrency;
  }

  get state(): HealthState {
    return this.#state;
  }

  /** Requests that may be in flight at once now: 1 while backing off. */
  concurrency(): number {
    return this.#state === 'ok' ? this.#limit : 1;
  }

  /** The earliest time, in epoch ms, that the next background request may start. */
  nextSendAtMs(): number {
    return Math.max(this.#pausedUntilMs, this.#state === 'ok' ? 0 : this.#nextProbeAtMs);
  }

  /** The end of a Retry-After pause, in epoch ms; it holds back awaited retries too. */
  pausedUntilMs(): number {
    return this.#pausedUntilMs;
  }

  /** Call when a request starts. */
  start(): RequestTicket {
    return { streakAtStart: this.#streak };
  }

  /** The API answered (2xx, or a 4xx that proves it is up): healthy again, ramping back up. */
  succeeded(): { readonly recovered: boolean } {
    const recovered = this.#state === 'backing_off';
    if (recovered) {
      this.#state = 'ok';
      this.#limit = 1;
    } else {
      this.#limit = Math.min(this.#limit * 2, this.#options.maxConcurrency);
    }
    this.#streak = 0;
    return { recovered };
  }

  /**
   * A request failed in a way worth retrying (network error, timeout, 5xx, 429), with the
   * server's Retry-After when it gave one.
   */
  failed(ticket: RequestTicket, retryAfterMs?: number): FailureVerdict {
    const nowMs = this.#options.now();
    const wasHealthy = this.#state === 'ok';
    // Requests that started before the last failure report the same outage: only the first of
    // them, or a probe sent after it, widens the window, so four requests failing together do not
    // count as four rounds.
    if (ticket.streakAtStart === this.#streak) {
      this.#streak += 1;
      this.#nextProbeAtMs = nowMs + backoffMs(this.#streak - 1, this.#options.random);
    }
    this.#state = 'backing_off';
    if (retryAfterMs !== undefined) {
      this.#pausedUntilMs = Math.max(this.#pausedUntilMs, nowMs + retryAfterMs);
      // Clients told the same Retry-After would come back in the same instant; the probe waits
      // a full-jitter draw beyond it.
      this.#nextProbeAtMs = Math.max(this.#nextProbeAtMs, this.#pausedUntilMs + backoffMs(this.#streak - 1, this.#options.random));
    }
    return { countsAgainstBatch: wasHealthy, startedOutage: wasHealthy };
  }
}
