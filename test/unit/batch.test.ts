import { describe, expect, it } from 'vitest';
import { countFitting, encodeBody, ENVELOPE_BYTES, MAX_BODY_BYTES, MAX_MESSAGE_BYTES, takeBody, utf8Bytes } from '../../src/batch.js';

const ofLength = (...lengths: number[]) => lengths.map((length) => 'x'.repeat(length));
const lengthOf = (text: string) => text.length;

describe('countFitting', () => {
  it.each([
    ['nothing queued', ofLength(), 1000, 0],
    ['one small message', ofLength(10), 1000, 1],
    ['everything fits', ofLength(10, 10, 10), 1000, 3],
    // envelope + 3×100 + 2 commas = ENVELOPE + 302
    ['exactly at the limit', ofLength(100, 100, 100), ENVELOPE_BYTES + 302, 3],
    ['one byte over the limit', ofLength(100, 100, 100), ENVELOPE_BYTES + 301, 2],
    ['a first message alone may not exceed, but it always goes', ofLength(5000, 1), 100, 1],
  ])('%s', (_name, messages, maxBodyBytes, expected) => {
    expect(countFitting(messages, lengthOf, maxBodyBytes)).toBe(expected);
  });
});

describe('takeBody', () => {
  it('packs 32 KB messages 15 to a 500 KB body, and every body it makes fits', () => {
    const queue = Array.from({ length: 40 }, () => 'x'.repeat(MAX_MESSAGE_BYTES));
    const counts: number[] = [];
    while (queue.length > 0) {
      const { json, count } = takeBody(queue);
      expect(ENVELOPE_BYTES + utf8Bytes(json)).toBeLessThanOrEqual(MAX_BODY_BYTES);
      counts.push(count);
    }
    expect(counts).toEqual([15, 15, 10]);
  });

  it('measures non-ASCII text in bytes, not string length', () => {
    // 10,000 euro signs: 10,000 UTF-16 units but 30,000 UTF-8 bytes each.
    const queue = Array.from({ length: 40 }, () => '€'.repeat(10_000));
    const counts: number[] = [];
    while (queue.length > 0) {
      const { json, count } = takeBody(queue);
      expect(ENVELOPE_BYTES + utf8Bytes(json)).toBeLessThanOrEqual(MAX_BODY_BYTES);
      expect(json.split(',')).toHaveLength(count);
      counts.push(count);
    }
    expect(counts).toEqual([17, 17, 6]);
  });

  it('removes exactly what it returns from the queue, in order', () => {
    const queue = ['{"a":1}', '{"b":2}', '{"c":3}'];
    expect(takeBody(queue, ENVELOPE_BYTES + 15)).toEqual({ json: '{"a":1},{"b":2}', count: 2 });
    expect(queue).toEqual(['{"c":3}']);
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
