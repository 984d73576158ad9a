import { bodyBytes, bodyParts, MAX_BODY_BYTES, sliceMessages, utf8Bytes, type EncodedMessages } from './batch.js';
import { debugLogger } from './debug.js';
import { describeThrown } from './describe.js';
import { abandonedFailure, givenUpError, outageError, queueFullError } from './delivery-errors.js';
import { publish } from './diagnostics.js';
import { DeliveryPolicy, type HealthState, type RequestTicket } from './delivery-policy.js';
import type { LetterError } from './errors.js';
import { holdForExit, releaseForExit } from './exit-hook.js';
import type { ResolvedOptions } from './options.js';
import { MessageQueue } from './queue.js';
import { backoffMs } from './retry.js';
import { nextTurn, unrefTimeout } from './schedule.js';
import { sendBody, type Failure, type SendOutcome } from './transport.js';

/** Requests in flight at most, while the API is healthy. */
export const MAX_CONCURRENT_REQUESTS = 4;
/** onError hears of an outage at most this often. */
const OUTAGE_REPORT_INTERVAL_MS = 60_000;

/** Messages taken from the queue and sent together, until they are delivered or given up. */
interface Batch {
  /** The messages' wire JSON, encoded. */
  readonly messages: EncodedMessages;
  /** Sequence number of the first message, to tell which flush() calls this batch holds up. */
  readonly firstSeq: number;
  /** Covered by a pending flush() or close(): retried on the maxRetries schedule, then given up. */
  awaited: boolean;
  /** Failed attempts since it became awaited. */
  awaitedFailures: number;
  /** Failures counted against it while the API was otherwise healthy (a poison batch). */
  strikes: number;
  /** Attempts made in all, for the report. */
  attempts: number;
  /** An awaited retry does not start before this, in epoch ms. */
  notBeforeMs: number;
  /** Whether any failed attempt may have been stored by the server after all. */
  ambiguous: boolean;
  /** Why the last attempt failed, for a report if the batch is given up while waiting. */
  lastFailure: Failure | undefined;
}

/** A pending flush(): it resolves once every message accepted before `targetSeq` has settled. */
interface FlushWaiter {
  readonly targetSeq: number;
  readonly resolve: () => void;
}

/** Counters and state for `letter.stats()`. */
export interface DeliveryStats {
  /** Messages waiting to be sent: queued, or held for a retry. */
  queued: number;
  /** UTF-8 bytes of the messages the client holds (queued, held, or in flight): what the budget bounds. */
  queuedBytes: number;
  /** Messages in requests now in flight. */
  inFlight: number;
  /** Messages the API acknowledged. */
  delivered: number;
  /** Requests that failed and were (or will be) tried again. */
  retried: number;
  /** Messages dropped because the memory budget was full. */
  dropped: number;
  /** Messages given up and handed to `onError` in `LetterError.messages`. */
  givenUp: number;
  /** `ok`, or `backing_off` while the API fails and messages are held. */
  state: HealthState;
}

export interface DeliveryHooks {
  /** Hands a report to onError, later, when the client's state is consistent. */
  readonly report: (error: LetterError) => void;
  /** The clock, in epoch ms. */
  readonly now: () => number;
  /** Uniform in [0, 1): jitter. */
  readonly random: () => number;
  /** The client's own flush(), which keeps the process alive while it runs: called at natural exit. */
  readonly flushAtExit: () => Promise<void>;
}

/**
 * The queue and everything that moves messages out of it: batching, scheduling, retries, the
 * memory budget, and flush() bookkeeping. Health decisions (how many requests, when the next,
 * pauses) belong to the {@link DeliveryPolicy}; this class carries them out.
 */
