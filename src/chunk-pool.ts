import type { EncodedMessages } from './batch.js';

/**
 * Chunks are allocated in whole KB, so that a freed chunk fits the next one sealed from messages
 * of the same kind (their lengths differ by a few hundred bytes) at a cost of at most 1.5% unused
 * for a 64 KB chunk. Below 16 KB the step shrinks with the length (a sixteenth of its power of two,
 * 16 bytes at least), so that a batch of one 300-byte message does not hold 1 KB.
 */
const CHUNK_GRANULE_BYTES = 1024;

/** `length` rounded up to its allocation step. */
function capacityFor(length: number): number {
  const granule = Math.min(CHUNK_GRANULE_BYTES, Math.max(16, 2 ** Math.floor(Math.log2(length)) / 16));
  return Math.ceil(length / granule) * granule;
}

/** Free chunks kept for reuse, by all clients together: about 1 MB of 64 KB chunks. */
const MAX_FREE_CHUNKS = 16;

/**
 * The memory the queue encodes messages into, reused once the API has acknowledged every message
 * in a chunk. On Node 20 on a 2-core VM, sealing 64 KB into a fresh array took ~70–140 µs against
 * ~20 µs into one already written: allocating, first touching the pages, and the collections that
 * new external memory sets off. That was once in ~200 `track()` calls of a busy server.
 *
 * A chunk is handed back only when every byte of it was acknowledged, and once a request has been
 * acknowledged no one reads its body any more: a custom `fetch` got a copy, and Node's `fetch`
 * (undici) has read the response to its end, after destroying the socket if the response ended
 * before the body was written. Messages that are given up or dropped are never acknowledged, so
 * their chunks are left to the garbage collector, and a report can still read them.
 */
export class ChunkPool {
  readonly #free: ArrayBuffer[] = [];
  /** Per chunk handed out and not yet free: how many of its bytes are not yet acknowledged. */
  readonly #unacknowledged = new WeakMap<ArrayBuffer, number>();
  /** Batches already acknowledged, so acknowledging one twice cannot free a chunk early. */
  readonly #acknowledged = new WeakSet<EncodedMessages>();
  readonly #maxFreeChunks: number;

  constructor(maxFreeChunks = MAX_FREE_CHUNKS) {
    this.#maxFreeChunks = maxFreeChunks;
  }

  /** Free chunks held for reuse now. */
  get freeChunks(): number {
    return this.#free.length;
  }

  /** An array of `length` bytes to encode messages into; its contents are not zeroed. */
  chunk(length: number): Uint8Array {
    const buffer = this.#takeFree(length) ?? new ArrayBuffer(capacityFor(length));
    this.#unacknowledged.set(buffer, length);
    return new Uint8Array(buffer, 0, length);
  }

  /**
   * The API acknowledged these messages: views into this pool's chunks, each message followed by a
   * comma in its chunk, the last one's comma cut off (the shape `MessageQueue.take()` returns).
   */
  acknowledge(messages: EncodedMessages): void {
    if (this.#acknowledged.has(messages)) return;
    this.#acknowledged.add(messages);
    const last = messages.pieces.length - 1;
    for (let index = 0; index <= last; index += 1) {
      const piece = messages.pieces[index]!;
      const buffer = piece.buffer as ArrayBuffer;
      const unacknowledged = this.#unacknowledged.get(buffer);
      if (unacknowledged === undefined) continue;
      // The comma cut off after the batch's last message is still the chunk's, and acknowledged.
      const left = unacknowledged - piece.length - (index === last ? 1 : 0);
      if (left > 0) {
        this.#unacknowledged.set(buffer, left);
        continue;
      }
      this.#unacknowledged.delete(buffer);
      // Below zero would mean miscounted bytes: that chunk is never reused, rather than reused early.
      if (left === 0 && this.#free.length < this.#maxFreeChunks) this.#free.push(buffer);
    }
  }

  /** The smallest free chunk that holds `length` bytes, removed from the free list. */
  #takeFree(length: number): ArrayBuffer | undefined {
    const free = this.#free;
    let best = -1;
    for (let index = 0; index < free.length; index += 1) {
      const size = free[index]!.byteLength;
      if (size >= length && (best < 0 || size < free[best]!.byteLength)) best = index;
    }
    if (best < 0) return undefined;
    const buffer = free[best]!;
    free[best] = free[free.length - 1]!;
    free.pop();
    return buffer;
  }
}

/** One pool for every client in the process, so that 10,000 clients do not keep 1 MB each. */
export const sharedChunkPool = new ChunkPool();
