import { bodyBytes, MAX_BODY_BYTES } from './batch.js';

/**
 * Serialized messages waiting to be sent, oldest first, with their UTF-8 sizes, so the memory
 * budget and body packing go by exact bytes without measuring any message twice.
 */
export class MessageQueue {
  /** The messages' wire JSON; entries before #head are already taken. */
  #messages: string[] = [];
  /** UTF-8 size of each entry of #messages. */
  #sizes: number[] = [];
  /** Index of the oldest message still queued: taking from the head is O(1) until compaction. */
  #head = 0;
  #bytes = 0;

  get length(): number {
    return this.#messages.length - this.#head;
  }

  /** UTF-8 bytes of every queued message's JSON. */
  get bytes(): number {
    return this.#bytes;
  }

  push(message: string, sizeBytes: number): void {
    this.#messages.push(message);
    this.#sizes.push(sizeBytes);
    this.#bytes += sizeBytes;
  }

  /**
   * Removes from the head the messages for one request body of at most `maxBodyBytes` (counting
   * the envelope and the commas) and returns them. Always at least one message when any are
   * queued: every message was checked against the 32 KB message limit when it was created.
   */
  take(maxBodyBytes = MAX_BODY_BYTES): { messages: string[]; bytes: number } {
    const start = this.#head;
    const end = this.#messages.length;
    let index = start;
    let bytes = 0;
    while (index < end) {
      const size = this.#sizes[index]!;
      if (index > start && bodyBytes(index - start + 1, bytes + size) > maxBodyBytes) break;
      bytes += size;
      index += 1;
    }
    const messages = this.#messages.slice(start, index);
    this.#advance(index, bytes);
    return { messages, bytes };
  }

  /** Removes and returns everything queued. */
  takeAll(): { messages: string[]; bytes: number } {
    const messages = this.#messages.slice(this.#head);
    const bytes = this.#bytes;
    this.#advance(this.#messages.length, bytes);
    return { messages, bytes };
  }

  #advance(head: number, takenBytes: number): void {
    this.#bytes -= takenBytes;
    this.#head = head;
    // Compacting once the taken part outweighs the rest keeps take() amortised O(1) per message.
    if (this.#head === this.#messages.length) {
      this.#messages = [];
      this.#sizes = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#messages.length) {
      this.#messages = this.#messages.slice(this.#head);
      this.#sizes = this.#sizes.slice(this.#head);
      this.#head = 0;
    }
  }
}
