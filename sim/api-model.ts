import { logNormalMs } from './random.js';

/** What the modelled API does, and when. Times are virtual epoch ms from the start of the run. */
export interface ApiModelOptions {
  /** Requests per second the API can take; the excess is refused with `overloadStatus`. */
  readonly capacityPerS: number;
  /** Requests the API can take at once beyond the rate, as seconds of capacity (a token bucket's depth). */
  readonly burstS: number;
  /** 429 (with Retry-After) or 503 (without) for requests over capacity. */
  readonly overloadStatus: 429 | 503;
  /** The Retry-After sent with a 429, in seconds. */
  readonly retryAfterS: number;
  /** The median response time, in ms; times are log-normal around it. */
  readonly latencyMedianMs: number;
  /** The log-normal's sigma: 0.5 puts p99 at about 3.2× the median. */
  readonly latencySigma: number;
  /** When the outage starts, in ms from the start of the run. */
  readonly outageStartMs: number;
  /** How long connections are refused, from the outage's start, in ms. */
  readonly refusedMs: number;
  /** How long every request then gets a 503 (no Retry-After), in ms. */
  readonly errorMs: number;
  /** The run's start, in epoch ms (the fake clock's origin). */
  readonly originMs: number;
  /** The API's own randomness (latency), separate from the clients'. */
  readonly random: () => number;
}

/** Per-second counts at the API, index = whole seconds since the start of the run. */
export interface ApiSeries {
  /** Every attempt, refused connections included. */
  readonly attempts: number[];
  /** Attempts answered 2xx. */
  readonly accepted: number[];
  /** Attempts answered 429 or 503 for being over capacity. */
  readonly overloaded: number[];
  /** Attempts refused or answered 503 by the outage. */
  readonly outage: number[];
  /** Messages stored. */
  readonly messagesStored: number[];
}

/** The modelled API: a fetch to hand to clients, and what it saw. */
export interface ApiModel {
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  readonly series: ApiSeries;
  /** Messages stored in all. */
  storedTotal(): number;
}

const JSON_HEADERS = { 'content-type': 'application/json', 'request-id': 'req_sim' };

/**
 * An ingestion API with a capacity, a latency distribution and a scripted outage. It reads the
 * (fake) clock, so it must be created and called while the fake clock is installed.
 */
export function createApiModel(options: ApiModelOptions): ApiModel {
  const series: ApiSeries = { attempts: [], accepted: [], overloaded: [], outage: [], messagesStored: [] };
  const burstTokens = Math.max(1, options.capacityPerS * options.burstS);
  let tokens = burstTokens;
  let tokensAtMs = options.originMs;
  let storedTotal = 0;
  const refusedFromMs = options.originMs + options.outageStartMs;
  const errorsFromMs = refusedFromMs + options.refusedMs;
  const recoveredAtMs = errorsFromMs + options.errorMs;

  const count = (name: keyof ApiSeries, second: number, amount = 1): void => {
    const counts = series[name];
    while (counts.length <= second) counts.push(0);
    counts[second]! += amount;
  };

  const answer = (status: number, body: string, headers: Record<string, string> = JSON_HEADERS): Promise<Response> => {
    const delayMs = logNormalMs(options.latencyMedianMs, options.latencySigma, options.random);
    return new Promise((resolve) => {
      setTimeout(() => resolve(new Response(body, { status, headers })), delayMs);
    });
  };

  const fetch = (_input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const nowMs = Date.now();
    const second = Math.floor((nowMs - options.originMs) / 1000);
    count('attempts', second);
    if (nowMs >= refusedFromMs && nowMs < errorsFromMs) {
      count('outage', second);
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
      return Promise.reject(new TypeError('fetch failed', { cause: refused }));
    }
    if (nowMs >= errorsFromMs && nowMs < recoveredAtMs) {
      count('outage', second);
      return answer(503, errorBody('api_error', 'The API is down for maintenance'));
    }
    tokens = Math.min(burstTokens, tokens + ((nowMs - tokensAtMs) * options.capacityPerS) / 1000);
    tokensAtMs = nowMs;
    if (tokens < 1) {
      count('overloaded', second);
      if (options.overloadStatus === 503) return answer(503, errorBody('api_error', 'Over capacity'));
      return answer(429, errorBody('rate_limit_error', 'Too many requests'), { ...JSON_HEADERS, 'retry-after': String(options.retryAfterS) });
    }
    tokens -= 1;
    const messages = countMessages(bodyText(init?.body));
    storedTotal += messages;
    count('accepted', second);
    count('messagesStored', second, messages);
    return answer(200, `{"ok":true,"received":${messages},"duplicates":0}`);
  };

  return { fetch, series, storedTotal: () => storedTotal };
}

function errorBody(type: string, message: string): string {
  return JSON.stringify({ error: { type, message, request_id: 'req_sim' } });
}

const decoder = new TextDecoder();

/** The SDK sends its body as UTF-8 bytes; the model also takes a string, as any fetch would. */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  return ArrayBuffer.isView(body) ? decoder.decode(body as Uint8Array) : '';
}

/** Messages in a body, without parsing it: every message carries exactly one `"message_id"` key. */
function countMessages(body: string): number {
  let messages = 0;
  for (let at = body.indexOf('"message_id"'); at !== -1; at = body.indexOf('"message_id"', at + 12)) messages += 1;
  return messages;
}
