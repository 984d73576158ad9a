import { bodyBytes, MAX_BODY_BYTES, textEncoder, utf8Bytes, type EncodedMessages } from './batch.js';
import { sharedChunkPool, type ChunkPool } from './chunk-pool.js';
import { nextTurn } from './schedule.js';

/**
 * How many bytes of queued messages are encoded together into one chunk. A backlog held as strings
 * lives on the JS heap, where the garbage collector copies and compacts it: with --trace-gc on Node
 * 20, one drain of 100,000 events showed a 24 ms scavenge and a 15 ms mark-compact, each a stall
 * of the host. As bytes it is a few hundred objects over memory the collector never moves, and a
 * 500 KB body is ~8 views into it. Below this, messages wait as strings, so a queue that never
 * backs up encodes each batch once, when it is taken.
 *
 * A run past this size is encoded on the next turn of the event loop, not inside the push that
 * crossed it: the same work, but not on the caller's `track()`, where it cost the 1 call in ~200
 * that crossed it ~40 µs (CPU profile of the bench's call pattern).
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * Past this many bytes in one turn, which only a loop of over a thousand calls queues, the run is
 * encoded at once after all. Waiting for the loop to yield would keep all its strings alive on the
 * heap: the collector would copy them during the loop, and sealing them all in the turn after it
 * would be one long stall (a 100,000-event loop queues ~35 MB). 512 KB, not 1 MB: a loop keeps
 * half the strings alive between seals, and the bench's 1,000-call turns (~370 KB) are still
 * sealed after the turn, not inside `track()`. (The drain after such a loop measured alike with
 * either: worst stall 8.7-14.4 ms against 10.9-16.0 ms, six scratch runs each.)
 */
const SEAL_NOW_BYTES = 512 * 1024;

/**
 * Serialized messages waiting to be sent, oldest first, with their UTF-8 sizes, so the memory
 * budget and body packing go by exact bytes without measuring any message twice.
 *
 * A message pushed without its size counts as its UTF-16 length until it is measured: exact for
 * ASCII, which nearly all JSON is, and never more than the truth (UTF-8 takes 1-3 bytes per
 * unit). Measuring in `push()` put `Buffer.byteLength` on every `track()`, about 0.5 µs of ~3.3
 * (in-process loop of the bench's event); measured when sealed, it is one pass over 64 KB of
 * joined text, and per message only for a run that is not ASCII. `measure()` makes the count exact
 * at once, for the caller's decisions near its limits; `bytesAtMost` bounds it from above.
 *
 * Messages arrive one string each; every CHUNK_BYTES of them (and whatever is left when a batch is
 * taken) are encoded into one chunk, each message followed by a comma, on the turn after they
 * passed CHUNK_BYTES, when a batch is taken, or once a turn queued SEAL_NOW_BYTES, whichever
 * comes first. A batch is views into the chunks, so taking copies nothing, and is O(1) per
 * message, amortised. Chunks come from a pool and go back to it once the API has acknowledged
 * all their messages (`acknowledge`).
 */
export class MessageQueue {
  readonly #pool: ChunkPool;
  readonly #defer: (callback: () => void) => void;
  #sealScheduled = false;
  /** Sealed chunks, oldest first; those before #chunkHead are fully taken. */
  #chunks: Uint8Array[] = [];
  #chunkHead = 0;
  /** Byte offset in #chunks[#chunkHead] of its oldest message still queued. */
  #byteOffset = 0;
  /** The newest messages, not yet encoded, and their UTF-8 bytes (counted as above). */
  #open: string[] = [];
  #openBytes = 0;
  /** How many of #open, from its start, have exact sizes; the rest count their UTF-16 length. */
  #measuredOpen = 0;
  /** The UTF-16 length of the open messages not yet measured. */
  #unmeasuredLength = 0;
  /** Per message, oldest first: UTF-8 size. Entries before #head are taken. */
  #sizes: number[] = [];
  #head = 0;
  #bytes = 0;

  /**
   * `pool` holds the memory chunks are encoded into; `defer` runs a callback on a later turn of
   * the event loop (tests pass their own, to seal at chosen points).
   */
  constructor({ pool = sharedChunkPool, defer = nextTurn }: { pool?: ChunkPool; defer?: (callback: () => void) => void } = {}) {
    this.#pool = pool;
    this.#defer = defer;
  }

  get length(): number {
    return this.#sizes.length - this.#head;
  }

  /** UTF-8 bytes of every queued message's JSON: exact after `measure()`, until then at most `bytesAtMost`. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The most `bytes` can be once measured: each unmeasured UTF-16 unit may take 3 bytes, not 1. */
  get bytesAtMost(): number {
    return this.#bytes + 2 * this.#unmeasuredLength;
  }

