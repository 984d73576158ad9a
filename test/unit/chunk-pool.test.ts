import { describe, expect, it } from 'vitest';
import { utf8Bytes } from '../../src/batch.js';
import { ChunkPool } from '../../src/chunk-pool.js';
import { MessageQueue } from '../../src/queue.js';

/** A queue on its own pool, holding `count` messages of 1,000 bytes: one chunk, sealed at the first take. */
function queueOf(count: number, maxFreeChunks = 16): { pool: ChunkPool; queue: MessageQueue } {
  const pool = new ChunkPool(maxFreeChunks);
  const queue = new MessageQueue({ pool });
  for (let index = 0; index < count; index += 1) {
    const message = JSON.stringify({ n: index, pad: 'x'.repeat(1000 - 18 - String(index).length) });
    queue.push(message, utf8Bytes(message));
  }
  return { pool, queue };
}

/** Takes one message at a time. */
const oneMessage = 1100;

describe('ChunkPool', () => {
  it('frees a chunk once every message in it is acknowledged, not before, and hands it out again', () => {
    const { pool, queue } = queueOf(3);
    const batches = [queue.take(oneMessage), queue.take(oneMessage), queue.take(oneMessage)];
    expect(batches.map((batch) => batch.sizes.length)).toEqual([1, 1, 1]);
    queue.acknowledge(batches[2]!);
    queue.acknowledge(batches[0]!);
    expect(pool.freeChunks).toBe(0);
    queue.acknowledge(batches[1]!);
    expect(pool.freeChunks).toBe(1);
    expect(pool.chunk(500).buffer).toBe(batches[0]!.pieces[0]!.buffer);
    expect(pool.freeChunks).toBe(0);
  });

  it('frees every chunk a batch spans, the ones it ends inside and the ones it uses up', () => {
    // 66 messages fill the first chunk past 64 KB; the last 4 are sealed into a second one.
    const { pool, queue } = queueOf(70);
    const batch = queue.takeAll();
    expect(batch.pieces.length).toBe(2);
    queue.acknowledge(batch);
    expect(pool.freeChunks).toBe(2);
  });

  it('acknowledging the same batch twice counts once', () => {
    const { pool, queue } = queueOf(2);
    const first = queue.take(oneMessage);
    queue.take(oneMessage);
    queue.acknowledge(first);
    queue.acknowledge(first);
    expect(pool.freeChunks).toBe(0);
  });

  it('never frees a chunk holding a message that was not acknowledged (given up, reported)', () => {
    const { pool, queue } = queueOf(3);
    const all = queue.takeAll();
    expect(all.sizes.length).toBe(3);
    expect(pool.freeChunks).toBe(0);
    const { pool: other, queue: second } = queueOf(3);
    second.acknowledge(second.take(oneMessage * 2));
    expect(other.freeChunks).toBe(0);
  });

  it('counts the halves of a split batch (a 413) as the whole', async () => {
    const { sliceMessages } = await import('../../src/batch.js');
    const { pool, queue } = queueOf(5);
    const whole = queue.takeAll();
    queue.acknowledge(sliceMessages(whole, 0, 2));
    expect(pool.freeChunks).toBe(0);
    queue.acknowledge(sliceMessages(whole, 2, 5));
    expect(pool.freeChunks).toBe(1);
  });

  it('keeps at most its limit of free chunks', () => {
    const pool = new ChunkPool(2);
    const queues = Array.from({ length: 3 }, () => {
      const queue = new MessageQueue({ pool });
      queue.push('{"a":1}', 7);
      return queue;
    });
    const batches = queues.map((queue) => queue.takeAll());
    queues.forEach((queue, index) => queue.acknowledge(batches[index]!));
    expect(pool.freeChunks).toBe(2);
  });

  it('hands out the smallest free chunk that fits, and a new one, a little larger, when none fits', () => {
    const pool = new ChunkPool();
    const small = new MessageQueue({ pool });
    small.push('"' + 'a'.repeat(1500) + '"', 1502);
    const large = new MessageQueue({ pool });
    large.push('"' + 'b'.repeat(5000) + '"', 5002);
    const smallBatch = small.takeAll();
    const largeBatch = large.takeAll();
    // 1,503 and 5,003 bytes with their commas, rounded up to a sixteenth of 1,024 and of 4,096.
    expect([smallBatch.pieces[0]!.buffer.byteLength, largeBatch.pieces[0]!.buffer.byteLength]).toEqual([1536, 5120]);
    small.acknowledge(smallBatch);
    large.acknowledge(largeBatch);
    expect(pool.chunk(1000).buffer).toBe(smallBatch.pieces[0]!.buffer);
    expect(pool.chunk(7000).buffer.byteLength).toBe(7168);
    expect(pool.chunk(3000).buffer).toBe(largeBatch.pieces[0]!.buffer);
    // The free list is empty now. Whole KB from 16 KB up; 16 bytes at least.
    expect([pool.chunk(66_001).buffer.byteLength, pool.chunk(300).buffer.byteLength, pool.chunk(5).buffer.byteLength]).toEqual([66_560, 304, 16]);
  });

  it('a reused chunk holds exactly the new messages, whatever was there before', () => {
    const pool = new ChunkPool();
    const queue = new MessageQueue({ pool });
    queue.push(JSON.stringify('z'.repeat(900)), 902);
    queue.acknowledge(queue.takeAll());
    queue.push('{"a":1}', 7);
    queue.push('{"b":2}', 7);
    const batch = queue.takeAll();
    expect(new TextDecoder().decode(batch.pieces[0]!)).toBe('{"a":1},{"b":2}');
  });
});
