import { buildThrough, type Message } from './before-send.js';
import { encodeBody, takeBody, utf8Bytes } from './batch.js';
import { debugLogger, type Logger } from './debug.js';
import type { EventName, PlanGroupCall, PlanIdentifyCall, PlanTrackCall, TrackingPlan } from './plan.js';
import { LetterError, type WireMessage } from './errors.js';
import { holdForExit, releaseForExit } from './exit-hook.js';
import { warnIfInsecure } from './insecure.js';
import { buildGroup, buildIdentify, buildTrack, type SerializedMessage } from './messages.js';
import { describe } from './describe.js';
import { resolveOptions, type CloseOptions, type LetterOptions, type ResolvedOptions } from './options.js';
import { backoffMs } from './retry.js';
import { holdProcessOpen, sleep, unrefImmediate, unrefTimeout } from './schedule.js';
import { sendBody, type Failure, type SendOutcome } from './transport.js';

/**
 * Requests in flight at once. More than one keeps throughput up while a batch waits on a retry;
 * a handful keeps a struggling API from being flooded.
 */
const MAX_CONCURRENT_REQUESTS = 4;

/** Messages taken from the queue and sent together. */
interface Batch {
  /** The messages' JSON joined by commas, ready to drop into a body. */
  readonly json: string;
  readonly count: number;
  /** Sequence number of the first message, to tell which flush() calls this batch holds up. */
  readonly firstSeq: number;
}

/** A pending flush(): it resolves once every message accepted before `targetSeq` has settled. */
interface FlushWaiter {
  readonly targetSeq: number;
  readonly resolve: () => void;
}

/**
 * The Letter client: validates calls, queues messages in memory and delivers them in batches to
 * `POST /v1/batch`, retrying transient failures. Create one per process and reuse it.
 * @typeParam Plan - a typed tracking plan that calls are checked against; without one, any event and properties.
 */
export class Letter<Plan extends TrackingPlan = TrackingPlan> {
  /** Validated options; the API key lives only in `authorization`, which nothing prints. */
  readonly #options: ResolvedOptions;
  /** Serialized messages waiting to be sent, oldest first. */
  readonly #queue: SerializedMessage[] = [];
  /** Messages ever accepted; message number n (from 0) is queue[n - #takenCount] until taken. */
  #acceptedCount = 0;
  /** Messages ever taken from the queue into batches. */
  #takenCount = 0;
  /** Batches being sent or retried. */
  readonly #inFlight = new Set<Batch>();
  /** flush() calls still waiting. */
  #waiters: FlushWaiter[] = [];
  /** The highest target of any waiting flush(): until it is taken, partial batches go at once. */
  #flushTargetSeq = 0;
  /** Fires flushInterval after the first message of a quiet queue; only set while messages wait. */
  #intervalTimer: ReturnType<typeof setTimeout> | undefined;
  /** A pump is scheduled for a later turn: track() itself never starts I/O, and one turn prepares one body. */
  #pumpScheduled = false;
  /** Set when the interval timer fired: everything queued is due, now or as soon as a request slot frees. */
  #overdue = false;
  /** Messages dropped since the last report, because `maxQueueSize` were waiting. */
  #droppedCount = 0;
  /** The close() promise, so that a second call returns the same one. */
  #closing: Promise<void> | undefined;
  /** Aborted when close({ timeout }) runs out: in-flight requests and retry waits stop at once. */
  readonly #abandon = new AbortController();

