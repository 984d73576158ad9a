import { MAX_MESSAGE_BYTES, utf8Bytes } from './batch.js';
import type { GroupCall, IdentifyCall, Properties, Timestamp, TrackCall } from './calls.js';
import { invalidArgument } from './errors.js';
import { describe } from './describe.js';
import { stringifyObject } from './serialize.js';
import { randomUuid } from './uuid.js';

/**
 * A message serialized once at the call, as its wire JSON: what is queued, sent, and (parsed
 * back) handed to onError. A bare string, so the queue holds nothing but the bytes to send.
 */
export type SerializedMessage = string;

const IDENTIFY_FIELDS = new Set(['userId', 'email', 'traits', 'timezone', 'timestamp', 'messageId']);
const GROUP_FIELDS = new Set(['userId', 'accountId', 'name', 'traits', 'timestamp', 'messageId']);
const TRACK_FIELDS = new Set(['userId', 'event', 'properties', 'timestamp', 'messageId']);

// The wire JSON is written by hand around JSON.stringify of the caller's strings and objects:
// the same bytes as stringifying a wire object, without building one on every call. Absent
// fields are left out, never sent as null. Fields are validated in the order they are written.
// The calls' traits and properties are typed `object`, not Properties: a typed tracking plan may
// declare them as interfaces, which have no index signature; they are checked at run time anyway.

/** Validates an identify call and serializes it to its wire form, or throws a LetterError naming the field. */
export function buildIdentify(call: IdentifyCall<object>): SerializedMessage {
  checkFields(call, 'identify', IDENTIFY_FIELDS);
  return checkSize(
    `{"type":"identify","message_id":${messageIdJson(call.messageId)},"timestamp":"${timestamp(call.timestamp)}"` +
      `,"user_id":${JSON.stringify(id(call.userId, 'userId'))}` +
      stringField('email', call.email) +
      objectField('traits', call.traits) +
      stringField('timezone', optionalTimezone(call.timezone)) +
      '}',
  );
}

/** Validates a group call and serializes it to its wire form, or throws a LetterError naming the field. */
export function buildGroup(call: GroupCall<object>): SerializedMessage {
  checkFields(call, 'group', GROUP_FIELDS);
  return checkSize(
    `{"type":"group","message_id":${messageIdJson(call.messageId)},"timestamp":"${timestamp(call.timestamp)}"` +
      `,"user_id":${JSON.stringify(id(call.userId, 'userId'))},"account_id":${JSON.stringify(id(call.accountId, 'accountId'))}` +
      stringField('name', call.name) +
      objectField('traits', call.traits) +
      '}',
  );
}

/** Validates a track call and serializes it to its wire form, or throws a LetterError naming the field. */
export function buildTrack(call: TrackCall<string, object>): SerializedMessage {
  checkFields(call, 'track', TRACK_FIELDS);
  return checkSize(
    `{"type":"track","message_id":${messageIdJson(call.messageId)},"timestamp":"${timestamp(call.timestamp)}"` +
      `,"user_id":${JSON.stringify(id(call.userId, 'userId'))},"event":${JSON.stringify(eventName(call.event))}` +
      objectField('properties', call.properties) +
      '}',
  );
}

/** UTF-8 takes at most 3 bytes per UTF-16 unit, so anything this short cannot exceed the limit. */
const SURELY_SMALL_LENGTH = Math.floor(MAX_MESSAGE_BYTES / 3);

function checkSize(json: string): SerializedMessage {
  if (json.length > SURELY_SMALL_LENGTH) {
    const bytes = utf8Bytes(json);
    if (bytes > MAX_MESSAGE_BYTES) throw invalidArgument(`message is ${Math.ceil(bytes / 1024)} KB; the limit is 32 KB`);
  }
  return json;
}

function stringField(field: string, value: unknown): string {
  const text = optionalString(value, field);
  return text === undefined ? '' : `,"${field}":${JSON.stringify(text)}`;
}

function objectField(field: string, value: unknown): string {
  const object = optionalObject(value, field);
  if (object === undefined) return '';
  const json = stringifyObject(object, field);
  // A toJSON on the object itself may return undefined: then the field is absent.
  if (json === undefined) return '';
  // ...or anything else: the contract wants an object, and a `null` or a string here would make
  // the API refuse the whole batch, taking the good messages with it.
  if (json.charCodeAt(0) !== 123 /* { */) {
    throw invalidArgument(`${field} must serialize to a JSON object, but its toJSON() gave ${json.length > 40 ? `${json.slice(0, 40)}…` : json}`);
  }
  return `,"${field}":${json}`;
}

function checkFields(call: unknown, method: string, allowed: ReadonlySet<string>): void {
  if (typeof call !== 'object' || call === null || Array.isArray(call)) {
    throw invalidArgument(`${method}() expects an object such as { userId, ... }, got ${describe(call)}`);
  }
  for (const key in call) {
    // A typo (`propeties`, `user_id`) would otherwise drop data without a word.
    if (!allowed.has(key)) throw invalidArgument(`${method}() has no field \`${key}\`; expected ${[...allowed].join(', ')}`);
  }
}

function id(value: unknown, field: string): string {
  if (typeof value === 'string') {
    if (value.length === 0) throw invalidArgument(`${field} must not be empty`);
    if (countCharacters(value, 255) > 255) throw invalidArgument(`${field} is longer than 255 characters`);
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalidArgument(`${field} must be a finite number, got ${value}`);
    return String(value);
  }
  if (value === undefined || value === null) throw invalidArgument(`${field} is required`);
  throw invalidArgument(`${field} must be a string or a number, got ${describe(value)}`);
}

