import { describe, expect, it } from 'vitest';
import { bodyBytes, bodyParts, concatBytes, ENVELOPE_BYTES, MAX_BODY_BYTES, MAX_MESSAGE_BYTES, utf8Bytes, type EncodedMessages } from '../../src/batch.js';
import { ChunkPool } from '../../src/chunk-pool.js';
import { MessageQueue } from '../../src/queue.js';
import { seededRandom } from '../../sim/random.js';

/** Each message's JSON, cut out of the encoded bytes by its size. */
function messagesOf(taken: EncodedMessages): string[] {
  const bytes = concatBytes(taken.pieces);
  const decoder = new TextDecoder();
  const messages: string[] = [];
  let offset = 0;
  for (const size of taken.sizes) {
    messages.push(decoder.decode(bytes.subarray(offset, offset + size)));
    // Past the message and the comma between it and the next.
    offset += size + 1;
  }
  expect(bytes.length).toBe(Math.max(0, offset - 1));
  return messages;
}

function bodyLength(taken: EncodedMessages): number {
  return concatBytes(bodyParts(taken, '2026-11-22T10:15:30.456Z')).length;
}

/** A pool that records the length of every chunk asked of it: one per seal. */
function recordingPool(): { pool: ChunkPool; sealed: number[] } {
  const sealed: number[] = [];
  const pool = new (class extends ChunkPool {
    override chunk(length: number): Uint8Array {
      sealed.push(length);
      return super.chunk(length);
    }
  })();
  return { pool, sealed };
}

