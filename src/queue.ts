import { bodyBytes, MAX_BODY_BYTES } from './batch.js';

/**
 * How many queued messages are joined into one string. A backlog held as one string per message
 * is 100,000 heap objects per 100,000 events: measured on Node 20, a full garbage collection over
 * them took ~30 ms (a stall of the host) against ~4 ms once joined by 64, and the heap was a third
 * larger. Below this many, nothing is joined, so a queue that never backs up pays nothing.
 */
const CHUNK_MESSAGES = 64;

/**
 * Serialized messages waiting to be sent, oldest first, with their UTF-8 sizes, so the memory
 * budget and body packing go by exact bytes without measuring any message twice.
 *
 * Messages arrive one string each; every CHUNK_MESSAGES of them are joined (with the commas of a
 * request body) into one chunk, and cut back out with `slice` when taken, which V8 does without
 * copying. Taking is O(1) per message, amortised.
 */
export class MessageQueue {
  /** Sealed chunks, oldest first; those before #chunkHead are fully taken. */
  #chunks: string[] = [];
  #chunkHead = 0;
  /** Character offset in #chunks[#chunkHead] of its oldest message still queued. */
  #charOffset = 0;
  /** Messages still queued inside sealed chunks. */
  #sealedCount = 0;
  /** The newest messages, not yet joined into a chunk; those before #openHead are taken. */
  #open: string[] = [];
  #openHead = 0;
  /** Per message, oldest first: UTF-8 size and UTF-16 length. Entries before #head are taken. */
  #sizes: number[] = [];
  #lengths: number[] = [];
  #head = 0;
  #bytes = 0;

  get length(): number {
    return this.#sizes.length - this.#head;
  }

  /** UTF-8 bytes of every queued message's JSON. */
  get bytes(): number {
    return this.#bytes;
  }

  push(message: string, sizeBytes: number): void {
    this.#open.push(message);
    this.#sizes.push(sizeBytes);
    this.#lengths.push(message.length);
    this.#bytes += sizeBytes;
    if (this.#open.length - this.#openHead >= CHUNK_MESSAGES) this.#seal();
  }

  /**
   * Removes from the head the messages for one request body of at most `maxBodyBytes` (counting
   * the envelope and the commas) and returns them. Always at least one message when any are
   * queued: every message was checked against the 32 KB message limit when it was created.
   */
  take(maxBodyBytes = MAX_BODY_BYTES): { messages: string[]; bytes: number } {
    const start = this.#head;
    const end = this.#sizes.length;
    const messages: string[] = [];
    let index = start;
    let bytes = 0;
    while (index < end) {
      const size = this.#sizes[index]!;
      if (index > start && bodyBytes(index - start + 1, bytes + size) > maxBodyBytes) break;
      bytes += size;
      messages.push(this.#shift(this.#lengths[index]!));
      index += 1;
    }
    this.#advance(index, bytes);
    return { messages, bytes };
  }

  /** Removes and returns everything queued. */
  takeAll(): { messages: string[]; bytes: number } {
    const messages: string[] = [];
    for (let index = this.#head; index < this.#sizes.length; index += 1) messages.push(this.#shift(this.#lengths[index]!));
    const bytes = this.#bytes;
    this.#advance(this.#sizes.length, bytes);
    return { messages, bytes };
  }

  #seal(): void {
    const run = this.#openHead === 0 ? this.#open : this.#open.slice(this.#openHead);
    this.#chunks.push(run.join(','));
    this.#sealedCount += run.length;
    this.#open = [];
    this.#openHead = 0;
  }

  /** The oldest queued message, of `length` UTF-16 units, removed from its chunk or the open run. */
  #shift(length: number): string {
    if (this.#sealedCount === 0) return this.#open[this.#openHead++]!;
    const chunk = this.#chunks[this.#chunkHead]!;
    const message = chunk.slice(this.#charOffset, this.#charOffset + length);
    this.#sealedCount -= 1;
    // Past the message and the comma after it; past the chunk's end means the chunk is used up.
    this.#charOffset += length + 1;
    if (this.#charOffset > chunk.length) {
      this.#chunks[this.#chunkHead] = '';
      this.#chunkHead += 1;
      this.#charOffset = 0;
    }
    return message;
  }

  #advance(head: number, takenBytes: number): void {
    this.#bytes -= takenBytes;
    this.#head = head;
    // Compacting once the taken part outweighs the rest keeps take() amortised O(1) per message.
    if (this.#head === this.#sizes.length) {
      this.#sizes = [];
      this.#lengths = [];
      this.#head = 0;
      this.#chunks = [];
      this.#chunkHead = 0;
      this.#open = [];
      this.#openHead = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#sizes.length) {
      this.#sizes = this.#sizes.slice(this.#head);
      this.#lengths = this.#lengths.slice(this.#head);
      this.#head = 0;
      this.#chunks = this.#chunks.slice(this.#chunkHead);
      this.#chunkHead = 0;
      this.#open = this.#open.slice(this.#openHead);
      this.#openHead = 0;
    }
  }
}