export class Delivery {
  readonly #options: ResolvedOptions;
  readonly #hooks: DeliveryHooks;
  readonly #policy: DeliveryPolicy;
  readonly #queue = new MessageQueue();
  /** UTF-8 bytes of every batch taken from the queue and not yet settled (in flight or held). */
  #batchBytes = 0;
  /** Messages in batches in flight or held. */
  #batchMessages = 0;
  /** Batches being sent. */
  readonly #inFlight = new Set<Batch>();
  /** Batches waiting for a retry, oldest failure first. */
  #held: Batch[] = [];
  /** Messages ever accepted; message number n (from 0) is in the queue until taken. */
  #acceptedCount = 0;
  /** Messages ever taken from the queue into batches. */
  #takenCount = 0;
  /** flush() calls still waiting. */
  #waiters: FlushWaiter[] = [];
  /** drain() calls waiting for the low-water mark. */
  #drainWaiters: (() => void)[] = [];
  /** Fires flushInterval after the first message of a quiet queue; only set while messages wait. */
  #intervalTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set when the interval timer fired: everything queued is due. */
  #overdue = false;
  /** Wakes the pump for a retry or probe that is not due yet. */
  #wakeTimer: ReturnType<typeof setTimeout> | undefined;
  #wakeAtMs = Number.POSITIVE_INFINITY;
  /** A pump is scheduled for the next turn: one turn prepares one body. */
  #pumpScheduled = false;
  /** Set by close(): everything queued is due, and nothing waits on health. */
  #closing = false;
  /** Set when close({ timeout }) runs out: nothing new starts. */
  #abandoned = false;
  /**
   * Aborts the requests in flight, for close()'s deadline. One controller per request rather than
   * one per client: workerd refuses an AbortController made during one request to be used by
   * another request's I/O.
   */
  readonly #inFlightAborts = new Set<() => void>();
  /** Messages dropped since the last queue_full report. */
  #droppedSinceReport = 0;
  /** Told onError about the current outage already. */
  #outageReported = false;
  /** When onError last heard of an outage, in epoch ms. */
  #lastOutageReportMs = Number.NEGATIVE_INFINITY;
  /** The last failed request was a retry of a held batch (not fresh messages). */
  #lastFailureWasRetry = false;
  readonly #counters = { delivered: 0, retried: 0, dropped: 0, givenUp: 0 };
  /** Backpressure: calls return false at or above this many bytes held, drain() waits for half. */
  readonly #highWaterBytes: number;

  constructor(options: ResolvedOptions, hooks: DeliveryHooks) {
    this.#options = options;
    this.#hooks = hooks;
    this.#policy = new DeliveryPolicy({ maxConcurrency: MAX_CONCURRENT_REQUESTS, now: hooks.now, random: hooks.random });
    this.#highWaterBytes = Math.floor(options.maxQueueBytes / 8);
  }