  /** Creates a client; throws a LetterError (`code: 'config'`) naming any invalid option. */
  constructor(options: LetterOptions = {}) {
    this.#options = resolveOptions(options);
    warnIfInsecure(this.#options.endpoint);
  }

  /** Records who a user is. Validates and queues synchronously; throws a LetterError naming a bad field. */
  identify(call: PlanIdentifyCall<Plan>): void {
    this.#accept('identify', call, buildIdentify);
  }

  /** Records which account a user belongs to. Validates and queues synchronously; throws a LetterError naming a bad field. */
  group(call: PlanGroupCall<Plan>): void {
    this.#accept('group', call, buildGroup);
  }

  /** Records something a user did. Validates and queues synchronously; throws a LetterError naming a bad field. */
  track<Event extends EventName<Plan>>(call: PlanTrackCall<Plan, Event>): void {
    this.#accept('track', call, buildTrack);
  }

  /**
   * Sends everything queued now and resolves once all of it has settled: delivered, or given up
   * and handed to `onError`, retries and requests already in flight included. Never rejects for
   * delivery failures. While it is pending, the process stays alive.
   */
  async flush(): Promise<void> {
    this.#reportDrops();
    const targetSeq = this.#acceptedCount;
    if (this.#isSettled(targetSeq)) return;
    const release = holdProcessOpen();
    try {
      await new Promise<void>((resolve) => {
        this.#waiters.push({ targetSeq, resolve });
        this.#flushTargetSeq = Math.max(this.#flushTargetSeq, targetSeq);
        this.#pump();
      });
    } finally {
      release();
    }
  }

  /**
   * Flushes, stops the timer and refuses new messages (later calls are reported to `onError`).
   * With `timeout`, gives up after that many milliseconds: aborts what is in flight, hands every
   * undelivered message to `onError`, and resolves. Idempotent: every call returns the first
   * call's promise. Call it before the process exits.
   */
  close(options: CloseOptions = {}): Promise<void> {
    if (this.#closing) return this.#closing;
    const timeoutMs = options?.timeout; // ?. because plain-JS callers may pass null
    if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0 && !Number.isNaN(timeoutMs))) {
      throw new LetterError(`Expected \`timeout\` to be a number of milliseconds >= 0, got ${describe(timeoutMs)}`, { code: 'config' });
    }
    this.#closing = this.#shutdown(timeoutMs);
    return this.#closing;
  }

  /** Same as close(), for `await using letter = new Letter(...)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutdown(timeoutMs: number | undefined): Promise<void> {
    const flushed = this.flush();
    if (timeoutMs !== undefined && timeoutMs !== Number.POSITIVE_INFINITY) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<'deadline'>((resolve) => {
        timer = setTimeout(() => resolve('deadline'), timeoutMs);
      });
      const first = await Promise.race([flushed, deadline]);
      clearTimeout(timer);
      if (first === 'deadline') this.#abandonAll(timeoutMs);
    }
    await flushed;
    this.#reportDrops();
    releaseForExit(this);
  }

  /** close()'s deadline passed: everything not yet delivered goes to onError now. */
  #abandonAll(timeoutMs: number): void {
    this.#abandon.abort();
    const queued = this.#queue.splice(0);
    this.#takenCount += queued.length;
    this.#stopTimer();
    if (queued.length > 0) {
      this.#giveUp(
        { json: queued.join(','), count: queued.length, firstSeq: 0 },
        { code: 'timeout', message: `close() gave up after ${timeoutMs} ms before sending` },
        0,
      );
    }
    this.#settleWaiters();
  }

  #accept<Call extends object>(type: Message['type'], call: Call, build: (call: Call) => SerializedMessage): void {
    if (this.#closing) return this.#refuseAfterClose(type);
    const beforeSend = this.#options.beforeSend;
    const message = beforeSend ? buildThrough(beforeSend, type, call) : build(call);
    if (message !== undefined) this.#enqueue(message, type);
  }

  #enqueue(message: SerializedMessage, type: string): void {
    const queue = this.#queue;
    if (queue.length >= this.#options.maxQueueSize) {
      this.#droppedCount += 1;
      const log = debugLogger();
      if (log) log('dropped a %s message: queue full (maxQueueSize %d)', type, this.#options.maxQueueSize);
      return;
    }
    if (queue.length === 0 && this.#inFlight.size === 0) holdForExit(this, () => this.flush());
    queue.push(message);
    this.#acceptedCount += 1;
    if (queue.length >= this.#options.flushAt) {
      this.#schedulePump();
    } else if (this.#intervalTimer === undefined) {
      this.#intervalTimer = unrefTimeout(() => {
        this.#intervalTimer = undefined;
        this.#overdue = true;
        this.#pump();
      }, this.#options.flushIntervalMs);
    }
  }

  /**
   * Starts one send if one is due and a request slot is free, and schedules itself again for the
   * next: preparing a 500 KB body takes milliseconds, so a large backlog is sent one body per turn
   * of the event loop instead of blocking it for all of them at once.
   */
  #pump(): void {
    if (this.#canSend()) this.#startBatch();
    if (this.#canSend()) this.#schedulePump();
    if (this.#queue.length === 0) this.#stopTimer();
  }

  /** No timer runs while nothing is queued. */
  #stopTimer(): void {
    this.#overdue = false;
    if (this.#intervalTimer !== undefined) {
      clearTimeout(this.#intervalTimer);
      this.#intervalTimer = undefined;
    }
  }

  #canSend(): boolean {
    const queued = this.#queue.length;
    if (queued === 0 || this.#inFlight.size >= MAX_CONCURRENT_REQUESTS) return false;
    return this.#overdue || queued >= this.#options.flushAt || this.#takenCount < this.#flushTargetSeq;
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    unrefImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #startBatch(): void {
    const queue = this.#queue;
    const { json, count } = takeBody(queue);
    const batch: Batch = { json, count, firstSeq: this.#takenCount };
    this.#takenCount += count;
    this.#reportDrops();
    this.#inFlight.add(batch);
    this.#deliver(batch)
      .catch((error: unknown) => this.#report(new LetterError(`Internal error while delivering: ${String(error)}`, { code: 'network_error', cause: error })))
      .finally(() => {
        this.#inFlight.delete(batch);
        this.#settleWaiters();
        this.#schedulePump();
        if (this.#queue.length === 0 && this.#inFlight.size === 0) releaseForExit(this);
      });
  }

  /** Sends one batch, retrying per the contract, and hands it to onError if it is given up. */
  async #deliver(batch: Batch): Promise<void> {
    const options = this.#options;
    for (let attempt = 0; ; attempt += 1) {
      // sent_at is set afresh on every attempt, so the server can correct for clock skew.
      const body = encodeBody(batch.json, new Date().toISOString());
      const log = debugLogger();
      const startedAt = log ? performance.now() : 0;
      const outcome = await sendBody({
        endpoint: options.endpoint,
        authorization: options.authorization,
        body,
        timeoutMs: options.timeoutMs,
        fetch: options.fetch,
        signal: this.#abandon.signal,
      });
      if (log) logAttempt(log, options.endpoint, batch.count, body, attempt, outcome, startedAt);
      if (outcome.kind === 'delivered') return;
      if (outcome.kind !== 'retry' || attempt >= options.maxRetries || this.#abandon.signal.aborted) {
        this.#giveUp(batch, outcome.failure, attempt + 1);
        return;
      }
      const waitMs = outcome.retryAfterMs ?? backoffMs(attempt);
      if (log) log('retrying %d messages in %d ms (%s)', batch.count, waitMs, outcome.retryAfterMs === undefined ? 'backoff' : 'Retry-After');
      await sleep(waitMs, this.#abandon.signal);
      if (this.#abandon.signal.aborted) {
        this.#giveUp(batch, { ...outcome.failure, code: 'timeout', message: `close() gave up while waiting to retry; last failure: ${outcome.failure.message}` }, attempt + 1);
        return;
      }
    }
  }

  #giveUp(batch: Batch, failure: Failure, attempts: number): void {
    const { message, ...details } = failure;
    const messages = JSON.parse(`[${batch.json}]`) as WireMessage[];
    const summary = `${plural(batch.count, 'message')} not delivered` + (attempts > 0 ? ` after ${plural(attempts, 'attempt')}` : '');
    this.#report(new LetterError(`${message} (${summary})`, { ...details, messages }));
  }

  #isSettled(targetSeq: number): boolean {
    if (this.#takenCount < targetSeq) return false;
    for (const batch of this.#inFlight) if (batch.firstSeq < targetSeq) return false;
    return true;
  }

  #settleWaiters(): void {
    if (this.#waiters.length === 0) return;
    const stillWaiting: FlushWaiter[] = [];
    for (const waiter of this.#waiters) {
      if (this.#isSettled(waiter.targetSeq)) waiter.resolve();
      else stillWaiting.push(waiter);
    }
    this.#waiters = stillWaiting;
  }

  #reportDrops(): void {
    if (this.#droppedCount === 0) return;
    const dropped = this.#droppedCount;
    this.#droppedCount = 0;
    this.#report(new LetterError(
      `Queue full (maxQueueSize ${this.#options.maxQueueSize}): dropped ${plural(dropped, 'message')}`,
      { code: 'queue_full', dropped },
    ));
  }

  #refuseAfterClose(method: string): void {
    this.#report(new LetterError(`${method}() called after close(); the message was not sent`, { code: 'closed' }));
  }

  /** onError is user code: if it throws, the SDK must not crash the host or lose the report. */
  #report(error: LetterError): void {
    try {
      this.#options.onError(error);
    } catch (thrown) {
      console.warn(`letterapp: onError threw (${String(thrown)}) while reporting: ${error.message}`);
    }
  }
}

function logAttempt(
  log: Logger,
  endpoint: string,
  count: number,
  body: string,
  attempt: number,
  outcome: SendOutcome,
  startedAt: number,
): void {
  const result = outcome.kind === 'delivered' ? outcome.status : (outcome.failure.status ?? outcome.failure.code);
  const durationMs = Math.round(performance.now() - startedAt);
  log('POST %s: %d messages, %d bytes, attempt %d -> %s in %d ms', endpoint, count, utf8Bytes(body), attempt + 1, result, durationMs);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
