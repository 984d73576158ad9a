/** Error bodies are read up to this size; a 10 MB error page must not be buffered whole. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** The parts of a fetch Response body the SDK can use; fetch implementations offer different ones. */
interface BodyLike {
  getReader?: () => ReadableStreamDefaultReader<Uint8Array>;
  [Symbol.asyncIterator]?: () => AsyncIterator<Uint8Array | string>;
}

/**
 * Reads at most {@link MAX_RESPONSE_BYTES} and parses JSON when it is JSON; undefined for an empty
 * body. Accepts any fetch-like response: a WHATWG stream (`getReader`, global fetch, Bun, Deno),
 * an async-iterable Node stream (node-fetch v2, still common behind proxies), or only `text()`.
 */
export async function readBoundedBody(response: Response): Promise<unknown> {
  const body = response.body as BodyLike | null | undefined;
  let text: string | undefined;
  let truncated = false;
  if (body && typeof body.getReader === 'function') {
    ({ text, truncated } = await readChunks(readerChunks(body.getReader())));
  } else if (body && typeof body[Symbol.asyncIterator] === 'function') {
    ({ text, truncated } = await readChunks(body as AsyncIterable<Uint8Array | string>));
  } else if (typeof response.text === 'function') {
    const whole = await response.text();
    truncated = whole.length > MAX_RESPONSE_BYTES;
    text = truncated ? whole.slice(0, MAX_RESPONSE_BYTES) : whole;
  }
  if (!text) return undefined;
  if (truncated) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function* readerChunks(reader: ReadableStreamDefaultReader<Uint8Array>): AsyncGenerator<Uint8Array> {
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Stopped early (too large): cancelling frees the connection; its own failure is of no interest.
    if (!finished) reader.cancel().catch(() => {});
  }
}

async function readChunks(chunks: AsyncIterable<Uint8Array | string>): Promise<{ text: string; truncated: boolean }> {
  const parts: Uint8Array[] = [];
  let receivedBytes = 0;
  let truncated = false;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    parts.push(bytes);
    receivedBytes += bytes.byteLength;
    if (receivedBytes > MAX_RESPONSE_BYTES) {
      truncated = true;
      // Leaving the loop returns the iterator: a Node stream is destroyed, a reader cancelled.
      break;
    }
  }
  const joined = concat(parts, Math.min(receivedBytes, MAX_RESPONSE_BYTES));
  return { text: new TextDecoder().decode(joined), truncated };
}

function concat(chunks: Uint8Array[], lengthBytes: number): Uint8Array {
  const joined = new Uint8Array(lengthBytes);
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, lengthBytes - offset);
    joined.set(part, offset);
    offset += part.byteLength;
    if (offset >= lengthBytes) break;
  }
  return joined;
}
