import type { IncomingMessage } from 'node:http';
import { gunzip, type InputType, type ZlibOptions } from 'node:zlib';
import { MAX_BODY_BYTES } from './contract.js';

/**
 * The most the server reads of one body, raw or decompressed: the contract's limit plus a margin,
 * so a body a little over the limit still gets a 413 that states its exact size. Past it, reading
 * stops: a 300 MB upload or a gzip bomb costs the server at most this much memory.
 */
export const MAX_READ_BYTES = MAX_BODY_BYTES + 64 * 1024;

/** What reading a body came to. */
export type BodyRead =
  /** Read whole: the text, or undefined if it was gzip that did not decompress. */
  | { readonly kind: 'read'; readonly text: string | undefined; readonly bytes: number }
  /** Past {@link MAX_READ_BYTES}, raw or decompressed; the rest is left unread. */
  | { readonly kind: 'too-large' }
  /** The client went away before sending it all. */
  | { readonly kind: 'gone' };

/** Reads and, for `Content-Encoding: gzip`, decompresses the body, stopping at {@link MAX_READ_BYTES}. */
export async function readBody(request: IncomingMessage): Promise<BodyRead> {
  const raw = await readRaw(request);
  if (raw === 'too-large' || raw === 'gone') return { kind: raw };
  if (request.headers['content-encoding'] !== 'gzip') return { kind: 'read', text: raw.toString('utf8'), bytes: raw.byteLength };
  try {
    // maxOutputLength makes zlib stop as soon as the output passes the limit, whatever the ratio.
    const text = (await gunzipLimited(raw, { maxOutputLength: MAX_READ_BYTES })).toString('utf8');
    return { kind: 'read', text, bytes: Buffer.byteLength(text) };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return { kind: 'too-large' };
    return { kind: 'read', text: undefined, bytes: raw.byteLength };
  }
}

function gunzipLimited(raw: InputType, options: ZlibOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => gunzip(raw, options, (error, result) => (error ? reject(error) : resolve(result))));
}

function readRaw(request: IncomingMessage): Promise<Buffer | 'too-large' | 'gone'> {
  const declared = Number(request.headers['content-length']);
  if (declared > MAX_READ_BYTES) return Promise.resolve('too-large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (result: Buffer | 'too-large' | 'gone'): void => {
      request.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.byteLength;
      if (total <= MAX_READ_BYTES) {
        chunks.push(chunk);
        return;
      }
      request.pause();
      finish('too-large');
    };
    const onEnd = (): void => finish(Buffer.concat(chunks));
    // 'close' before 'end' (or an 'error'): the client aborted mid-body.
    const onClose = (): void => finish('gone');
    request.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onClose);
  });
}

/** How long a client that keeps sending past the cap has to read the answer before it is cut off. */
const LINGER_MS = 5000;

/**
 * For a request answered without reading (the rest of) its body: up to {@link MAX_READ_BYTES}
 * more are read and thrown away, then `whenRead` runs (the server ends its response there). Past
 * that, reading stops, and the connection is cut {@link LINGER_MS} later: cutting it at once would
 * reset it while the client may not have read the answer yet.
 */
export function discardBody(request: IncomingMessage, whenRead: () => void): void {
  if (request.complete) return whenRead();
  let discarded = 0;
  let cutting = false;
  request.removeAllListeners('data');
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.byteLength;
    if (discarded <= MAX_READ_BYTES || cutting) return;
    cutting = true;
    request.pause();
    setTimeout(() => request.socket?.destroy(), LINGER_MS).unref();
  });
  request.on('end', whenRead);
  // Without an 'error' listener, a client that aborts would be an uncaught exception.
  request.on('error', () => {});
  request.resume();
}