  /** Queues a message, of `sizeBytes` UTF-8 bytes if the caller measured it. */
  push(message: string, sizeBytes?: number): void {
    let size: number;
    if (sizeBytes === undefined) {
      size = message.length;
      this.#unmeasuredLength += size;
    } else {
      // Measured messages stay a prefix of #open, so measure() starts where they end.
      this.measure();
      size = sizeBytes;
      this.#measuredOpen += 1;
    }
    this.#open.push(message);
    this.#sizes.push(size);
    this.#openBytes += size;
    this.#bytes += size;
    if (this.#openBytes >= SEAL_NOW_BYTES) this.#seal();
    else if (this.#openBytes >= CHUNK_BYTES && !this.#sealScheduled) {
      this.#sealScheduled = true;
      this.#defer(() => {
        this.#sealScheduled = false;
        this.#seal();
      });
    }
  }

  /**
   * Removes from the head the messages for one request body of at most `maxBodyBytes` (counting
   * the envelope and the commas) and returns them. Always at least one message when any are
   * queued: every message was checked against the 32 KB message limit when it was created.
   */
  take(maxBodyBytes = MAX_BODY_BYTES): EncodedMessages {
    // When the sealed messages alone hold a body's bytes, no open message can join this body: they
    // are left to the seal scheduled for them, on a turn of their own (or to the take that reaches
    // them). After a loop of thousands of calls up to SEAL_NOW_BYTES wait open; sealing them here
    // put 2-4 ms more on the drain's first turn (event-loop fixture).
    if (this.#bytes - this.#openBytes < maxBodyBytes) this.#seal();
    const start = this.#head;
    const end = this.#sizes.length;
    let index = start;
    let bytes = 0;
    while (index < end) {
      const size = this.#sizes[index]!;
      if (index > start && bodyBytes(index - start + 1, bytes + size) > maxBodyBytes) break;
      bytes += size;
      index += 1;
    }
    return this.#takeUntil(index, bytes);
  }

  /** Measures every message pushed without its size, so that `bytes` is exact. */
  measure(): void {
    const open = this.#open;
    const firstSize = this.#sizes.length - open.length;
    for (let index = this.#measuredOpen; index < open.length; index += 1) this.#resize(firstSize + index, open[index]!);
    this.#measuredOpen = open.length;
    this.#unmeasuredLength = 0;
  }

  /** Removes and returns everything queued. */
  takeAll(): EncodedMessages {
    this.#seal();
    return this.#takeUntil(this.#sizes.length, this.#bytes);
  }

  /** The API acknowledged these messages, taken from this queue: their memory may be reused. */
  acknowledge(messages: EncodedMessages): void {
    this.#pool.acknowledge(messages);
  }

  /** Takes the queued messages before index `end`, of `bytes` UTF-8 bytes; all are sealed. */
  #takeUntil(end: number, bytes: number): EncodedMessages {
    const sizes = this.#sizes.slice(this.#head, end);
    const pieces: Uint8Array[] = [];
    let chunk = this.#chunks[this.#chunkHead]!;
    let pieceStart = this.#byteOffset;
    let offset = pieceStart;
    for (const size of sizes) {
      // The message and the comma after it; at the chunk's end, the chunk is used up.
      offset += size + 1;
      if (offset === chunk.length) {
        pieces.push(chunk.subarray(pieceStart));
        this.#chunkHead += 1;
        chunk = this.#chunks[this.#chunkHead]!;
        pieceStart = offset = 0;
      }
    }
    if (offset > pieceStart) pieces.push(chunk.subarray(pieceStart, offset));
    this.#byteOffset = offset;
    // Every message in a chunk is followed by a comma; the batch's last one must not be.
    const last = pieces.length - 1;
    if (last >= 0) pieces[last] = pieces[last]!.subarray(0, pieces[last]!.length - 1);
    this.#advance(end, bytes);
    return { pieces, sizes, bytes };
  }

  /** Encodes every open message, CHUNK_BYTES or a little more to a chunk, the rest into a last one. */
  #seal(): void {
    const open = this.#open;
    if (open.length === 0) return;
    const firstSize = this.#sizes.length - open.length;
    let from = 0;
    let runBytes = 0;
    for (let index = 0; index < open.length; index += 1) {
      runBytes += this.#sizes[firstSize + index]!;
      if (runBytes >= CHUNK_BYTES || index === open.length - 1) {
        this.#chunks.push(this.#encode(open, from, index + 1, runBytes, firstSize + from));
        from = index + 1;
        runBytes = 0;
      }
    }
    this.#open = [];
    this.#openBytes = 0;
    this.#measuredOpen = 0;
    this.#unmeasuredLength = 0;
  }

  /** `open[from..to)`, counted as `runBytes` UTF-8 bytes, as one chunk; `firstSize` indexes `open[from]`'s size. */
  #encode(open: string[], from: number, to: number, runBytes: number, firstSize: number): Uint8Array {
    const run = from === 0 && to === open.length ? open : open.slice(from, to);
    // An empty last entry, so the join puts a comma after every message.
    run.push('');
    const text = run.join(',');
    run.pop();
    const length = utf8Bytes(text);
    // Counted by length, a run that is not ASCII comes up short: only then is each message measured.
    // (This also catches a size given wrongly, which could otherwise cut a message short.)
    if (length !== runBytes + run.length) {
      for (let index = 0; index < run.length; index += 1) this.#resize(firstSize + index, run[index]!);
    }
    const chunk = this.#pool.chunk(length);
    textEncoder().encodeInto(text, chunk);
    return chunk;
  }

  /** Sets the size at `sizeIndex` to `message`'s UTF-8 bytes, and the counts with it. */
  #resize(sizeIndex: number, message: string): void {
    const size = utf8Bytes(message);
    const change = size - this.#sizes[sizeIndex]!;
    this.#sizes[sizeIndex] = size;
    this.#openBytes += change;
    this.#bytes += change;
  }

  #advance(head: number, takenBytes: number): void {
    this.#bytes -= takenBytes;
    this.#head = head;
    // Compacting once the taken part outweighs the rest keeps take() amortised O(1) per message.
    if (this.#head === this.#sizes.length) {
      this.#sizes = [];
      this.#head = 0;
      this.#chunks = [];
      this.#chunkHead = 0;
      this.#byteOffset = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#sizes.length) {
      this.#sizes = this.#sizes.slice(this.#head);
      this.#head = 0;
      this.#chunks = this.#chunks.slice(this.#chunkHead);
      this.#chunkHead = 0;
    }
  }
}
