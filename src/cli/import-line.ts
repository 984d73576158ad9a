/**
 * One NDJSON line of `letterapp import`, turned into a call: pure functions, no I/O. A line is a
 * JSON object with a `type` and either the call shape (`userId`, `accountId`, `messageId`) or the
 * wire shape (`user_id`, `account_id`, `message_id`), so a file of LetterError.messages replays.
 */
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import type { GroupCall, IdentifyCall, TrackCall } from '../calls.js';
import { epochSecondsMistake } from './epoch.js';

/** A line ready for `letter.identify/group/track`. */
export type ImportCall =
  | { readonly type: 'identify'; readonly call: IdentifyCall }
  | { readonly type: 'group'; readonly call: GroupCall }
  | { readonly type: 'track'; readonly call: TrackCall };

/** A parsed line: the call, or why the line cannot be sent. */
export type ParsedLine =
  | (ImportCall & {
      /** The id it is sent with. */
      readonly messageId: string;
      /** Whether the id was derived by {@link deriveMessageId}, the line having none. */
      readonly derivedId: boolean;
      /** Whether the line used a wire name (`user_id`): its errors then use wire names too. */
      readonly snakeCase: boolean;
    })
  | { readonly type: 'bad'; readonly reason: string };

/** Wire names and the call names they stand for; a Map, so `__proto__` and friends are never found. */
const CALL_NAME_FOR_WIRE: ReadonlyMap<string, string> = new Map([
  ['user_id', 'userId'],
  ['account_id', 'accountId'],
  ['message_id', 'messageId'],
]);

const TYPES: ReadonlySet<string> = new Set(['identify', 'group', 'track']);

/**
 * Parses line `lineNumber` (from 1) of the input. Without a message id of its own, the line gets
 * {@link deriveMessageId}'s, so importing the same file again is deduplicated by the API.
 */
export function parseLine(text: string, lineNumber: number): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return bad(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('expected a JSON object such as {"type":"track","userId":"42","event":"Signed Up"}');
  const type = (value as { type?: unknown }).type;
  if (type === undefined) return bad('type is required: identify, group or track');
  if (typeof type !== 'string' || !TYPES.has(type)) return bad(`type must be identify, group or track, got ${JSON.stringify(type)}`);

  const source = value as Record<string, unknown>;
  const snakeCase = Object.hasOwn(source, 'user_id') || Object.hasOwn(source, 'account_id') || Object.hasOwn(source, 'message_id');
  let call: Record<string, unknown>;
  if (snakeCase) {
    call = {};
    for (const key of Object.keys(source)) {
      if (key === 'type') continue;
      const callName = CALL_NAME_FOR_WIRE.get(key) ?? key;
      if (Object.hasOwn(call, callName)) return bad(`has both ${callName} and ${key}; give one`);
      // defineProperty, not assignment: a "__proto__" key in the line must stay a key (which the
      // SDK then refuses as an unknown field), never set a prototype.
      Object.defineProperty(call, callName, { value: source[key], enumerable: true, writable: true, configurable: true });
    }
  } else {
    // Rest properties are own data properties too, so "__proto__" stays a key here as well.
    const { type: _type, ...rest } = source;
    call = rest;
  }
  if (typeof call.timestamp === 'number') {
    const mistake = epochSecondsMistake(call.timestamp, 'timestamp');
    if (mistake !== undefined) return bad(mistake);
  }
  const derivedId = call.messageId === undefined || call.messageId === null;
  if (derivedId) call.messageId = deriveMessageId(text, lineNumber);
  const messageId = typeof call.messageId === 'string' ? call.messageId : '';
  // The fields are the SDK's to check: identify/group/track refuse a bad one, naming it.
  return { type, call, messageId, derivedId, snakeCase } as unknown as ParsedLine;
}

/**
 * A stable message id for a line that has none: a UUID (version 8, the RFC 9562 form for ids made
 * by the application) from the SHA-256 of the line number and the line's text. The same file gives
 * the same ids on every run, and two identical lines still get different ids.
 */
export function deriveMessageId(text: string, lineNumber: number): string {
  const hex = sha256Hex(`${lineNumber}\n${text}`);
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The SDK names call fields (`userId is required`); a line written in the wire shape said
 * `user_id`, so its errors should too.
 */
export function inLineNames(message: string, snakeCase: boolean): string {
  if (!snakeCase) return message;
  return message.replace(/\b(userId|accountId|messageId)\b/g, (name) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`));
}

/**
 * The line as written, with the message id it was sent with added when it had none, so that
 * retrying a `--failed` file (whose line numbers differ) sends the same ids and is deduplicated.
 */
export function withMessageId(text: string, parsed: { readonly messageId: string; readonly derivedId: boolean; readonly snakeCase: boolean }): string {
  if (!parsed.derivedId) return text;
  const start = text.indexOf('{');
  const field = parsed.snakeCase ? 'message_id' : 'messageId';
  return `${text.slice(0, start + 1)}"${field}":${JSON.stringify(parsed.messageId)},${text.slice(start + 1)}`;
}

/** One-shot `crypto.hash` (Node 20.12+) is several times cheaper per line than a Hash object; same digest. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

function sha256Hex(data: string): string {
  return oneShotHash ? oneShotHash('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

function bad(reason: string): ParsedLine {
  return { type: 'bad', reason };
}
