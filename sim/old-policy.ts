/**
 * A replay of the 0.1 client's delivery loop, for comparison only. The 0.1 code is gone from
 * `src/` (it was replaced in d342b57); this is a minimal re-implementation of its rules, read off
 * `git show b4444c7:src/letter.ts` and `src/retry.ts`, driving the same modelled API:
 *
 * - a queue of at most 10,000 messages (`maxQueueSize`); more are dropped;
 * - a batch goes when 50 are queued (`flushAt`) or 100 ms after the first (`flushInterval`), and
 *   takes everything queued, up to a 500 KB body;
 * - up to 4 batches in flight, each with its own retry loop and no shared view of the API's health;
 * - a retry waits `250 ms × 2^attempt` plus up to 25% jitter (capped at 30 s), or the server's
 *   Retry-After (capped at 60 s), exactly, with no jitter;
 * - after `maxRetries` = 3 retries a batch is given up.
 *
 * Validation, onError, flush() and close() are left out: they do not change what reaches the API.
 */

const MAX_QUEUE_SIZE = 10_000;
const FLUSH_AT = 50;
const FLUSH_INTERVAL_MS = 100;
const MAX_CONCURRENT_REQUESTS = 4;
const MAX_RETRIES = 3;
const MAX_BODY_BYTES = 512_000;
const ENVELOPE_BYTES = '{"batch":[],"sent_at":""}'.length + '2026-11-22T10:15:30.456Z'.length;
const MAX_BACKOFF_MS = 30_000;
const MAX_RETRY_AFTER_MS = 60_000;

/** The 0.1 backoff: `250 ms × 2^attempt` plus up to 25% jitter, capped at 30 s. */
export function oldBackoffMs(attempt: number, random: () => number): number {
  const baseMs = Math.min(250 * 2 ** attempt, MAX_BACKOFF_MS);
  return Math.min(Math.round(baseMs * (1 + random() * 0.25)), MAX_BACKOFF_MS);
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** Counts shared by every replayed client, the way onError and stats() count for the real one. */
export interface OldPolicyCounters {
  delivered: number;
  givenUp: number;
  dropped: number;
}

/** One 0.1 client. */
export class OldPolicyClient {
  readonly #fetch: Fetch;
  readonly #random: () => number;
  readonly #counters: OldPolicyCounters;
  /** Serialized messages waiting to be sent, oldest first. */
  #queue: string[] = [];
  /** Batches being sent or waiting for their next retry. */
  #inFlight = 0;
  /** Fires flushInterval after the first message of a quiet queue. */
  #intervalTimer: ReturnType<typeof setTimeout> | undefined;
  /** The interval fired: everything queued is due. */
  #overdue = false;
  #pumpScheduled = false;

  constructor(fetch: Fetch, random: () => number, counters: OldPolicyCounters) {
    this.#fetch = fetch;
    this.#random = random;
    this.#counters = counters;
  }

  /** Queues one message, already serialized. */
  enqueue(message: string): void {
    if (this.#queue.length >= MAX_QUEUE_SIZE) {
      this.#counters.dropped += 1;
      return;
    }
    this.#queue.push(message);
    if (this.#queue.length >= FLUSH_AT) {
      this.#schedulePump();
    } else if (this.#intervalTimer === undefined) {
      this.#intervalTimer = setTimeout(() => {
        this.#intervalTimer = undefined;
        this.#overdue = true;
        this.#pump();
      }, FLUSH_INTERVAL_MS);
    }
  }

  #pump(): void {
    if (this.#canSend()) this.#startBatch();
    if (this.#canSend()) this.#schedulePump();
    if (this.#queue.length === 0) {
      this.#overdue = false;
      if (this.#intervalTimer !== undefined) clearTimeout(this.#intervalTimer);
      this.#intervalTimer = undefined;
    }
  }

  #canSend(): boolean {
    const queued = this.#queue.length;
    if (queued === 0 || this.#inFlight >= MAX_CONCURRENT_REQUESTS) return false;
    return this.#overdue || queued >= FLUSH_AT;
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #startBatch(): void {
    let bytes = ENVELOPE_BYTES - 1;
    let count = 0;
    while (count < this.#queue.length) {
      bytes += this.#queue[count]!.length + 1;
      if (bytes > MAX_BODY_BYTES && count > 0) break;
      count += 1;
    }
    const messages = this.#queue.splice(0, count);
    this.#inFlight += 1;
    void this.#deliver(messages.join(','), count).finally(() => {
      this.#inFlight -= 1;
      this.#schedulePump();
    });
  }

  async #deliver(json: string, count: number): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      const body = `{"batch":[${json}],"sent_at":"${new Date().toISOString()}"}`;
      const result = await this.#send(body);
      if (result === 'delivered') {
        this.#counters.delivered += count;
        return;
      }
      if (result === 'failed' || attempt >= MAX_RETRIES) {
        this.#counters.givenUp += count;
        return;
      }
      const waitMs = result.retryAfterMs ?? oldBackoffMs(attempt, this.#random);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  /** One POST, classified by the contract's status table. */
  async #send(body: string): Promise<'delivered' | 'failed' | { retryAfterMs: number | undefined }> {
    let response: Response;
    try {
      response = await this.#fetch('https://api.letter.app/v1/batch', { method: 'POST', body });
    } catch {
      return { retryAfterMs: undefined };
    }
    const status = response.status;
    if (status >= 200 && status < 300) return 'delivered';
    if (status === 429 || status === 503) {
      const header = response.headers.get('retry-after');
      const seconds = header === null ? Number.NaN : Number(header);
      return { retryAfterMs: Number.isFinite(seconds) ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : undefined };
    }
    if (status >= 500) return { retryAfterMs: undefined };
    return 'failed';
  }
}
