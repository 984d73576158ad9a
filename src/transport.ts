import type { LetterErrorDetails } from './errors.js';
import type { FetchLike } from './options.js';
import { classifyStatus, parseRetryAfter } from './retry.js';
import { VERSION } from './version.js';

/** One POST of one body. */
export interface SendRequest {
  readonly endpoint: string;
  readonly authorization: string;
  readonly body: string;
  readonly timeoutMs: number;
  readonly fetch: FetchLike;
  /** Aborts the request from outside (close with a deadline); the outcome is then `aborted`. */
  readonly signal?: AbortSignal;
}

/** Why a request did not deliver, ready to become a LetterError. */
export interface Failure extends LetterErrorDetails {
  message: string;
}

/** What a request came to; `retry` carries the server's Retry-After when it gave a usable one. */
export type SendOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'retry'; readonly failure: Failure; readonly retryAfterMs?: number }
  | { readonly kind: 'fail'; readonly failure: Failure }
  | { readonly kind: 'aborted'; readonly failure: Failure };

/** Error bodies are read up to this size; a 10 MB error page must not be buffered whole. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

const USER_AGENT = `letterapp-node/${VERSION}`;

/** Sends one body and classifies the result. Never throws: every failure becomes an outcome. */
export async function sendBody(request: SendRequest): Promise<SendOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  const onOuterAbort = (): void => controller.abort();
  request.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const target = `POST ${request.endpoint}`;
  try {
    if (request.signal?.aborted) throw new Error('aborted before sending');
    const response = await request.fetch(request.endpoint, {
      method: 'POST',
      headers: {
        authorization: request.authorization,
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
      },
      body: request.body,
      // A redirect could carry the API key to another host; the API never redirects, so it is an error.
      redirect: 'manual',
      signal: controller.signal,
    });
    // The deadline covers reading the response too, so a body that never ends still times out.
    const body = await readBoundedBody(response);
    return classifyResponse(response, body, target);
  } catch (error) {
    if (request.signal?.aborted) {
      return { kind: 'aborted', failure: { code: 'timeout', message: `Request abandoned at close deadline: ${target}`, cause: error } };
    }
    if (controller.signal.aborted) {
      return { kind: 'retry', failure: { code: 'timeout', message: `Request timed out after ${request.timeoutMs} ms: ${target}`, cause: error } };
    }
    return { kind: 'retry', failure: { code: 'network_error', message: `Request failed (${networkReason(error)}): ${target}`, cause: error } };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onOuterAbort);
  }
}

function classifyResponse(response: Response, body: unknown, target: string): SendOutcome {
  // Deno and browsers report a manual redirect as an opaque response with status 0.
  const status = response.type === 'opaqueredirect' ? 302 : response.status;
  const action = classifyStatus(status);
  if (action === 'success') return { kind: 'delivered', status };
  const requestId = response.headers.get('request-id') ?? undefined;
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
  const retryAfterMs = action === 'rate_limited' ? parseRetryAfter(response.headers.get('retry-after'), Date.now()) : undefined;
  return retryAfterMs === undefined ? { kind: 'retry', failure } : { kind: 'retry', failure, retryAfterMs };
}

/** Reads at most {@link MAX_RESPONSE_BYTES} and parses JSON when it is JSON; returns undefined for an empty body. */
async function readBoundedBody(response: Response): Promise<unknown> {
  if (!response.body) return undefined;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let receivedBytes = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    receivedBytes += value.byteLength;
    if (receivedBytes > MAX_RESPONSE_BYTES) {
      truncated = true;
      // Cancelling frees the connection; its own failure is of no interest.
      reader.cancel().catch(() => {});
      break;
    }
  }
  if (receivedBytes === 0) return undefined;
  const text = new TextDecoder().decode(concat(chunks, Math.min(receivedBytes, MAX_RESPONSE_BYTES)));
  if (truncated) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function concat(chunks: Uint8Array[], lengthBytes: number): Uint8Array {
  const joined = new Uint8Array(lengthBytes);
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, lengthBytes - offset);
    joined.set(part, offset);
    offset += part.byteLength;
    if (offset >= lengthBytes) break;
  }
  return joined;
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
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}
