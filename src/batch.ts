/** Pure byte accounting for the contract's limits: one message, and one request body. */

/** The contract's limit for one message serialized as JSON: 32 KB. */
export const MAX_MESSAGE_BYTES = 32_768;
/** The contract's limit for one uncompressed request body: 500 KB. */
export const MAX_BODY_BYTES = 512_000;
/** The body around the messages: `{"batch":[` … `],"sent_at":"<24-char ISO time>"}`. */
export const ENVELOPE_BYTES = '{"batch":[],"sent_at":""}'.length + '2026-11-22T10:15:30.456Z'.length;

/**
 * How many messages from the head of `messages` fit in one body of at most `maxBodyBytes`,
 * counting the envelope and the commas between messages, with each message's size given by
 * `sizeOf`. Always at least one when any are given, since every message was checked against
 * {@link MAX_MESSAGE_BYTES} when it was created.
 */
export function countFitting(messages: ArrayLike<string>, sizeOf: (message: string) => number, maxBodyBytes = MAX_BODY_BYTES): number {
  let usedBytes = ENVELOPE_BYTES - 1; // minus the comma the first message does not need
  let count = 0;
  while (count < messages.length) {
    usedBytes += sizeOf(messages[count]!) + 1;
    if (usedBytes > maxBodyBytes && count > 0) break;
    count += 1;
  }
  return count;
}

/**
 * Removes from the head of `queue` the messages for one body of at most `maxBodyBytes` and returns
 * them joined by commas. Packing goes by string length, which never exceeds the UTF-8 size, so it
 * can only overshoot: one exact measure of the joined text checks it, and only a body of mostly
 * non-ASCII text that overshot is packed again by exact sizes. This keeps byte counting off the
 * per-call path.
 */
export function takeBody(queue: string[], maxBodyBytes = MAX_BODY_BYTES): { json: string; count: number } {
  let count = countFitting(queue, lengthOf, maxBodyBytes);
  let json = queue.slice(0, count).join(',');
  if (ENVELOPE_BYTES + utf8Bytes(json) > maxBodyBytes) {
    count = countFitting(queue, utf8Bytes, maxBodyBytes);
    json = queue.slice(0, count).join(',');
  }
  queue.splice(0, count);
  return { json, count };
}

function lengthOf(text: string): number {
  return text.length;
}

/** The request body for messages that are already JSON, with a fresh `sent_at` for each attempt. */
export function encodeBody(messagesJson: string, sentAt: string): string {
  return `{"batch":[${messagesJson}],"sent_at":"${sentAt}"}`;
}

/** UTF-8 length of a string, without allocating where `Buffer` exists (Node, Bun). */
export const utf8Bytes: (text: string) => number =
  typeof Buffer === 'function' ? (text) => Buffer.byteLength(text, 'utf8') : (text) => new TextEncoder().encode(text).length;
