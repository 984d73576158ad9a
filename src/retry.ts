/** Pure retry timing and status rules, shared by the transport and the flusher. */

/** The first retry waits this long before jitter; each later retry doubles it. */
export const BACKOFF_BASE_MS = 250;
/** No computed backoff waits longer than this, however large `maxRetries` is. */
export const MAX_BACKOFF_MS = 30_000;
/** A server's Retry-After is honoured up to this, so `Retry-After: 86400` cannot hold a process for a day. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * How long to wait before retry number `attempt + 1` (attempt 0 is the first retry):
 * `250 ms × 2^attempt` plus up to 25% random jitter, capped at {@link MAX_BACKOFF_MS}.
 * The jitter spreads the retries of many processes that failed together.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const baseMs = Math.min(BACKOFF_BASE_MS * 2 ** attempt, MAX_BACKOFF_MS);
  return Math.min(Math.round(baseMs * (1 + random() * 0.25)), MAX_BACKOFF_MS);
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
export type StatusAction = 'success' | 'retry' | 'rate_limited' | 'fail';

/** 2xx succeeds; 429 waits Retry-After; 5xx backs off; everything else (3xx, other 4xx) fails at once. */
export function classifyStatus(status: number): StatusAction {
  if (status >= 200 && status < 300) return 'success';
  if (status === 429) return 'rate_limited';
  if (status >= 500 && status < 600) return 'retry';
  return 'fail';
}
