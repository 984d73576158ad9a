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

/**
 * Made on first use, not at import. On Node 20 the process's first TextDecoder takes ~0.18 ms
 * (its ICU converter) and first TextEncoder ~0.07 ms: made at import, they cost the CommonJS
 * import ~0.2 ms (the ES module loader has made a decoder of its own by then). Only reports
 * decode, so most processes never make the decoder.
 */
let encoder: InstanceType<typeof TextEncoder> | undefined;
let decoder: InstanceType<typeof TextDecoder> | undefined;

/** The one TextEncoder the SDK's modules share. */
export function textEncoder(): InstanceType<typeof TextEncoder> {
  return (encoder ??= new TextEncoder());
}

/**
 * Messages as UTF-8 JSON, held outside the JS heap: `pieces`, concatenated, are the messages
 * joined with commas. `sizes` has each message's UTF-8 size, in order, and `bytes` their sum.
 */
export interface EncodedMessages {
  readonly pieces: readonly Uint8Array[];
  readonly sizes: readonly number[];
  readonly bytes: number;
}

let bodyPrefix: Uint8Array | undefined;

/**
 * The request body for encoded messages, with a fresh `sent_at` for each attempt, as parts to send
 * in order: the envelope around the messages' own bytes, shared, not copied. The messages were
 * encoded once, when queued, so sending never encodes ~1,500 strings per 500 KB body again.
 */
export function bodyParts(messages: EncodedMessages, sentAt: string): Uint8Array[] {
  const utf8 = textEncoder();
  bodyPrefix ??= utf8.encode('{"batch":[');
  return [bodyPrefix, ...messages.pieces, utf8.encode(`],"sent_at":"${sentAt}"}`)];
}

/** `parts` copied into one array, for a `fetch` that is handed the body as bytes. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(byteLength(parts));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** The total length of `parts`, in bytes. */
export function byteLength(parts: readonly Uint8Array[]): number {
  let length = 0;
  for (const part of parts) length += part.length;
  return length;
}

/** The messages `from` (inclusive) to `to` (exclusive), sharing the bytes of `messages`. */
export function sliceMessages(messages: EncodedMessages, from: number, to: number): EncodedMessages {
  const sizes = messages.sizes.slice(from, to);
  let fromByte = 0;
  for (let index = 0; index < from; index += 1) fromByte += messages.sizes[index]! + 1;
  let bytes = 0;
  for (const size of sizes) bytes += size;
  const toByte = fromByte + bytes + Math.max(0, sizes.length - 1);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const piece of messages.pieces) {
    const end = start + piece.length;
    const first = Math.max(fromByte, start);
    const last = Math.min(toByte, end);
    if (first < last) pieces.push(piece.subarray(first - start, last - start));
    start = end;
  }
  return { pieces, sizes, bytes };
}

/** The messages' JSON, joined with commas: for reports, never for sending. */
export function decodeMessages(messages: EncodedMessages): string {
  decoder ??= new TextDecoder();
  return decoder.decode(concatBytes(messages.pieces));
}

/** UTF-8 length of a string, without allocating where `Buffer` exists (Node, Bun). */
export const utf8Bytes: (text: string) => number =
  typeof Buffer === 'function' ? (text) => Buffer.byteLength(text, 'utf8') : (text) => textEncoder().encode(text).length;
