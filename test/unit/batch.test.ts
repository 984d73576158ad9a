import { describe, expect, it } from 'vitest';
import { bodyBytes, bodyParts, concatBytes, decodeMessages, ENVELOPE_BYTES, sliceMessages, utf8Bytes, type EncodedMessages } from '../../src/batch.js';

const sentAt = '2026-11-22T10:15:30.456Z';
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Messages encoded as the queue holds them, cut into pieces at the given message indexes. */
function encoded(messages: string[], cuts: number[] = []): EncodedMessages {
  const pieces: Uint8Array[] = [];
  const bounds = [0, ...cuts, messages.length];
  for (let index = 1; index < bounds.length; index += 1) {
    const run = messages.slice(bounds[index - 1], bounds[index]);
    const last = index === bounds.length - 1;
    if (run.length > 0) pieces.push(new TextEncoder().encode(run.join(',') + (last ? '' : ',')));
  }
  const sizes = messages.map(utf8Bytes);
  return { pieces, sizes, bytes: sizes.reduce((sum, size) => sum + size, 0) };
}

describe('bodyBytes', () => {
  it.each([
    [0, 0, ENVELOPE_BYTES],
    [1, 100, ENVELOPE_BYTES + 100],
    [3, 300, ENVELOPE_BYTES + 302], // two commas
  ])('%i messages of %i bytes make a body of %i bytes', (count, messagesBytes, expected) => {
    expect(bodyBytes(count, messagesBytes)).toBe(expected);
    const messages = Array.from({ length: count }, () => 'x'.repeat(count ? messagesBytes / count : 0));
    expect(concatBytes(bodyParts(encoded(messages), sentAt)).length).toBe(expected);
  });
});

describe('bodyParts', () => {
  it.each([
    ['no messages', [], []],
    ['one message', ['{"a":1}'], []],
    ['ASCII messages in one piece', ['{"a":1}', '{"b":2}', '{"c":"x"}'], []],
    ['ASCII messages in three pieces', ['{"a":1}', '{"b":2}', '{"c":"x"}'], [1, 2]],
    ['2-, 3- and 4-byte characters', ['{"t":"é"}', '{"t":"€€"}', '{"t":"😀"}'], [2]],
    ['escapes and separators inside strings', [JSON.stringify({ t: 'a,b"]}\n ' }), '{}'], [1]],
  ])('%s: the contract envelope around the messages, as exact UTF-8', (_name, messages, cuts) => {
    const messagesBytes = messages.reduce((sum, message) => sum + utf8Bytes(message), 0);
    const input = encoded(messages, cuts);
    const parts = bodyParts(input, sentAt);
    const body = concatBytes(parts);
    expect(text(body)).toBe(`{"batch":[${messages.join(',')}],"sent_at":"${sentAt}"}`);
    expect(body.length).toBe(bodyBytes(messages.length, messagesBytes));
    expect(JSON.parse(text(body))).toEqual({ batch: messages.map((message) => JSON.parse(message) as unknown), sent_at: sentAt });
    // The messages go as they are held: the very arrays, not copies.
    expect(parts.slice(1, -1)).toEqual(input.pieces);
    parts.slice(1, -1).forEach((part, index) => expect(part).toBe(input.pieces[index]));
  });

  it('a sent_at of another length (a year past 9999) still makes a whole body', () => {
    const late = new Date(Date.UTC(10_000, 0, 1)).toISOString();
    expect(text(concatBytes(bodyParts(encoded(['{"a":1}']), late)))).toBe(`{"batch":[{"a":1}],"sent_at":"${late}"}`);
  });
});

describe('sliceMessages', () => {
  const messages = ['{"a":1}', '{"t":"é€"}', '{"c":"x,y"}', '{"d":[1,2]}', '{"e":"😀"}'];
  // Every slice of five messages, for pieces cut in several places: a slice may start or end at a
  // piece's edge, or inside a piece.
  it.each([[[]], [[1]], [[2]], [[4]], [[1, 2, 3, 4]], [[2, 3]]])('pieces cut at %j: every slice is those messages, whole', (cuts) => {
    for (let from = 0; from <= messages.length; from += 1) {
      for (let to = from; to <= messages.length; to += 1) {
        const slice = sliceMessages(encoded(messages, cuts), from, to);
        const expected = messages.slice(from, to);
        expect(text(concatBytes(slice.pieces))).toBe(expected.join(','));
        expect(slice.sizes).toEqual(expected.map(utf8Bytes));
        expect(slice.bytes).toBe(utf8Bytes(expected.join('')));
        expect(slice.pieces.every((piece) => piece.length > 0)).toBe(true);
      }
    }
  });
});

describe('decodeMessages', () => {
  it('is the messages joined with commas, across pieces', () => {
    expect(decodeMessages(encoded(['{"a":1}', '{"t":"é"}', '{"c":3}'], [1, 2]))).toBe('{"a":1},{"t":"é"},{"c":3}');
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