  /**
   * Bytes held in all: queued, in flight and waiting for a retry. Queued messages not yet measured
   * count their UTF-16 length, so this may be short of the truth, never over it (see MessageQueue).
   */
  get #heldBytes(): number {
    return this.#queue.bytes + this.#batchBytes;
  }

  /** The most the bytes held can be, measured. */
  get #heldBytesAtMost(): number {
    return this.#queue.bytesAtMost + this.#batchBytes;
  }

  /**
   * Queues one serialized message. Returns false when the caller should wait for {@link drain} (at
   * or above the high-water mark, or dropped because the budget is full).
   */
  enqueue(message: string, type: string): boolean {
    const queue = this.#queue;
    // Far under the high-water mark, no message could change an answer, so it is queued unmeasured
    // (measuring is a sixth of track()'s time). Nearer, the count is made exact first, so the
    // budget and the high-water mark go by bytes, exactly, as documented.
    let sizeBytes: number | undefined;
    if (this.#heldBytesAtMost + 3 * message.length >= this.#highWaterBytes) {
      sizeBytes = utf8Bytes(message);
      queue.measure();
      if (this.#heldBytes + sizeBytes > this.#options.maxQueueBytes) return this.#drop(type, sizeBytes);
    }
    if (this.#isIdle()) holdForExit(this, this.#hooks.flushAtExit);
    queue.push(message, sizeBytes);
    this.#acceptedCount += 1;
    if (this.#isDue()) {
      this.#schedulePump();
    } else if (this.#intervalTimer === undefined) {
      this.#intervalTimer = unrefTimeout(() => {
        this.#intervalTimer = undefined;
        this.#overdue = true;
        this.#pump();
      }, this.#options.flushIntervalMs);
    }
    return sizeBytes === undefined || this.#heldBytes < this.#highWaterBytes;
  }

  #drop(type: string, sizeBytes: number): false {
    this.#droppedSinceReport += 1;
    this.#counters.dropped += 1;
    publish('drop', () => ({ type, bytes: sizeBytes, queuedBytes: this.#heldBytes, maxQueueBytes: this.#options.maxQueueBytes }));
    const log = debugLogger();
    if (log) log('dropped a %s message: queue full (maxQueueBytes %d)', type, this.#options.maxQueueBytes);
    return false;
  }

  /** Resolves once the bytes held fall to half the high-water mark, or the client closes. */
  drain(): Promise<void> {
    if (this.#belowLowWater()) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Resolves once every message accepted so far has been delivered or given up. */
  flush(): Promise<void> {
    this.reportDrops();
    const targetSeq = this.#acceptedCount;
    if (this.#isSettled(targetSeq)) return Promise.resolve();
    // What a flush covers is retried on the maxRetries schedule from now on, outage or not.
    for (const batch of this.#batches()) {
      if (batch.firstSeq < targetSeq && !batch.awaited) {
        batch.awaited = true;
        batch.notBeforeMs = 0;
      }
    }
    return new Promise<void>((resolve) => {
      this.#waiters.push({ targetSeq, resolve });
      this.#pump();
    });
  }

  /** close() started: everything queued is due, and no new message will come. */
  close(): void {
    this.#closing = true;
    this.#resolveDrainWaiters();
  }

  /** close()'s deadline passed: everything not yet delivered is given up now. */
  abandon(timeoutMs: number): void {
    this.#abandoned = true;
    for (const abort of this.#inFlightAborts) abort();
    this.#stopTimers();
    const queued = this.#queue.takeAll();
    this.#takenCount += queued.sizes.length;
    const held = this.#held;
    this.#held = [];
    for (const batch of held) this.#forget(batch);
    if (queued.sizes.length > 0) this.#reportGivenUp(queued, abandonedFailure(timeoutMs, undefined), 0, false);
    for (const batch of held) this.#reportGivenUp(batch.messages, abandonedFailure(timeoutMs, batch.lastFailure), batch.attempts, batch.ambiguous);
    // Requests in flight end as `aborted` and are reported as they settle.
    this.#afterChange();
  }

  stats(): DeliveryStats {
    this.#queue.measure();
    let inFlight = 0;
    for (const batch of this.#inFlight) inFlight += batch.messages.sizes.length;
    return {
      queued: this.#queue.length + this.#batchMessages - inFlight,
      queuedBytes: this.#heldBytes,
      inFlight,
      ...this.#counters,
      state: this.#policy.state,
    };
  }

  #isIdle(): boolean {
    return this.#queue.length === 0 && this.#batchMessages === 0;
  }

  #batches(): Iterable<Batch> {
    return [...this.#inFlight, ...this.#held];
  }

  /** The highest target of any pending flush(); messages before it go at once. */
  #flushTargetSeq(): number {
    let target = 0;
    for (const waiter of this.#waiters) target = Math.max(target, waiter.targetSeq);
    return target;
  }

  /** Whether a new batch should be taken from the queue now. */
  #isDue(): boolean {
    const queue = this.#queue;
    if (queue.length === 0) return false;
    return (
      this.#overdue ||
      this.#closing ||
      queue.length >= this.#options.flushAt ||
      queue.bytes >= MAX_BODY_BYTES ||
      this.#takenCount < this.#flushTargetSeq()
    );
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    nextTurn(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  /**
   * Starts at most one request (preparing a 500 KB body takes milliseconds, so a backlog goes one
   * body per turn of the event loop), then schedules itself for the next turn, or a timer for
   * the next retry or probe that is not due yet.
   */
  #pump(): void {
    if (this.#abandoned) return;
    const nowMs = this.#hooks.now();
    const batch = this.#nextBatch(nowMs);
    if (batch) {
      this.#start(batch);
      this.#schedulePump();
    } else {
      this.#armWakeTimer(nowMs);
    }
    if (this.#queue.length === 0 && this.#intervalTimer !== undefined) {
      clearTimeout(this.#intervalTimer);
      this.#intervalTimer = undefined;
    }
    if (this.#queue.length === 0) this.#overdue = false;
  }

  /** The batch to send now, if any: awaited retries first, then background work as health allows. */
  #nextBatch(nowMs: number): Batch | undefined {
    if (this.#inFlight.size >= MAX_CONCURRENT_REQUESTS) return undefined;
    const policy = this.#policy;
    const paused = nowMs < policy.pausedUntilMs();
    if (!paused) {
      // A flush() or close() is waiting: its batches keep their own retry schedule, outage or not.
      const index = this.#held.findIndex((batch) => batch.awaited && batch.notBeforeMs <= nowMs);
      if (index >= 0) return this.#held.splice(index, 1)[0];
      if (this.#takenCount < this.#flushTargetSeq() && this.#queue.length > 0) return this.#take(true);
    }
    if (this.#inFlight.size >= policy.concurrency() || nowMs < policy.nextSendAtMs()) return undefined;
    // Probes alternate: after a held batch failed again, the next probe carries fresh messages, so
    // one poison batch at the head cannot keep the client convinced the API is down.
    const preferFresh = policy.state === 'backing_off' && this.#lastFailureWasRetry && this.#queue.length > 0;
    const index = this.#held.findIndex((batch) => !batch.awaited);
    if (index >= 0 && !preferFresh) return this.#held.splice(index, 1)[0];
    if (this.#isDue() || preferFresh) return this.#take(this.#closing);
    if (index >= 0) return this.#held.splice(index, 1)[0];
    return undefined;
  }

  #take(awaited: boolean): Batch {
    const messages = this.#queue.take();
    const batch: Batch = {
      messages,
      firstSeq: this.#takenCount,
      awaited,
      awaitedFailures: 0,
      strikes: 0,
      attempts: 0,
      notBeforeMs: 0,
      ambiguous: false,
      lastFailure: undefined,
    };
    this.#takenCount += messages.sizes.length;
    this.#batchBytes += messages.bytes;
    this.#batchMessages += messages.sizes.length;
    return batch;
  }

  #armWakeTimer(nowMs: number): void {
    const wakeAtMs = this.#nextWakeMs();
    if (wakeAtMs === Number.POSITIVE_INFINITY || wakeAtMs >= this.#wakeAtMs) return;
    if (this.#wakeTimer !== undefined) clearTimeout(this.#wakeTimer);
    this.#wakeAtMs = wakeAtMs;
    // Unref'd: background retries never keep a process alive; an awaited flush() holds it instead.
    this.#wakeTimer = unrefTimeout(() => {
      this.#wakeTimer = undefined;
      this.#wakeAtMs = Number.POSITIVE_INFINITY;
      this.#pump();
    }, Math.max(0, wakeAtMs - nowMs));
  }

  /** When waiting work may next start: an awaited retry, or the next probe if background work waits. */
  #nextWakeMs(): number {
    const policy = this.#policy;
    let wakeMs = Number.POSITIVE_INFINITY;
    // Every slot is taken: the next request to settle pumps again, and a timer would only spin.
    if (this.#inFlight.size >= MAX_CONCURRENT_REQUESTS) return wakeMs;
    for (const batch of this.#held) {
      if (batch.awaited) wakeMs = Math.min(wakeMs, Math.max(batch.notBeforeMs, policy.pausedUntilMs()));
    }
    const backgroundWaiting = this.#held.some((batch) => !batch.awaited) || this.#isDue();
    if (backgroundWaiting && this.#inFlight.size < policy.concurrency()) wakeMs = Math.min(wakeMs, policy.nextSendAtMs());
    return wakeMs;
  }

  #start(batch: Batch): void {
    this.#inFlight.add(batch);
    batch.attempts += 1;
    const ticket = this.#policy.start();
    this.#send(batch)
      .then((outcome) => this.#settle(batch, ticket, outcome))
      .catch((error: unknown) => {
        // Not expected: #send never throws. If it did, the batch must still be reported, not lost.
        this.#inFlight.delete(batch);
        this.#giveUp(batch, { code: 'network_error', message: `Internal error while delivering: ${describeThrown(error)}`, cause: error });
        this.#afterChange();
      });
  }

  async #send(batch: Batch): Promise<SendOutcome> {
    const options = this.#options;
    // sent_at is set afresh on every attempt, so the server can correct for clock skew. The body is
    // built again for each attempt rather than kept, so a held batch costs no second copy.
    const body = bodyParts(batch.messages, new Date(this.#hooks.now()).toISOString());
    const log = debugLogger();
    const sizeBytes = bodyBytes(batch.messages.sizes.length, batch.messages.bytes);
    const startedAt = performance.now();
    const request = { endpoint: options.endpoint, messages: batch.messages.sizes.length, bytes: sizeBytes, attempt: batch.attempts };
    publish('requestStart', () => ({ ...request }));
    const abandon = new AbortController();
    const abort = (): void => abandon.abort();
    this.#inFlightAborts.add(abort);
    let outcome: SendOutcome;
    try {
      outcome = await sendBody({
        endpoint: options.endpoint,
        authorization: options.authorization,
        body,
        timeoutMs: options.timeoutMs,
        fetch: options.fetch,
        signal: abandon.signal,
      });
    } finally {
      this.#inFlightAborts.delete(abort);
    }
    const durationMs = performance.now() - startedAt;
    publish('requestEnd', () => ({
      ...request,
      outcome: outcome.kind,
      durationMs,
      ...(outcome.kind === 'delivered' ? { status: outcome.status } : { code: outcome.failure.code, ...(outcome.failure.status !== undefined && { status: outcome.failure.status }) }),
    }));
    if (log) {
      const result = outcome.kind === 'delivered' ? outcome.status : (outcome.failure.status ?? outcome.failure.code);
      log('POST %s: %d messages, %d bytes, attempt %d -> %s in %d ms', options.endpoint, batch.messages.sizes.length, sizeBytes, batch.attempts, result, Math.round(durationMs));
    }
    return outcome;
  }

  #settle(batch: Batch, ticket: RequestTicket, outcome: SendOutcome): void {
    this.#inFlight.delete(batch);
    const policy = this.#policy;
    switch (outcome.kind) {
      case 'delivered': {
        this.#counters.delivered += batch.messages.sizes.length;
        this.#queue.acknowledge(batch.messages);
        this.#forget(batch);
        if (policy.succeeded().recovered) this.#recovered();
        break;
      }
      case 'split': {
        // The API answered, so it is up; a proxy in front of it may have a lower body limit.
        if (policy.succeeded().recovered) this.#recovered();
        this.#split(batch, outcome.failure);
        break;
      }
      case 'fail': {
        if (policy.succeeded().recovered) this.#recovered();
        this.#giveUp(batch, outcome.failure);
        break;
      }
      case 'aborted': {
        this.#giveUp(batch, outcome.failure);
        break;
      }
      case 'retry': {
        this.#counters.retried += 1;
        this.#lastFailureWasRetry = batch.attempts > 1;
        if (outcome.ambiguous) batch.ambiguous = true;
        const verdict = policy.failed(ticket, outcome.retryAfterMs);
        this.#retryOrGiveUp(batch, outcome.failure, outcome.retryAfterMs, verdict.countsAgainstBatch);
        break;
      }
    }
    this.#afterChange();
  }

  #retryOrGiveUp(batch: Batch, failure: Failure, retryAfterMs: number | undefined, countsAgainstBatch: boolean): void {
    const maxRetries = this.#options.maxRetries;
    batch.lastFailure = failure;
    if (this.#abandoned) return this.#giveUp(batch, failure);
    if (batch.awaited) {
      batch.awaitedFailures += 1;
      if (batch.awaitedFailures > maxRetries) return this.#giveUp(batch, failure);
      const nowMs = this.#hooks.now();
      batch.notBeforeMs = nowMs + (retryAfterMs ?? backoffMs(batch.awaitedFailures - 1, this.#hooks.random));
      this.#publishRetry(batch, failure, batch.notBeforeMs - nowMs);
      const log = debugLogger();
      if (log) log('retrying %d messages in %d ms (%s)', batch.messages.sizes.length, batch.notBeforeMs - nowMs, retryAfterMs === undefined ? 'backoff' : 'Retry-After');
    } else {
      if (countsAgainstBatch) batch.strikes += 1;
      // A batch that fails while other requests succeed is the problem, not the API: give it up.
      if (batch.strikes > maxRetries) return this.#giveUp(batch, failure);
      this.#reportOutage(failure);
      this.#publishRetry(batch, failure, Math.max(0, this.#policy.nextSendAtMs() - this.#hooks.now()));
    }
    this.#held.push(batch);
  }

  #publishRetry(batch: Batch, failure: Failure, waitMs: number): void {
    publish('retry', () => ({
      endpoint: this.#options.endpoint,
      messages: batch.messages.sizes.length,
      attempt: batch.attempts,
      waitMs,
      awaited: batch.awaited,
      code: failure.code,
      ...(failure.status !== undefined && { status: failure.status }),
      state: this.#policy.state,
    }));
  }

  /** A 413: send the halves; a single message still refused is given up with the body's size. */
  #split(batch: Batch, failure: Failure): void {
    const count = batch.messages.sizes.length;
    const sizeBytes = bodyBytes(count, batch.messages.bytes);
    if (count === 1) {
      return this.#giveUp(batch, { ...failure, message: `${failure.message} (a body of ${sizeBytes} bytes with one message was refused as too large; a proxy in front of the API may have a lower limit)` });
    }
    const log = debugLogger();
    if (log) log('413 for a body of %d bytes: resending its %d messages in two halves', sizeBytes, count);
    const middle = Math.ceil(count / 2);
    const halves = [sliceMessages(batch.messages, 0, middle), sliceMessages(batch.messages, middle, count)].map(
      (messages, index): Batch => ({ ...batch, messages, firstSeq: batch.firstSeq + (index === 0 ? 0 : middle), notBeforeMs: 0 }),
    );
    // The halves replace the batch at the front, so they go next; their bytes add up to the batch's.
    this.#held.unshift(...halves);
  }

  #recovered(): void {
    this.#outageReported = false;
    const log = debugLogger();
    if (log) log('API answering again: draining %d held messages, ramping back up to %d requests at once', this.stats().queued, MAX_CONCURRENT_REQUESTS);
  }

  /**
   * Tells onError once per outage that messages are held, not per retry, and at most once a
   * minute: an API answering 429 to part of the traffic flips the client between healthy and
   * backing off many times a minute, and each flip is not news to the operator.
   */
  #reportOutage(failure: Failure): void {
    if (this.#outageReported) return;
    this.#outageReported = true;
    const nowMs = this.#hooks.now();
    if (nowMs - this.#lastOutageReportMs < OUTAGE_REPORT_INTERVAL_MS) return;
    this.#lastOutageReportMs = nowMs;
    this.#hooks.report(outageError(failure, this.stats().queued));
  }

  #giveUp(batch: Batch, failure: Failure): void {
    this.#forget(batch);
    this.#reportGivenUp(batch.messages, failure, batch.attempts, batch.ambiguous);
  }

  /** Takes a settled batch out of the byte and message accounts. */
  #forget(batch: Batch): void {
    this.#batchBytes -= batch.messages.bytes;
    this.#batchMessages -= batch.messages.sizes.length;
  }

  #reportGivenUp(messages: EncodedMessages, failure: Failure, attempts: number, ambiguous: boolean): void {
    this.#counters.givenUp += messages.sizes.length;
    publish('giveUp', () => ({
      endpoint: this.#options.endpoint,
      messages: messages.sizes.length,
      attempts,
      code: failure.code,
      ...(failure.status !== undefined && { status: failure.status }),
      ambiguous,
    }));
    this.#hooks.report(givenUpError(messages, failure, attempts, ambiguous));
  }

  /** Reports messages dropped since the last report, if any. */
  reportDrops(): void {
    if (this.#droppedSinceReport === 0) return;
    const dropped = this.#droppedSinceReport;
    this.#droppedSinceReport = 0;
    this.#hooks.report(queueFullError(dropped, this.#options.maxQueueBytes));
  }

  /** After a batch settled: resolve what waits on it, report drops, and keep the pump going. */
  #afterChange(): void {
    this.reportDrops();
    this.#settleWaiters();
    if (this.#belowLowWater()) this.#resolveDrainWaiters();
    if (this.#isIdle()) {
      releaseForExit(this);
      if (this.#inFlight.size === 0) this.#stopTimers();
    } else {
      this.#schedulePump();
    }
  }

  #stopTimers(): void {
    if (this.#intervalTimer !== undefined) clearTimeout(this.#intervalTimer);
    if (this.#wakeTimer !== undefined) clearTimeout(this.#wakeTimer);
    this.#intervalTimer = undefined;
    this.#wakeTimer = undefined;
    this.#wakeAtMs = Number.POSITIVE_INFINITY;
    this.#overdue = false;
  }

  #belowLowWater(): boolean {
    if (this.#closing) return true;
    const lowWaterBytes = this.#highWaterBytes / 2;
    if (this.#heldBytesAtMost <= lowWaterBytes) return true;
    this.#queue.measure();
    return this.#heldBytes <= lowWaterBytes;
  }

  #resolveDrainWaiters(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #isSettled(targetSeq: number): boolean {
    if (this.#takenCount < targetSeq) return false;
    for (const batch of this.#batches()) if (batch.firstSeq < targetSeq) return false;
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
}
