import type { BeforeSend } from './before-send.js';
import { closestName } from './closest-name.js';
import { describe } from './describe.js';
import { readEnv } from './env.js';
import { LetterError } from './errors.js';
import { printable } from './printable.js';

/** The `fetch` signature the SDK needs: the global `fetch`, or any compatible function. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Options for `new Letter(options)`. Every duration is in milliseconds. */
export interface LetterOptions {
  /**
   * Your API key (`lt_live_…` or `lt_test_…`), from Dashboard → Settings → API keys.
   * @default process.env.LETTER_API_KEY
   */
  apiKey?: string | undefined;
  /**
   * Where the ingestion API lives; a path prefix is kept (`https://letter.internal/ingest`).
   * @default process.env.LETTER_BASE_URL, else 'https://api.letter.app'
   */
  baseUrl?: string | undefined;
  /**
   * Send a batch as soon as this many messages are queued.
   * @default 50
   */
  flushAt?: number | undefined;
  /**
   * Send queued messages at most this many milliseconds after the first of them was queued.
   * @default 100
   */
  flushInterval?: number | undefined;
  /**
   * Retries after the first attempt for 429, 5xx, network errors and timeouts (so at most `maxRetries + 1` attempts).
   * @default 3
   */
  maxRetries?: number | undefined;
  /**
   * Deadline for one request, in milliseconds, from sending it to reading the response;
   * `Infinity` for none. At most 2147483647 (about 24.8 days), the longest a timer can wait.
   * @default 10000
   */
  timeout?: number | undefined;
  /**
   * Receives every failure that cannot be thrown at the caller: batches given up, queue overflow,
   * the API becoming unavailable, calls after `close()`.
   * @default a one-line warning on stderr
   */
  onError?: ((error: LetterError) => void) | undefined;
  /**
   * The memory budget, in bytes of serialized JSON, for every message the client holds (queued,
   * in flight, or waiting out an outage); past it new messages are dropped and `onError` is told
   * once per burst. At least 1024000 (two full request bodies).
   * @default 67108864 (64 MiB)
   */
  maxQueueBytes?: number | undefined;
  /**
   * The transport used for requests, for proxies, instrumentation or tests.
   * @default globalThis.fetch
   */
  fetch?: FetchLike | undefined;
  /**
   * Runs at every call with the call's camelCase shape plus `type`; return it (changed or not) to
   * send it, or `null` to drop it. What it returns is validated like any call. Use it to scrub
   * PII or filter events in one place.
   * @default none
   */
  beforeSend?: BeforeSend | undefined;
}

/** Options for `letter.close(options)`. */
export interface CloseOptions {
  /**
   * Give up after this many milliseconds: abort requests in flight, hand every undelivered
   * message to `onError` (`code: 'timeout'`), and resolve. `Infinity`, or anything above
   * 2147483647 (the longest a timer can wait, 24.8 days), means no deadline.
   * @default no deadline: wait until every message is delivered or given up after `maxRetries`
   */
  timeout?: number | undefined;
}

/** Options after defaults and validation, with units in the names. */
export interface ResolvedOptions {
  readonly authorization: string;
  readonly endpoint: string;
  readonly flushAt: number;
  readonly flushIntervalMs: number;
  readonly maxRetries: number;
  /** Infinity for no deadline. */
  readonly timeoutMs: number;
  readonly onError: (error: LetterError) => void;
  readonly maxQueueBytes: number;
  readonly fetch: FetchLike;
  readonly beforeSend: BeforeSend | undefined;
}

export const DEFAULT_BASE_URL = 'https://api.letter.app';

const DEFAULTS = {
  flushAt: 50,
  flushInterval: 100,
  maxRetries: 3,
  timeout: 10_000,
  maxQueueBytes: 64 * 1024 * 1024,
} as const;

/** The longest delay a timer can hold: Node fires anything longer after 1 ms, with a warning. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** The smallest budget: two full request bodies, so one can be queued while another is sent. */
export const MIN_QUEUE_BYTES = 2 * 512_000;

const KNOWN_OPTIONS = [
  'apiKey', 'baseUrl', 'flushAt', 'flushInterval', 'maxRetries', 'timeout', 'onError', 'maxQueueBytes', 'fetch', 'beforeSend',
];

/** Options that were renamed or removed, with what to use instead. */
const REPLACED_OPTIONS: Readonly<Record<string, string>> = {
  maxQueueSize: '`maxQueueSize` was replaced by `maxQueueBytes` (a memory budget in bytes, default 64 MiB) in 0.2',
};

