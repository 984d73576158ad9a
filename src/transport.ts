import type { LetterErrorDetails } from './errors.js';
import type { FetchLike } from './options.js';
import { classifyStatus, honoursRetryAfter, isAmbiguousStatus, parseRetryAfter } from './retry.js';
import { byteLength, concatBytes } from './batch.js';
import { isNodeFetch, refuseStreams, streamBody } from './stream-body.js';
import { readBoundedBody } from './response-body.js';
import { VERSION } from './version.js';

/** One POST of one body. */
export interface SendRequest {
  readonly endpoint: string;
  readonly authorization: string;
  /** The JSON body as UTF-8, in parts to send in order; a custom `fetch` receives them as one array. */
  readonly body: readonly Uint8Array[];
  /** The request's deadline; Infinity for none. */
  readonly timeoutMs: number;
  readonly fetch: FetchLike;
  /** Aborts the request from outside (close with a deadline); the outcome is then `aborted`. */
  readonly signal?: AbortSignal;
}

/** Why a request did not deliver, ready to become a LetterError. */
export interface Failure extends LetterErrorDetails {
  message: string;
}

/**
 * What a request came to. `retry` carries the server's Retry-After when it gave a usable one, and
 * whether the server may have stored the batch anyway (`ambiguous`); `split` is a 413.
 */
export type SendOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'retry'; readonly failure: Failure; readonly retryAfterMs?: number; readonly ambiguous: boolean }
  | { readonly kind: 'split'; readonly failure: Failure }
  | { readonly kind: 'fail'; readonly failure: Failure }
  | { readonly kind: 'aborted'; readonly failure: Failure };

const USER_AGENT = `letterapp-node/${VERSION}`;

/** Why the SDK's own clock ended a request, whatever the transport did with its signal. */
class Deadline extends Error {
  constructor(readonly reason: 'timeout' | 'abandoned') {
    super(reason);
  }
}

/**
 * Sends one body and classifies the result. Never throws: every failure becomes an outcome.
 *
 * The deadline and close()'s abandon hold by the SDK's own timer, not only through `signal`: a
 * fetch wrapper that drops `init.signal` must not be able to hang a request, a flush or close().
 * Such a request is raced and left behind; its late answer is ignored.
 */
