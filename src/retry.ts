/** Pure retry timing and status rules, shared by the transport and the delivery policy. */

/** The first retry's backoff window before doubling; each later retry doubles it. */
export const BACKOFF_BASE_MS = 250;
/** No backoff window grows past this, however long the failures last. */
export const MAX_BACKOFF_MS = 30_000;
/** A server's Retry-After is honoured up to this, so `Retry-After: 86400` cannot hold a process for a day. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The backoff window before retry number `attempt + 1` (attempt 0 is the first retry):
 * `250 ms × 2^attempt`, capped at {@link MAX_BACKOFF_MS}.
 */
export function backoffWindowMs(attempt: number): number {
  // 2 ** attempt overflows to Infinity for huge attempts, which Math.min turns into the cap.
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempt), MAX_BACKOFF_MS);
}

/**
 * How long to wait before retry number `attempt + 1`: "full jitter", a uniform draw from
 * `[0, backoffWindowMs(attempt)]`. Unlike a small jitter added to a fixed wait, it spreads the
 * retries of many clients that failed together over the whole window, at the cap too, so a fleet
 * does not come back in step (AWS, "Exponential Backoff and Jitter").
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.round(random() * backoffWindowMs(attempt));
}

/**
 * Milliseconds to wait from a `Retry-After` header: delta-seconds or an HTTP date, capped at
 * {@link MAX_RETRY_AFTER_MS}. Returns undefined when absent or unparseable, so the caller falls back
 * to its backoff: malformed server timing loses the server's hint but never disables retries.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Math.min(Math.round(Number(trimmed) * 1000), MAX_RETRY_AFTER_MS);
  }
  // HTTP dates always name a weekday and a GMT zone; this keeps Date.parse's laxness ("5", "soon") out.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return undefined;
  const atMs = Date.parse(trimmed);
  if (Number.isNaN(atMs)) return undefined;
  return Math.min(Math.max(atMs - nowMs, 0), MAX_RETRY_AFTER_MS);
}

/** What to do with a response status, per the contract's status table. */
export type StatusAction = 'success' | 'retry' | 'rate_limited' | 'split' | 'fail';

/**
 * 2xx succeeds; 429 waits Retry-After; 5xx backs off (a 503 with Retry-After waits it out, see
 * {@link honoursRetryAfter}); 413 splits the batch; everything else (3xx, other 4xx) fails at once.
 */
export function classifyStatus(status: number): StatusAction {
  if (status >= 200 && status < 300) return 'success';
  if (status === 429) return 'rate_limited';
  if (status === 413) return 'split';
  if (status >= 500 && status < 600) return 'retry';
  return 'fail';
}

/** The contract: 429 carries Retry-After, and a 503 that carries it (maintenance) is waited out the same way. */
export function honoursRetryAfter(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * Whether a failure leaves it unknown if the server stored the batch: a timeout, a connection
 * cut after the request went out, or a gateway's 502/504 (the upstream may have answered). A
 * resend is safe either way, because the API deduplicates on `message_id`.
 */
export function isAmbiguousStatus(status: number): boolean {
  return status === 502 || status === 504;
}