/** Applies defaults (from the environment too) and validates, throwing a `config` LetterError naming the option. */
export function resolveOptions(options: LetterOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw configError(`Expected options to be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    // Catches `flush_at` (the Python spelling) and typos, which would otherwise silently use the default.
    if (KNOWN_OPTIONS.includes(key)) continue;
    if (Object.hasOwn(REPLACED_OPTIONS, key)) throw configError(REPLACED_OPTIONS[key]!);
    const suggestion = closestName(key, KNOWN_OPTIONS);
    throw configError(`Unknown option \`${key}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`);
  }
  const fetchImpl = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
  if (typeof fetchImpl !== 'function') {
    throw configError(`Expected \`fetch\` to be a function, got ${describe(fetchImpl)}`);
  }
  if (options.beforeSend !== undefined && typeof options.beforeSend !== 'function') {
    throw configError(`Expected \`beforeSend\` to be a function, got ${describe(options.beforeSend)}`);
  }
  const onError = options.onError ?? warnOnStderr;
  if (typeof onError !== 'function') {
    throw configError(`Expected \`onError\` to be a function, got ${describe(onError)}`);
  }
  return {
    authorization: `Bearer ${checkApiKey(options.apiKey ?? readEnv('LETTER_API_KEY'))}`,
    endpoint: batchEndpoint(options.baseUrl ?? (readEnv('LETTER_BASE_URL') || DEFAULT_BASE_URL)),
    flushAt: integerOption('flushAt', options.flushAt ?? DEFAULTS.flushAt, 1),
    flushIntervalMs: durationOption('flushInterval', options.flushInterval ?? DEFAULTS.flushInterval, 0, false),
    maxRetries: integerOption('maxRetries', options.maxRetries ?? DEFAULTS.maxRetries, 0),
    timeoutMs: durationOption('timeout', options.timeout ?? DEFAULTS.timeout, 1, true),
    onError,
    maxQueueBytes: integerOption('maxQueueBytes', options.maxQueueBytes ?? DEFAULTS.maxQueueBytes, MIN_QUEUE_BYTES),
    fetch: fetchImpl,
    beforeSend: options.beforeSend,
  };
}

/** `{baseUrl}/v1/batch`, keeping a path prefix and never producing `//v1/batch`. */
export function batchEndpoint(baseUrl: unknown): string {
  if (typeof baseUrl !== 'string') {
    throw configError(`Expected \`baseUrl\` to be a URL string, got ${describe(baseUrl)}`);
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw configError(`Expected \`baseUrl\` to be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(`Expected \`baseUrl\` to be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw configError('Expected `baseUrl` without credentials, query or fragment');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/v1/batch`;
}

function checkApiKey(apiKey: unknown): string {
  if (apiKey === undefined || apiKey === '') {
    throw configError('`apiKey` is required: pass it to new Letter({ apiKey }) or set LETTER_API_KEY (on Deno, allow it with --allow-env=LETTER_API_KEY,LETTER_BASE_URL)');
  }
  if (typeof apiKey !== 'string') throw configError(`Expected \`apiKey\` to be a string, got ${typeof apiKey}`);
  // The key itself is never echoed: it is a secret, and this message may be logged.
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(apiKey)) {
    throw configError('`apiKey` contains whitespace or control characters; check how it was copied');
  }
  // An HTTP header carries only Latin-1, and keys are ASCII: an ellipsis pasted from `lt_live_…`
  // would otherwise make every request fail in the runtime, retried as a network error.
  if (/[^\x21-\x7e]/.test(apiKey)) {
    throw configError('`apiKey` contains a character that is not printable ASCII (such as "…" copied from a placeholder); API keys are ASCII only');
  }
  return apiKey;
}

function integerOption(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw configError(`Expected \`${name}\` to be an integer >= ${min}, got ${describe(value)}`);
  }
  return value;
}

/**
 * A duration in milliseconds: a number from `min` to {@link MAX_TIMER_MS}, or Infinity ("no
 * limit") where `infinityAllowed`. A larger finite number is refused rather than clamped, because
 * a timer would fire it after 1 ms.
 */
export function durationOption(name: string, value: unknown, min: number, infinityAllowed: boolean): number {
  if (typeof value === 'number' && value === Number.POSITIVE_INFINITY && infinityAllowed) return value;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
    const range = `${min} to ${MAX_TIMER_MS}${infinityAllowed ? ', or Infinity for no limit' : ''}`;
    throw configError(`Expected \`${name}\` to be a number of milliseconds from ${range}, got ${describe(value)}`);
  }
  return value;
}

function configError(message: string): LetterError {
  return new LetterError(message, { code: 'config' });
}

/** The default onError: one line, with server-provided text made safe for a terminal. */
export function warnOnStderr(error: LetterError): void {
  console.warn(`letterapp: ${printable(error.message.replace(/\s*\n\s*/g, ' '))}`);
}