export async function sendBody(request: SendRequest): Promise<SendOutcome> {
  const controller = new AbortController();
  let rejectDeadline: (reason: Deadline) => void = () => {};
  const deadline = new Promise<never>((_resolve, reject) => {
    rejectDeadline = reject;
  });
  const expire = (reason: Deadline['reason']): void => {
    rejectDeadline(new Deadline(reason));
    controller.abort();
  };
  const timer = Number.isFinite(request.timeoutMs) ? setTimeout(() => expire('timeout'), request.timeoutMs) : undefined;
  const onOuterAbort = (): void => expire('abandoned');
  request.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const target = `POST ${request.endpoint}`;
  try {
    if (request.signal?.aborted) throw new Deadline('abandoned');
    const exchange = exchangeOnce(request, controller.signal, target);
    // A request left behind may still settle later; its rejection must not become unhandled.
    exchange.catch(() => {});
    return await Promise.race([exchange, deadline]);
  } catch (error) {
    if (error instanceof Deadline ? error.reason === 'abandoned' : request.signal?.aborted) {
      return { kind: 'aborted', failure: { code: 'timeout', message: `Request abandoned at close deadline: ${target}`, cause: error } };
    }
    if (error instanceof Deadline || controller.signal.aborted) {
      return { kind: 'retry', ambiguous: true, failure: { code: 'timeout', message: `Request timed out after ${request.timeoutMs} ms: ${target}`, cause: error } };
    }
    return classifyThrown(error, target);
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** The request and the reading of its response: the deadline covers both, so a body that never ends still times out. */
async function exchangeOnce(request: SendRequest, signal: AbortSignal, target: string): Promise<SendOutcome> {
  // Called unbound: workerd throws "Illegal invocation" when fetch runs with another `this`.
  const fetchImpl = request.fetch;
  const streamed = isNodeFetch(fetchImpl);
  const parts = request.body;
  const init: RequestInit & { duplex?: 'half' } = {
    method: 'POST',
    headers: {
      authorization: request.authorization,
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      // A streamed body would otherwise go chunked; with its length it is the same request.
      ...(streamed && { 'content-length': String(byteLength(parts)) }),
    },
    body: streamed ? streamBody(parts) : concatBytes(parts),
    // A redirect could carry the API key to another host; the API never redirects, so it is an error.
    redirect: 'manual',
    signal,
    // Node's fetch refuses a stream body without it.
    ...(streamed && { duplex: 'half' as const }),
  };
  let response: Response;
  try {
    response = await fetchImpl(request.endpoint, init);
  } catch (error) {
    // Refused before sending, so nothing went out: most likely a wrapper that dropped `duplex`.
    // Bytes are what letterapp 0.1 sent and any fetch takes; a refusal for another reason (a bad
    // port) comes back the same way from the bytes attempt, and is reported as before.
    if (!streamed || !isRefusedLocally(error)) throw error;
    refuseStreams();
    return exchangeOnce(request, signal, target);
  }
  // The status is the answer; the body only adds the API's message to a failure. A body cut off
  // after the status came (a reset, a malformed chunk: `TypeError: terminated`) leaves the
  // answer as it is: a 2xx stored the batch, a 429 still carries its Retry-After. Thrown on, it
  // would be taken for a network error, and a 2xx resent.
  const body = await readBoundedBody(response).catch(() => undefined);
  return classifyResponse(response, body, target);
}

function classifyResponse(response: Response, body: unknown, target: string): SendOutcome {
  // Deno and browsers report a manual redirect as an opaque response with status 0.
  const status = response.type === 'opaqueredirect' ? 302 : response.status;
  const action = classifyStatus(status);
  if (action === 'success') return { kind: 'delivered', status };
  const requestId = response.headers?.get('request-id') ?? undefined;
  const apiMessage = apiErrorMessage(body);
  const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
  const failure: Failure = {
    code: 'http_error',
    status,
    message: `Request failed with status code ${status}${redirect}: ${target}${apiMessage ? `: ${apiMessage}` : ''}`,
    ...(body !== undefined && { body }),
    ...(requestId !== undefined && { requestId }),
  };
  if (action === 'fail') return { kind: 'fail', failure };
  if (action === 'split') return { kind: 'split', failure };
  const retryAfterMs = honoursRetryAfter(status) ? parseRetryAfter(response.headers?.get('retry-after'), Date.now()) : undefined;
  const ambiguous = isAmbiguousStatus(status);
  return retryAfterMs === undefined ? { kind: 'retry', failure, ambiguous } : { kind: 'retry', failure, retryAfterMs, ambiguous };
}

/** Connection-level error codes after which the request certainly never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ConnectionRefused']);

/**
 * A thrown error is transient (a refused, reset or failed connection) unless the runtime refused
 * to make the request at all: a port fetch forbids, a header it cannot send. Those fail the same
 * way every time, so retrying them only delays the report.
 */
function classifyThrown(error: unknown, target: string): SendOutcome {
  const reason = networkReason(error);
  if (isRefusedLocally(error)) {
    return { kind: 'fail', failure: { code: 'network_error', message: `Request refused by the runtime before sending, not retried (${reason}): ${target}`, cause: error } };
  }
  const code = errorCode(error);
  const ambiguous = code === undefined || !NOT_SENT_CODES.has(code);
  return { kind: 'retry', ambiguous, failure: { code: 'network_error', message: `Request failed (${reason}): ${target}`, cause: error } };
}

function isRefusedLocally(error: unknown): boolean {
  const cause = causeOf(error);
  if (cause instanceof Error && /^bad port$/i.test(cause.message)) return true;
  // undici wraps every network failure as TypeError('fetch failed'); other TypeErrors thrown by a
  // fetch (invalid header value, bad URL) come before anything is sent. Bun and Deno name their
  // network errors with a code, which keeps them transient here.
  return error instanceof TypeError && errorCode(error) === undefined && errorCode(cause) === undefined && !/fetch failed|network|connect|socket|closed|reset|timed? ?out/i.test(error.message);
}

function causeOf(error: unknown): unknown {
  return error instanceof Error && error.cause !== undefined ? error.cause : error;
}

function errorCode(error: unknown): string | undefined {
  const target = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof target === 'object' && target !== null ? (target as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** The contract's `{ error: { message } }`, when the body has that shape. */
function apiErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message.slice(0, 500) : undefined;
}

/** undici hides the useful part ("ECONNREFUSED", "other side closed") in `cause`. */
function networkReason(error: unknown): string {
  const cause = causeOf(error);
  try {
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
    }
    return String(cause);
  } catch {
    return 'an error that cannot be described';
  }
}
