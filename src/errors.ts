/** A short, stable string saying what kind of failure a {@link LetterError} reports. */
export type LetterErrorCode =
  /** A call's argument broke a rule (thrown from identify/group/track). */
  | 'invalid_argument'
  /** An option passed to the constructor is missing or invalid. */
  | 'config'
  /** The API answered with a status that is not 2xx (after any retries). */
  | 'http_error'
  /** The connection was refused, reset, or failed before a response. */
  | 'network_error'
  /** A request passed its `timeout`. */
  | 'timeout'
  /** Messages were dropped because the queue held `maxQueueBytes` already. */
  | 'queue_full'
  /**
   * Delivery started failing: the messages are held and retried in the background until the API
   * answers (told once per outage; nothing is handed over, nothing is lost yet).
   */
  | 'api_unavailable'
  /** A call was made after `close()`; the message was not sent. */
  | 'closed';

/** A message as it is sent on the wire: snake_case fields, see the ingestion API contract. */
export interface WireMessage {
  type: 'identify' | 'group' | 'track';
  message_id: string;
  timestamp: string;
  user_id: string;
  [field: string]: unknown;
}

/** What a {@link LetterError} carries besides its message. */
export interface LetterErrorDetails {
  code: LetterErrorCode;
  status?: number | undefined;
  body?: unknown;
  requestId?: string | undefined;
  messages?: WireMessage[] | undefined;
  dropped?: number | undefined;
  held?: number | undefined;
  cause?: unknown;
}

/**
 * The one error type the SDK throws or hands to `onError`.
 * The API key never appears in it: not in the message, not in any property.
 */
export class LetterError extends Error {
  // The optional fields are `declare`d: as class fields they would be defined as own properties
  // set to undefined, and util.inspect would list every one of them.
  /** A short, stable string for what went wrong, safe to switch on. */
  readonly code: LetterErrorCode;
  /** The HTTP status of the last response, when there was one. */
  declare readonly status?: number;
  /** The last response's body: parsed JSON (the API's `{ error: … }` shape) or text. */
  declare readonly body?: unknown;
  /** The API's `Request-Id` response header, for support requests. */
  declare readonly requestId?: string;
  /** The undelivered messages as sent on the wire, when a batch was given up. */
  declare readonly messages?: WireMessage[];
  /** How many messages were dropped, for `code: 'queue_full'`. */
  declare readonly dropped?: number;
  /** How many messages the client holds for a later retry, for `code: 'api_unavailable'`. */
  declare readonly held?: number;

  constructor(message: string, details: LetterErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'LetterError';
    this.code = details.code;
    // Only set what is known, so logs and `toEqual` are not cluttered with undefined keys.
    if (details.status !== undefined) this.status = details.status;
    if (details.body !== undefined) this.body = details.body;
    if (details.requestId !== undefined) this.requestId = details.requestId;
    if (details.messages !== undefined) this.messages = details.messages;
    if (details.dropped !== undefined) this.dropped = details.dropped;
    if (details.held !== undefined) this.held = details.held;
  }
}

/** Shorthand for the `invalid_argument` errors thrown at a call. */
export function invalidArgument(message: string): LetterError {
  return new LetterError(message, { code: 'invalid_argument' });
}
