/** Pure byte accounting for the contract's limits: one message, and one request body. */

/** The contract's limit for one message serialized as JSON: 32 KB. */
export const MAX_MESSAGE_BYTES = 32_768;
/** The contract's limit for one uncompressed request body: 500 KB. */
export const MAX_BODY_BYTES = 512_000;
/** The body around the messages: `{"batch":[` … `],"sent_at":"<24-char ISO time>"}`. */
export const ENVELOPE_BYTES = '{"batch":[],"sent_at":""}'.length + '2026-11-22T10:15:30.456Z'.length;

/** Anything with a serialized size. */
export interface Sized {
  readonly bytes: number;
}

/**
 * How many messages from the head of `messages` fit in one body of at most `maxBodyBytes`,
 * counting the envelope and the commas between messages. Always at least one when any are given,
 * since every message was checked against {@link MAX_MESSAGE_BYTES} when it was created.
 */
export function countFitting(messages: ArrayLike<Sized>, maxBodyBytes = MAX_BODY_BYTES): number {
  let usedBytes = ENVELOPE_BYTES - 1; // minus the comma the first message does not need
  let count = 0;
  while (count < messages.length) {
    usedBytes += messages[count]!.bytes + 1;
    if (usedBytes > maxBodyBytes && count > 0) break;
    count += 1;
  }
  return count;
}

/** The request body for messages that are already JSON, with a fresh `sent_at` for each attempt. */
export function encodeBody(messagesJson: string, sentAt: string): string {
  return `{"batch":[${messagesJson}],"sent_at":"${sentAt}"}`;
}

/** UTF-8 length of a string, without allocating where `Buffer` exists (Node, Bun). */
export const utf8Bytes: (text: string) => number =
  typeof Buffer === 'function' ? (text) => Buffer.byteLength(text, 'utf8') : (text) => new TextEncoder().encode(text).length;
