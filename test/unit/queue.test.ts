import { describe, expect, it } from 'vitest';
import { bodyBytes, encodeBody, ENVELOPE_BYTES, MAX_BODY_BYTES, MAX_MESSAGE_BYTES, utf8Bytes } from '../../src/batch.js';
import { MessageQueue } from '../../src/queue.js';
import { seededRandom } from '../../sim/random.js';

function queueOf(messages: string[]): MessageQueue {
  const queue = new MessageQueue();
  for (const message of messages) queue.push(message, utf8Bytes(message));
  return queue;
}

describe('MessageQueue', () => {
  it.each([
    ['nothing queued', [], 1000, []],
    ['everything fits', ['a', 'b', 'c'], 1000, [3]],
    // envelope + 3×100 + 2 commas = ENVELOPE + 302
    ['exactly at the limit', ['x'.repeat(100), 'x'.repeat(100), 'x'.repeat(100)], ENVELOPE_BYTES + 302, [3]],
    ['one byte over the limit', ['x'.repeat(100), 'x'.repeat(100), 'x'.repeat(100)], ENVELOPE_BYTES + 301, [2, 1]],
    ['a first message alone may not fit, but it always goes', ['x'.repeat(5000), 'y'], 100, [1, 1]],
    ['counts UTF-8 bytes, not characters', ['é'.repeat(50), 'é'.repeat(50)], ENVELOPE_BYTES + 150, [1, 1]],
  ] as const)('%s', (_name, messages, maxBodyBytes, expectedCounts) => {
    const queue = queueOf([...messages]);
    const counts: number[] = [];
    while (queue.length > 0) {
      const { messages: taken } = queue.take(maxBodyBytes);
      counts.push(taken.length);
    }
    expect(counts).toEqual(expectedCounts);
    expect(queue.bytes).toBe(0);
  });

  it('every body of typical events fits the 500 KB limit, packed close to it, in order', () => {
    const messages = Array.from({ length: 5000 }, (_, index) => JSON.stringify({ type: 'track', index, text: 'ü'.repeat(index % 300), pad: 'x'.repeat(index % 700) }));
    const queue = queueOf(messages);
    const taken: string[] = [];
    while (queue.length > 0) {
      const body = queue.take();
      const bytes = encodeBody(body.messages, body.bytes, '2026-11-22T10:15:30.456Z').length;
      expect(bytes).toBeLessThanOrEqual(MAX_BODY_BYTES);
      if (queue.length > 0) expect(bytes).toBeGreaterThan(MAX_BODY_BYTES - 2000);
      taken.push(...body.messages);
    }
    expect(taken).toEqual(messages);
  });

  // The cases below were takeBody()'s, before the queue took over packing.
  it('packs 32 KB messages 15 to a 500 KB body, and every body it makes fits', () => {
    const queue = queueOf(Array.from({ length: 40 }, () => 'x'.repeat(MAX_MESSAGE_BYTES)));
    const counts: number[] = [];
    while (queue.length > 0) {
      const { messages } = queue.take();
      expect(ENVELOPE_BYTES + utf8Bytes(messages.join(','))).toBeLessThanOrEqual(MAX_BODY_BYTES);
      counts.push(messages.length);
    }
    expect(counts).toEqual([15, 15, 10]);
  });

  it('measures non-ASCII text in bytes, not string length', () => {
    // 10,000 euro signs: 10,000 UTF-16 units but 30,000 UTF-8 bytes each.
    const queue = queueOf(Array.from({ length: 40 }, () => '€'.repeat(10_000)));
    const counts: number[] = [];
    while (queue.length > 0) {
      const { messages, bytes } = queue.take();
      expect(ENVELOPE_BYTES + utf8Bytes(messages.join(','))).toBeLessThanOrEqual(MAX_BODY_BYTES);
      expect(bytes).toBe(utf8Bytes(messages.join('')));
      counts.push(messages.length);
    }
    expect(counts).toEqual([17, 17, 6]);
  });

  // Past 64 messages the queue joins them into chunks and slices them back out when taken: the
  // boundaries (a body ending mid-chunk, a chunk of one, pushes between takes) are where it could
  // lose, repeat or cut a message. A plain array is the reference.
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('interleaved pushes and takes return every message once, whole and in order (seed %i)', (seed) => {
    const random = seededRandom(seed);
    const queue = new MessageQueue();
    const reference: string[] = [];
    const taken: string[] = [];
    const pieces = ['a', 'é', '€', '😀', '"', ',', '\\u2028', 'x'.repeat(40)];
    let next = 0;
    for (let step = 0; step < 400; step += 1) {
      const pushes = Math.floor(random() * (random() < 0.2 ? 300 : 40));
      for (let index = 0; index < pushes; index += 1) {
        let text = '';
        const count = Math.floor(random() * 12);
        for (let piece = 0; piece < count; piece += 1) text += pieces[Math.floor(random() * pieces.length)];
        const message = JSON.stringify({ n: next++, text });
        queue.push(message, utf8Bytes(message));
        reference.push(message);
      }
      const maxBodyBytes = ENVELOPE_BYTES + Math.floor(random() * 4000);
      const takeAll = random() < 0.05;
      const body = takeAll ? queue.takeAll() : queue.take(maxBodyBytes);
      const expected = reference.splice(0, body.messages.length);
      expect(body.messages).toEqual(expected);
      expect(body.bytes).toBe(expected.reduce((sum, message) => sum + utf8Bytes(message), 0));
      if (!takeAll && reference.length > 0) {
        expect(bodyBytes(body.messages.length, body.bytes) <= maxBodyBytes || body.messages.length === 1).toBe(true);
        expect(bodyBytes(body.messages.length + 1, body.bytes + utf8Bytes(reference[0]!))).toBeGreaterThan(maxBodyBytes);
      }
      expect(queue.length).toBe(reference.length);
      expect(queue.bytes).toBe(reference.reduce((sum, message) => sum + utf8Bytes(message), 0));
      taken.push(...body.messages);
    }
    taken.push(...queue.takeAll().messages);
    expect(taken.map((message) => (JSON.parse(message) as { n: number }).n)).toEqual(Array.from({ length: next }, (_, index) => index));
  });

  it('removes exactly what it returns, in order', () => {
    const queue = queueOf(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(queue.take(ENVELOPE_BYTES + 15)).toEqual({ messages: ['{"a":1}', '{"b":2}'], bytes: 14 });
    expect(queue.takeAll()).toEqual({ messages: ['{"c":3}'], bytes: 7 });
    expect(queue.length).toBe(0);
  });
});
