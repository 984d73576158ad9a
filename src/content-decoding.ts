import type { IncomingMessage } from 'node:http';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

// Truncated compressed bodies give what they hold instead of an error, as undici's fetch reads them.
const ZLIB_OPTIONS = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
const BROTLI_OPTIONS = { flush: constants.BROTLI_OPERATION_FLUSH, finishFlush: constants.BROTLI_OPERATION_FLUSH };

/**
 * `deflate` is meant to be zlib-wrapped, but some servers send raw deflate. Like fetch, this looks
 * at the first byte: a zlib header has compression method 8 in its low four bits.
 *
 * The inner decoder is paused whenever this stream's reader is behind, so that it stops mid-chunk
 * as zlib's own streams do: one 64 KB chunk of a deflate bomb inflates to some 64 MB.
 */
class AnyInflate extends Transform {
  #inner: Transform | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.#inner) {
      const inner = (chunk[0]! & 0x0f) === 0x08 ? createInflate(ZLIB_OPTIONS) : createInflateRaw(ZLIB_OPTIONS);
      inner.on('data', (data: Buffer) => {
        if (!this.push(data)) inner.pause();
      });
      inner.on('error', (error) => this.destroy(error));
      this.#inner = inner;
    }
    this.#inner.write(chunk, callback);
  }

  override _read(size: number): void {
    this.#inner?.resume();
    super._read(size);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.#inner) {
      callback();
      return;
    }
    this.#inner.once('end', () => callback());
    this.#inner.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#inner?.destroy();
    callback(error);
  }
}

function decoderFor(coding: string): Transform | undefined {
  if (coding === 'gzip' || coding === 'x-gzip') return createGunzip(ZLIB_OPTIONS);
  if (coding === 'deflate') return new AnyInflate();
  if (coding === 'br') return createBrotliDecompress(BROTLI_OPTIONS);
  return undefined;
}

const MAX_CODINGS = 5;

/**
 * The response body with its `Content-Encoding` undone, as fetch hands it over: gzip, deflate and
 * br, stacked codings undone last first. If any coding is one fetch does not know (`identity`
 * included), the body is left as it came, also as fetch does. The header itself is kept. More
 * than five codings throw, which fails the request.
 *
 * The SDK never asks for compression; this is for a proxy that compresses anyway, whose error
 * bodies would otherwise reach onError as unreadable bytes.
 */
export function decodedBody(incoming: IncomingMessage): Readable {
  const header = incoming.headers['content-encoding'];
  if (!header) return incoming;
  const codings = header.toLowerCase().split(',');
  // A chain of hundreds of decoders costs memory and CPU for nothing; fetch refuses more than five
  // (empty entries counted), and so the request fails here as it does there.
  if (codings.length > MAX_CODINGS) throw new Error(`too many content-encodings in response: ${codings.length}, maximum allowed is ${MAX_CODINGS}`);
  const decoders: Transform[] = [];
  for (const coding of codings.reverse()) {
    const decoder = decoderFor(coding.trim());
    if (!decoder) return incoming;
    decoders.push(decoder);
  }
  // pipeline() destroys every stage when one fails or the last is destroyed (a cancelled read), and
  // the last stage's 'error' carries the failure to the reader. Its callback only keeps an error
  // from going unhandled.
  pipeline([incoming, ...decoders], () => {});
  return decoders[decoders.length - 1]!;
}
