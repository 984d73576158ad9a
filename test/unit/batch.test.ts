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
    expect(encodeBody(messages, messagesBytes, '2026-11-22T10:15:30.456Z').length).toBe(expected);
  });
});

describe('encodeBody', () => {
  const sentAt = '2026-11-22T10:15:30.456Z';
  const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

  it.each([
    ['no messages', []],
    ['one message', ['{"a":1}']],
    ['ASCII messages', ['{"a":1}', '{"b":2}', '{"c":"x"}']],
    ['2-, 3- and 4-byte characters', ['{"t":"é"}', '{"t":"€€"}', '{"t":"😀"}']],
    ['escapes and separators inside strings', [JSON.stringify({ t: 'a,b"]}\n ' })]],
  ])('%s: the contract envelope around the messages, as exact UTF-8', (_name, messages) => {
    const messagesBytes = messages.reduce((sum, message) => sum + utf8Bytes(message), 0);
    const body = encodeBody(messages, messagesBytes, sentAt);
    expect(text(body)).toBe(`{"batch":[${messages.join(',')}],"sent_at":"${sentAt}"}`);
    expect(body.length).toBe(bodyBytes(messages.length, messagesBytes));
    expect(JSON.parse(text(body))).toEqual({ batch: messages.map((message) => JSON.parse(message) as unknown), sent_at: sentAt });
  });

  it('a sent_at of another length (a year past 9999) still makes a whole body', () => {
    const late = new Date(Date.UTC(10_000, 0, 1)).toISOString();
    expect(text(encodeBody(['{"a":1}'], 7, late))).toBe(`{"batch":[{"a":1}],"sent_at":"${late}"}`);
  });

  it.each([
    ['too small', 5],
    ['too large', 9],
  ])('a messages size that is %s cannot cut or pad the body', (_name, wrongBytes) => {
    expect(text(encodeBody(['{"a":1}'], wrongBytes, sentAt))).toBe(`{"batch":[{"a":1}],"sent_at":"${sentAt}"}`);
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
