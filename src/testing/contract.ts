/** The ingestion API's rules for one request body, as the real server applies them. */

/** Limits from the contract, in bytes of UTF-8. */
export const MAX_MESSAGE_BYTES = 32_768;
export const MAX_BODY_BYTES = 512_000;

/** `Date.prototype.toISOString()` form: UTC with milliseconds. */
const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A rule broken by a request: the status and error type the API answers with. */
export interface Violation {
  readonly status: 400 | 413;
  readonly type: 'invalid_request_error' | 'payload_too_large';
  readonly message: string;
}

const FIELDS: Record<string, Record<string, 'string' | 'object'>> = {
  identify: { email: 'string', traits: 'object', timezone: 'string' },
  group: { name: 'string', traits: 'object' },
  track: { properties: 'object' },
};

/** Checks a parsed body against the contract; returns the first violation, or undefined if it is valid. */
export function checkBatch(body: unknown): Violation | undefined {
  if (!isObject(body)) return invalid('body must be a JSON object');
  if (!Array.isArray(body.batch)) return invalid('batch is required and must be an array');
  if (body.sent_at !== undefined && !isIsoString(body.sent_at)) return invalid('sent_at must be an ISO 8601 UTC timestamp with milliseconds');
  for (const [index, message] of body.batch.entries()) {
    const violation = checkMessage(message, `batch[${index}]`);
    if (violation) return violation;
  }
  return undefined;
}

function checkMessage(message: unknown, at: string): Violation | undefined {
  if (!isObject(message)) return invalid(`${at} must be an object`);
  let json: string;
  try {
    json = JSON.stringify(message);
  } catch {
    // JSON.parse takes nesting that JSON.stringify (recursive) overflows the stack on: a bad request, not a crash.
    return invalid(`${at} is nested too deeply`);
  }
  if (Buffer.byteLength(json) > MAX_MESSAGE_BYTES) {
    return { status: 413, type: 'payload_too_large', message: `${at} is larger than 32 KB` };
  }
  const type = message.type;
  if (type !== 'identify' && type !== 'group' && type !== 'track') return invalid(`${at}.type must be identify, group or track`);
  if (message.message_id === undefined) return invalid(`${at}.message_id is required`);
  if (typeof message.message_id !== 'string' || message.message_id.length < 1 || [...message.message_id].length > 100) {
    return invalid(`${at}.message_id must be a string of 1 to 100 characters`);
  }
  if (message.timestamp === undefined) return invalid(`${at}.timestamp is required`);
  if (!isIsoString(message.timestamp)) return invalid(`${at}.timestamp must be an ISO 8601 UTC timestamp with milliseconds`);
  const userId = checkId(message.user_id, `${at}.user_id`);
  if (userId) return userId;
  if (type === 'group') {
    const accountId = checkId(message.account_id, `${at}.account_id`);
    if (accountId) return accountId;
  }
  if (type === 'track') {
    if (message.event === undefined) return invalid(`${at}.event is required`);
    if (typeof message.event !== 'string' || message.event.length === 0 || [...message.event].length > 200) {
      return invalid(`${at}.event must be a non-empty string of at most 200 characters`);
    }
  }
  for (const [field, kind] of Object.entries(FIELDS[type]!)) {
    const value = message[field];
    if (value === undefined) continue;
    // The contract: absent fields are omitted, never sent as null.
    if (value === null) return invalid(`${at}.${field} must be omitted rather than null`);
    if (kind === 'string' && typeof value !== 'string') return invalid(`${at}.${field} must be a string`);
    if (kind === 'object' && !isObject(value)) return invalid(`${at}.${field} must be a JSON object`);
  }
  return undefined;
}

function checkId(value: unknown, at: string): Violation | undefined {
  if (value === undefined || value === null) return invalid(`${at} is required`);
  if (typeof value !== 'string' || value.length === 0 || [...value].length > 255) {
    return invalid(`${at} must be a non-empty string of at most 255 characters`);
  }
  return undefined;
}

function isIsoString(value: unknown): boolean {
  return typeof value === 'string' && ISO_UTC_MS.test(value) && !Number.isNaN(Date.parse(value));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): Violation {
  return { status: 400, type: 'invalid_request_error', message };
}