function eventName(value: unknown): string {
  if (value === undefined || value === null) throw invalidArgument('event is required');
  if (typeof value !== 'string') throw invalidArgument(`event must be a string, got ${describe(value)}`);
  if (value.length === 0) throw invalidArgument('event must not be empty');
  if (countCharacters(value, 200) > 200) throw invalidArgument('event is longer than 200 characters');
  return value;
}

/** The message_id as JSON: a fresh UUID needs no escaping; the caller's string might. */
function messageIdJson(value: unknown): string {
  if (value === undefined || value === null) return `"${randomUuid()}"`;
  if (typeof value !== 'string') throw invalidArgument(`messageId must be a string, got ${describe(value)}`);
  if (value.length === 0) throw invalidArgument('messageId must not be empty');
  if (countCharacters(value, 100) > 100) throw invalidArgument('messageId is longer than 100 characters');
  return JSON.stringify(value);
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidArgument(`${field} must be a string, got ${describe(value)}`);
  return value;
}

function optionalObject(value: unknown, field: string): Properties | undefined {
  if (value === undefined || value === null) return undefined;
  const proto = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw invalidArgument(`${field} must be a plain object, got ${describeObject(value)}`);
  }
  return value as Properties;
}

function describeObject(value: unknown): string {
  if (typeof value !== 'object' || value === null) return describe(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${value.constructor?.name ?? 'non-plain object'}`;
}

/** Valid zone names, cached: asking Intl costs tens of microseconds, and apps use a handful of zones. */
const knownTimezones = new Map<string, boolean>();

function optionalTimezone(value: unknown): string | undefined {
  const zone = optionalString(value, 'timezone');
  if (zone === undefined) return undefined;
  let valid = knownTimezones.get(zone);
  if (valid === undefined) {
    // Intl also accepts offsets such as "+01:00" in newer engines; the contract wants a zone name.
    valid = /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone) && isIntlTimezone(zone);
    if (knownTimezones.size < 1000) knownTimezones.set(zone, valid);
  }
  if (!valid) throw invalidArgument(`timezone ${JSON.stringify(zone)} is not an IANA time zone such as "Europe/London"`);
  return zone;
}

function isIntlTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// Many calls land in the same millisecond; formatting once per millisecond saves most of toISOString's cost.
let lastNowMs = Number.NaN;
let lastNowIso = '';

/** The ISO string for "now", reused within one millisecond. */
function nowIso(): string {
  const nowMs = Date.now();
  if (nowMs !== lastNowMs) {
    lastNowMs = nowMs;
    lastNowIso = new Date(nowMs).toISOString();
  }
  return lastNowIso;
}

/** Captures year, month, day, hour, minute, second and the offset's hours and minutes, to range-check each. */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2})))?$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function timestamp(value: Timestamp | undefined | null): string {
  if (value === undefined || value === null) return nowIso();
  let ms: number;
  if (value instanceof Date) {
    ms = value.getTime();
  } else if (typeof value === 'number') {
    ms = value;
  } else if (typeof value === 'string') {
    // A date-time without a zone would be read in the server's local time: ambiguous, so refused.
    const parts = ISO_8601.exec(value);
    if (!parts) {
      throw invalidArgument(`timestamp ${JSON.stringify(value)} is not an ISO 8601 date-time with a zone, such as "2026-11-22T10:15:30.123Z"`);
    }
    checkDateParts(value, parts);
    ms = Date.parse(value);
  } else {
    throw invalidArgument(`timestamp must be a Date, an ISO 8601 string or epoch milliseconds, got ${describe(value)}`);
  }
  // The Date range check also keeps out years that toISOString would write as "+275760-…".
  if (!Number.isFinite(ms) || ms < -62_167_219_200_000 || ms > 253_402_300_799_999) {
    throw invalidArgument(`timestamp ${describe(value instanceof Date ? 'Invalid Date' : value)} is not a valid date`);
  }
  return new Date(ms).toISOString();
}

/**
 * Date.parse rolls impossible dates over ("2026-02-30" becomes March 2, "T24:00" the next day)
 * instead of refusing them, so a typo would be stored as a different, plausible day.
 */
function checkDateParts(value: string, parts: RegExpExecArray): void {
  // Optional groups that did not match are undefined, and Number(undefined) is NaN, which fails no check.
  const field = (index: number): string => parts[index] ?? '';
  const month = Number(parts[2]);
  const day = Number(parts[3]);
  let reason: string | undefined;
  if (!(month >= 1 && month <= 12)) {
    reason = `month ${field(2)} is not 01 to 12`;
  } else {
    const daysInMonth = DAYS_IN_MONTH[month - 1]! + (month === 2 && isLeapYear(Number(parts[1])) ? 1 : 0);
    if (!(day >= 1 && day <= daysInMonth)) reason = `${MONTH_NAMES[month - 1]} ${field(1)} has days 01 to ${daysInMonth}, not ${field(3)}`;
    else if (Number(parts[4]) > 23) reason = `hour ${field(4)} is not 00 to 23`;
    else if (Number(parts[5]) > 59) reason = `minute ${field(5)} is not 00 to 59`;
    else if (Number(parts[6]) > 59) reason = `second ${field(6)} is not 00 to 59`;
    else if (Number(parts[7]) > 23 || Number(parts[8]) > 59) reason = 'its zone offset is out of range';
  }
  if (reason !== undefined) throw invalidArgument(`timestamp ${JSON.stringify(value)} is not a real date-time: ${reason}`);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Counts code points, but only when the UTF-16 length could exceed `limit`: cheap for the common short string. */
function countCharacters(text: string, limit: number): number {
  if (text.length <= limit) return text.length;
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
