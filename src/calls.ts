/**
 * The shapes of identify/group/track calls, as the caller writes them (camelCase).
 *
 * Every optional field also takes `undefined` and `null`, both meaning absent: under
 * `exactOptionalPropertyTypes` (which `tsc --init` turns on) a bare `field?: T` would refuse the
 * `T | undefined` that optional data and `process.env` give, and `null` is what JSON and
 * databases use for "no value".
 */

/** A user or account id: a non-empty string of at most 255 characters, or a finite number sent as its decimal string. */
export type Id = string | number;

/** When the thing happened: a Date, an ISO 8601 string with a zone (or a bare date), or epoch milliseconds. */
export type Timestamp = Date | string | number;

/** A plain JSON object of traits or properties. */
export type Properties = Record<string, unknown>;

/** Fields every call accepts. */
export interface BaseCall {
  /** The user this is about. */
  userId: Id;
  /** When it happened. @default the time of the call */
  timestamp?: Timestamp | null | undefined;
  /** The idempotency key, 1–100 characters; the API deduplicates on it. @default a random UUID v4 */
  messageId?: string | null | undefined;
}

/**
 * `letter.identify(...)`: who a user is.
 * @typeParam Traits - the traits' type; a typed tracking plan sets it from its `traits`.
 */
export interface IdentifyCall<Traits extends object = Properties> extends BaseCall {
  /** The user's email address. */
  email?: string | null | undefined;
  /** Facts about the user (`name`, `plan`, …). */
  traits?: Traits | null | undefined;
  /** The user's IANA time zone, such as `Europe/London`. */
  timezone?: string | null | undefined;
}

/**
 * `letter.group(...)`: which account (workspace, organization) a user belongs to.
 * @typeParam Traits - the account traits' type; a typed tracking plan sets it from its `groupTraits`.
 */
export interface GroupCall<Traits extends object = Properties> extends BaseCall {
  /** The account's id. */
  accountId: Id;
  /** The account's display name. */
  name?: string | null | undefined;
  /** Facts about the account (`plan`, `mrr`, …). */
  traits?: Traits | null | undefined;
}

/**
 * `letter.track(...)`: something a user did.
 * @typeParam Event - the event's name; a typed tracking plan sets it to one of its events.
 * @typeParam EventProperties - the event's properties; a typed tracking plan sets them from its events.
 */
export interface TrackCall<Event extends string = string, EventProperties extends object = Properties> extends BaseCall {
  /** What happened, such as `Workspace Created`; 1–200 characters. */
  event: Event;
  /** Details of the event. */
  properties?: EventProperties | null | undefined;
}
