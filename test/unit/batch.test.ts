import { describe, expect, it } from 'vitest';
import { bodyBytes, encodeBody, ENVELOPE_BYTES, utf8Bytes } from '../../src/batch.js';

describe('bodyBytes', () => {
  it.each([
    [0, 0, ENVELOPE_BYTES],
    [1, 100, ENVELOPE_BYTES + 100],
    [3, 300, ENVELOPE_BYTES + 302], // two commas
  ])('%i messages of %i bytes make a body of %i bytes', (count, messagesBytes, expected) => {
    expect(bodyBytes(count, messagesBytes)).toBe(expected);
    const messages = Array.from({ length: count }, () => 'x'.repeat(count ? messagesBytes / count : 0));
    expect(utf8Bytes(encodeBody(messages.join(','), '2026-11-22T10:15:30.456Z'))).toBe(expected);
  });
});

describe('encodeBody', () => {
  it('wraps JSON messages in the contract envelope, and the envelope size matches ENVELOPE_BYTES', () => {
    const sentAt = '2026-11-22T10:15:30.456Z';
    const body = encodeBody('{"a":1},{"b":2}', sentAt);
    expect(JSON.parse(body)).toEqual({ batch: [{ a: 1 }, { b: 2 }], sent_at: sentAt });
    expect(encodeBody('', sentAt).length).toBe(ENVELOPE_BYTES);
  });
});

describe('utf8Bytes', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
  ])('%j is %i bytes', (text, bytes) => {
    expect(utf8Bytes(text)).toBe(bytes);
  });
});
