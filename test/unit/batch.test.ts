import { describe, expect, it } from 'vitest';
import { countFitting, encodeBody, ENVELOPE_BYTES, MAX_BODY_BYTES, MAX_MESSAGE_BYTES, utf8Bytes } from '../../src/batch.js';

const sized = (...sizes: number[]) => sizes.map((bytes) => ({ bytes }));

describe('countFitting', () => {
  it.each([
    ['nothing queued', sized(), 1000, 0],
    ['one small message', sized(10), 1000, 1],
    ['everything fits', sized(10, 10, 10), 1000, 3],
    // envelope + 3×100 + 2 commas = ENVELOPE + 302
    ['exactly at the limit', sized(100, 100, 100), ENVELOPE_BYTES + 302, 3],
    ['one byte over the limit', sized(100, 100, 100), ENVELOPE_BYTES + 301, 2],
    ['a first message alone may not exceed, but it always goes', sized(5000, 1), 100, 1],
  ])('%s', (_name, messages, maxBodyBytes, expected) => {
    expect(countFitting(messages, maxBodyBytes)).toBe(expected);
  });

  it('packs 32 KB messages 15 to a 500 KB body, and every body it makes fits', () => {
    const messages = sized(...Array.from({ length: 40 }, () => MAX_MESSAGE_BYTES));
    const counts: number[] = [];
    for (let start = 0; start < messages.length; ) {
      const count = countFitting(messages.slice(start));
      const bodyBytes = ENVELOPE_BYTES + count * MAX_MESSAGE_BYTES + (count - 1);
      expect(bodyBytes).toBeLessThanOrEqual(MAX_BODY_BYTES);
      counts.push(count);
      start += count;
    }
    expect(counts).toEqual([15, 15, 10]);
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
