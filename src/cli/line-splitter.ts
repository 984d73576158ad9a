/**
 * Splits a byte stream into lines (`\n`, with a `\r` before it dropped), holding at most one
 * partial line between chunks. A line longer than `maxLineBytes` is not held whole: it comes out
 * as {@link TOO_LONG}, so one enormous line cannot exhaust memory.
 */
export const TOO_LONG = Symbol('line too long');

export class LineSplitter {
  /** The longest line kept, in bytes. */
  readonly #maxLineBytes: number;
  /** The start of a line whose end has not arrived yet. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** The current line passed the limit: its bytes are skipped up to the next newline. */
  #skipping = false;

  constructor(maxLineBytes: number) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** The lines `chunk` completes, in order. */
  push(chunk: Buffer): Array<string | typeof TOO_LONG> {
    const lines: Array<string | typeof TOO_LONG> = [];
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      lines.push(this.#finish(chunk.subarray(start, end)));
      start = end + 1;
    }
    if (start < chunk.length) this.#hold(chunk.subarray(start));
    return lines;
  }

  /** The last line, when the input did not end with a newline. */
  end(): string | typeof TOO_LONG | undefined {
    if (this.#pendingBytes === 0 && !this.#skipping) return undefined;
    return this.#finish(Buffer.alloc(0));
  }

  #hold(part: Buffer): void {
    if (this.#skipping) return;
    this.#pendingBytes += part.length;
    if (this.#pendingBytes > this.#maxLineBytes) {
      this.#skipping = true;
      this.#pending = [];
      return;
    }
    // A copy: the chunk's memory is the stream's, and holding a slice would pin all of it.
    this.#pending.push(Buffer.from(part));
  }

  #finish(tail: Buffer): string | typeof TOO_LONG {
    const skipped = this.#skipping || this.#pendingBytes + tail.length > this.#maxLineBytes;
    const line = skipped ? TOO_LONG : this.#pending.length === 0 ? tail.toString('utf8') : Buffer.concat([...this.#pending, tail]).toString('utf8');
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#skipping = false;
    if (typeof line === 'string' && line.endsWith('\r')) return line.slice(0, -1);
    return line;
  }
}
