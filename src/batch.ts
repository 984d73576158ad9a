/** Pure byte accounting for the contract's limits: one message, and one request body. */

/** The contract's limit for one message serialized as JSON: 32 KB. */
export const MAX_MESSAGE_BYTES = 32_768;
/** The contract's limit for one uncompressed request body: 500 KB. */
export const MAX_BODY_BYTES = 512_000;
/** The body around the messages: `{"batch":[` … `],"sent_at":"<24-char ISO time>"}`. */
export const ENVELOPE_BYTES = '{"batch":[],"sent_at":""}'.length + '2026-11-22T10:15:30.456Z'.length;

/** A request body's UTF-8 size: the envelope, the messages' JSON, and the commas between them. */
export function bodyBytes(messageCount: number, messagesBytes: number): number {
  return ENVELOPE_BYTES + messagesBytes + Math.max(0, messageCount - 1);
}

/** The request body for messages that are already JSON, with a fresh `sent_at` for each attempt. */
export function encodeBody(messagesJson: string, sentAt: string): string {
  return `{"batch":[${messagesJson}],"sent_at":"${sentAt}"}`;
}

/** UTF-8 length of a string, without allocating where `Buffer` exists (Node, Bun). */
export const utf8Bytes: (text: string) => number =
  typeof Buffer === 'function' ? (text) => Buffer.byteLength(text, 'utf8') : (text) => new TextEncoder().encode(text).length;