/** A queue holding `messages`, each pushed with its size or, `unmeasured`, without (as track() does). */
function queueOf(messages: string[], unmeasured = false): MessageQueue {
  const queue = new MessageQueue();
  for (const message of messages) queue.push(message, unmeasured ? undefined : utf8Bytes(message));
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
    for (const unmeasured of [false, true]) {
      const queue = queueOf([...messages], unmeasured);
      const counts: number[] = [];
      while (queue.length > 0) {
        counts.push(queue.take(maxBodyBytes).sizes.length);
      }
      expect(counts).toEqual(expectedCounts);
      expect(queue.bytes).toBe(0);
    }
  });

  it('counts a message pushed without its size by its length, at most 3 bytes a unit, until measured', () => {
    const queue = new MessageQueue({ defer: () => {} });
    queue.push('ab', 2);
    queue.push('é€', undefined);
    queue.push('cd', undefined);
    // é is 2 bytes and € 3: unmeasured, the two count 4 (their length), and at most 12.
    expect([queue.bytes, queue.bytesAtMost]).toEqual([6, 14]);
    queue.measure();
    expect([queue.bytes, queue.bytesAtMost]).toEqual([9, 9]);
    // A measured push after unmeasured ones, and measuring twice, keep the count exact.
    queue.push('😀', undefined);
    queue.push('x', 1);
    queue.measure();
    expect([queue.bytes, queue.bytesAtMost]).toEqual([14, 14]);
    expect(messagesOf(queue.takeAll())).toEqual(['ab', 'é€', 'cd', '😀', 'x']);
  });

  it('every body of typical events fits the 500 KB limit, packed close to it, in order', () => {
    const messages = Array.from({ length: 5000 }, (_, index) => JSON.stringify({ type: 'track', index, text: 'ü'.repeat(index % 300), pad: 'x'.repeat(index % 700) }));
    const queue = queueOf(messages);
    const taken: string[] = [];
    while (queue.length > 0) {
      const body = queue.take();
      const bytes = bodyLength(body);
      expect(bytes).toBe(bodyBytes(body.sizes.length, body.bytes));
      expect(bytes).toBeLessThanOrEqual(MAX_BODY_BYTES);
      if (queue.length > 0) expect(bytes).toBeGreaterThan(MAX_BODY_BYTES - 2000);
      taken.push(...messagesOf(body));
    }
    expect(taken).toEqual(messages);
  });

  // The cases below were takeBody()'s, before the queue took over packing.
  it('packs 32 KB messages 15 to a 500 KB body, and every body it makes fits', () => {
    const queue = queueOf(Array.from({ length: 40 }, () => 'x'.repeat(MAX_MESSAGE_BYTES)));
    const counts: number[] = [];
    while (queue.length > 0) {
      const taken = queue.take();
      expect(bodyLength(taken)).toBeLessThanOrEqual(MAX_BODY_BYTES);
      counts.push(messagesOf(taken).length);
    }
    expect(counts).toEqual([15, 15, 10]);
  });

  it('measures non-ASCII text in bytes, not string length', () => {
    // 10,000 euro signs: 10,000 UTF-16 units but 30,000 UTF-8 bytes each.
    const queue = queueOf(Array.from({ length: 40 }, () => '€'.repeat(10_000)));
    const counts: number[] = [];
    while (queue.length > 0) {
      const taken = queue.take();
      const messages = messagesOf(taken);
      expect(bodyLength(taken)).toBeLessThanOrEqual(MAX_BODY_BYTES);
      expect(taken.bytes).toBe(utf8Bytes(messages.join('')));
      counts.push(messages.length);
    }
    expect(counts).toEqual([17, 17, 6]);
  });

  // Past 64 KB the queue encodes messages into chunks, and a batch is views into them: the
  // boundaries (a body ending mid-chunk or at a chunk's end, a chunk of one, pushes between takes)
  // are where it could lose, repeat or cut a message. A plain array is the reference.
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('interleaved pushes and takes return every message once, whole and in order (seed %i)', (seed) => {
    const random = seededRandom(seed);
    // Seals deferred to "the next turn" run at random points, between pushes and between takes.
    let deferred: (() => void)[] = [];
    const runDeferred = (): void => {
      const callbacks = deferred;
      deferred = [];
      for (const callback of callbacks) callback();
    };
    const queue = new MessageQueue({ defer: (callback) => deferred.push(callback) });
    const reference: string[] = [];
    const taken: string[] = [];
    let referenceBytes = 0;
    const pieces = ['a', 'é', '€', '😀', '"', ',', '\\u2028', 'x'.repeat(40)];
    let next = 0;
    for (let step = 0; step < 250; step += 1) {
      const pushes = Math.floor(random() * (random() < 0.2 ? 1500 : 40));
      for (let index = 0; index < pushes; index += 1) {
        let text = '';
        const count = Math.floor(random() * 12);
        for (let piece = 0; piece < count; piece += 1) text += pieces[Math.floor(random() * pieces.length)];
        const message = JSON.stringify({ n: next++, text, pad: random() < 0.1 ? 'p'.repeat(Math.floor(random() * 2000)) : '' });
        // Mostly unmeasured, as track() pushes them; measured now and then, as near the budget.
        queue.push(message, random() < 0.2 ? utf8Bytes(message) : undefined);
        reference.push(message);
        referenceBytes += utf8Bytes(message);
        if (random() < 0.01) runDeferred();
      }
      const maxBodyBytes = ENVELOPE_BYTES + Math.floor(random() * (random() < 0.3 ? 200_000 : 4000));
      const takeAll = random() < 0.05;
      const body = takeAll ? queue.takeAll() : queue.take(maxBodyBytes);
      const messages = messagesOf(body);
      const expected = reference.splice(0, messages.length);
      expect(messages).toEqual(expected);
      expect(body.bytes).toBe(expected.reduce((sum, message) => sum + utf8Bytes(message), 0));
      if (!takeAll && reference.length > 0) {
        expect(bodyBytes(messages.length, body.bytes) <= maxBodyBytes || messages.length === 1).toBe(true);
        expect(bodyBytes(messages.length + 1, body.bytes + utf8Bytes(reference[0]!))).toBeGreaterThan(maxBodyBytes);
      }
      expect(queue.length).toBe(reference.length);
      referenceBytes -= body.bytes;
      // Messages still unmeasured count short of their bytes, never over, and within the bound.
      expect(queue.bytes).toBeLessThanOrEqual(referenceBytes);
      expect(queue.bytesAtMost).toBeGreaterThanOrEqual(referenceBytes);
      if (random() < 0.3) {
        queue.measure();
        expect(queue.bytes).toBe(referenceBytes);
      }
      taken.push(...messages);
    }
    taken.push(...messagesOf(queue.takeAll()));
    expect(taken.map((message) => (JSON.parse(message) as { n: number }).n)).toEqual(Array.from({ length: next }, (_, index) => index));
  });

  // Chunks are reused once the API acknowledged every message in them. Reused too early, a batch
  // still waiting (in flight, held for a retry, or about to be reported) would send or report
  // another batch's bytes: every batch not yet acknowledged is checked against its messages after
  // each step, while batches are acknowledged out of order and some are never acknowledged.
  it.each([1, 2, 3, 4, 5, 6])('a chunk is reused only after all its messages are acknowledged, and no waiting batch changes (seed %i)', (seed) => {
    const random = seededRandom(seed);
    let reused = 0;
    const handedOut = new Set<ArrayBufferLike>();
    const pool = new (class extends ChunkPool {
      override chunk(length: number): Uint8Array {
        const chunk = super.chunk(length);
        if (handedOut.has(chunk.buffer)) reused += 1;
        handedOut.add(chunk.buffer);
        return chunk;
      }
    })(4);
    const queue = new MessageQueue({ pool });
    const waiting: { body: EncodedMessages; messages: string[] }[] = [];
    let next = 0;
    for (let step = 0; step < 300; step += 1) {
      const pushes = Math.floor(random() * (random() < 0.3 ? 800 : 60));
      for (let index = 0; index < pushes; index += 1) {
        const message = JSON.stringify({ n: next++, text: 'é'.repeat(Math.floor(random() * 30)), pad: 'x'.repeat(Math.floor(random() * (random() < 0.1 ? 3000 : 300))) });
        queue.push(message, utf8Bytes(message));
      }
      const body = queue.take(ENVELOPE_BYTES + Math.floor(random() * 150_000));
      waiting.push({ body, messages: messagesOf(body) });
      // Acknowledge some waiting batches in any order, give a few up (never acknowledged).
      while (waiting.length > 0 && random() < 0.6) {
        const [done] = waiting.splice(Math.floor(random() * waiting.length), 1);
        if (random() < 0.05) continue;
        expect(messagesOf(done!.body)).toEqual(done!.messages);
        queue.acknowledge(done!.body);
        // Twice must not count twice.
        if (random() < 0.1) queue.acknowledge(done!.body);
      }
      for (const { body: held, messages } of waiting) expect(messagesOf(held)).toEqual(messages);
    }
    // Without reuse this test could not fail.
    expect(reused).toBeGreaterThan(20);
  });

  it('never encodes inside push(): a run past 64 KB is sealed on a later turn, in chunks of 64 KB or a little more', () => {
    const { pool, sealed } = recordingPool();
    const deferred: (() => void)[] = [];
    const queue = new MessageQueue({ pool, defer: (callback) => deferred.push(callback) });
    const messages = Array.from({ length: 200 }, (_, index) => JSON.stringify({ index, pad: 'x'.repeat(980 - String(index).length) }));
    for (const message of messages) queue.push(message, utf8Bytes(message));
    expect([deferred.length, sealed]).toEqual([1, []]);
    deferred[0]!();
    // 66 messages of 999 bytes pass 64 KB: three runs of 66 and a last one of 2, each with its commas.
    expect(sealed).toEqual([66_000, 66_000, 66_000, 2_000]);
    queue.push(messages[0]!, utf8Bytes(messages[0]!));
    expect(messagesOf(queue.takeAll())).toEqual([...messages, messages[0]]);
    expect(sealed.at(-1)).toBe(1_000);
  });

  it('a turn that queues 512 KB (a loop of over a thousand calls) is sealed at once, not all after the loop', () => {
    const { pool, sealed } = recordingPool();
    const queue = new MessageQueue({ pool, defer: () => {} });
    const message = JSON.stringify({ pad: 'x'.repeat(989) });
    for (let index = 0; index < 524; index += 1) queue.push(message, 999);
    expect(sealed).toEqual([]);
    queue.push(message, 999);
    // 525 messages of 999 bytes pass 512 KiB: 7 chunks of 66 and a last one of 63.
    expect(sealed).toEqual([...Array.from({ length: 7 }, () => 66_000), 63_000]);
    expect(queue.takeAll().sizes.length).toBe(525);
  });

  it('take() leaves the open run to its own turn when sealed messages alone fill the body, and seals it when the body reaches it', () => {
    const { pool, sealed } = recordingPool();
    const deferred: (() => void)[] = [];
    const queue = new MessageQueue({ pool, defer: (callback) => deferred.push(callback) });
    const messages = Array.from({ length: 615 }, (_, index) => JSON.stringify({ index, pad: 'x'.repeat(990 - String(index).length) }));
    // 525 KB sealed at once (a loop), then 90 KB open with its seal scheduled.
    for (const message of messages) queue.push(message, 1_000);
    const sealedByLoop = sealed.length;
    expect([sealedByLoop, deferred.length]).toEqual([8, 1]);
    const first = queue.take();
    expect(sealed).toHaveLength(sealedByLoop);
    expect(messagesOf(first)).toEqual(messages.slice(0, first.sizes.length));
    // What is left sealed no longer fills a body: this take seals the open run itself.
    const second = queue.take();
    expect(sealed.length).toBeGreaterThan(sealedByLoop);
    expect(messagesOf(second)).toEqual(messages.slice(first.sizes.length));
    // The scheduled seal then finds nothing open.
    const count = sealed.length;
    deferred[0]!();
    expect([sealed.length, queue.length]).toEqual([count, 0]);
  });

  it('removes exactly what it returns, in order', () => {
    const queue = queueOf(['{"a":1}', '{"b":2}', '{"c":3}']);
    const first = queue.take(ENVELOPE_BYTES + 15);
    expect([messagesOf(first), first.bytes]).toEqual([['{"a":1}', '{"b":2}'], 14]);
    const rest = queue.takeAll();
    expect([messagesOf(rest), rest.bytes]).toEqual([['{"c":3}'], 7]);
    expect(queue.length).toBe(0);
  });

  it('hands out views into the bytes it encoded once, not copies', () => {
    const queue = queueOf(Array.from({ length: 300 }, (_, index) => JSON.stringify({ index, pad: 'x'.repeat(400) })));
    const first = queue.take(20_000);
    const second = queue.take(20_000);
    expect(first.pieces.at(-1)!.buffer).toBe(second.pieces[0]!.buffer);
  });

  it('a size that disagrees with its message cannot cut the message short or miscount the queue', () => {
    const queue = new MessageQueue();
    queue.push('{"t":"é"}', 9); // 10 bytes in UTF-8
    queue.push('{"a":1}', 7);
    expect(queue.bytes).toBe(16);
    const taken = queue.takeAll();
    expect(messagesOf(taken)).toEqual(['{"t":"é"}', '{"a":1}']);
    expect([taken.sizes, taken.bytes, queue.bytes]).toEqual([[10, 7], 17, 0]);
  });
});
