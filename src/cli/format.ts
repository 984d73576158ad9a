import type { WireMessage } from '../errors.js';
import { plural } from '../describe.js';
import { printable } from '../printable.js';
import type { RecordedRequest } from '../testing/server.js';
import { readApiError } from './api-error.js';
import type { Palette, Style } from './colour.js';

/** Longer traits or properties are cut: one message stays one readable terminal line. */
const MAX_OBJECT_CHARS = 500;

/** A message timestamp this far from its arrival is printed too: a backfill, or a skewed clock. */
const SHOW_TIMESTAMP_AFTER_MS = 60_000;

/** Width of the type column: the longest label, `duplicate`. */
const LABEL_WIDTH = 9;

/** The fields printed for each type, in order; the wire names, so what you see is what was sent. */
const FIELDS: Record<WireMessage['type'], readonly string[]> = {
  identify: ['user_id', 'email', 'timezone', 'traits'],
  group: ['user_id', 'account_id', 'name', 'traits'],
  track: ['user_id', 'event', 'properties'],
};

/**
 * One line for a stored message:
 * `10:15:30.123 track     user_id=42 event="Signed Up" properties={"plan":"pro"}`.
 */
export function formatMessage(message: WireMessage, receivedAtMs: number, palette: Palette): string {
  const colour: Record<WireMessage['type'], Style> = { identify: palette.magenta, group: palette.yellow, track: palette.cyan };
  const parts: string[] = [];
  for (const field of FIELDS[message.type] ?? []) {
    const value = message[field];
    if (value !== undefined && value !== null) parts.push(`${palette.dim(`${field}=`)}${renderValue(value)}`);
  }
  const sentAtMs = Date.parse(message.timestamp);
  if (Math.abs(sentAtMs - receivedAtMs) > SHOW_TIMESTAMP_AFTER_MS) {
    parts.push(`${palette.dim('timestamp=')}${renderValue(message.timestamp)}`);
  }
  const label = (colour[message.type] ?? palette.bold)(message.type.padEnd(LABEL_WIDTH));
  return `${palette.dim(clockTime(receivedAtMs))} ${label} ${parts.join(' ')}`;
}

/**
 * One line for a request the server refused, with the API's own words:
 * `10:15:31.000 rejected  400 invalid_request_error: batch[1].user_id is required (POST /v1/batch, 2 messages, request req_test4)`.
 * A request refused on its headers (401, 404) had its body left unread, so it has no message count.
 */
export function formatRejection(request: RecordedRequest, responseBody: unknown, palette: Palette): string {
  const error = readApiError(responseBody);
  const count = Array.isArray(request.body?.batch) ? request.body.batch.length : 0;
  const status = typeof request.reply === 'number' ? String(request.reply) : `connection ${request.reply}`;
  const details = [
    `${request.method} ${request.path}`,
    ...(count > 0 ? [plural(count, 'message')] : []),
    ...(error?.requestId ? [`request ${error.requestId}`] : []),
  ];
  const reason = error ? ` ${error.type}: ${error.message}` : '';
  return `${palette.dim(clockTime(request.receivedAt))} ${palette.red('rejected'.padEnd(LABEL_WIDTH))} ${palette.bold(status)}${printable(reason)} ${palette.dim(printable(`(${details.join(', ')})`))}`;
}

/** One line for messages acknowledged but not stored again, because their message_id was already seen. */
export function formatDuplicates(count: number, receivedAtMs: number, palette: Palette): string {
  return `${palette.dim(clockTime(receivedAtMs))} ${palette.dim('duplicate'.padEnd(LABEL_WIDTH))} ${palette.dim(`${plural(count, 'message')} with an already stored message_id, acknowledged and ignored`)}`;
}

/** `HH:MM:SS.mmm` in local time: arrival order is what a developer watching a terminal follows. */
function clockTime(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/**
 * A bare word stays bare (`user_id=42`); anything else is JSON, which escapes quotes and C0
 * controls. The app's data could still hold DEL, C1 controls or bidi overrides: printable() shows those as escapes.
 */
function renderValue(value: unknown): string {
  if (typeof value === 'string' && /^[\w@.:/+-]+$/.test(value)) return value;
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    return '(nested too deeply to show)';
  }
  const cut = json.length > MAX_OBJECT_CHARS ? `${json.slice(0, MAX_OBJECT_CHARS)}… (${json.length} chars)` : json;
  return printable(cut);
}
