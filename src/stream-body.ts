/**
 * Whether `fetch` is Node's own (undici), which alone gets the body as a stream. Measured on Node
 * 20, undici copies a byte body twice in the turn that sends it: once to take it, and once to tee
 * the request, which it clones because redirects are not followed. A stream it takes as it is,
 * and a default (not byte) stream it tees without copying. Measured before the queue held bytes,
 * for 500 KB bodies on 2 cores: draining a 100,000-event backlog stalled the host's event loop for
 * p99 14–24 ms with bytes against 10–17 ms as a stream, and `npm run bench` peaked at 141–142 MB
 * against 128 MB. Other runtimes and any custom `fetch` get the bytes.
 */
export function isNodeFetch(fetchImpl: unknown): boolean {
  return fetchImpl !== undefined && fetchImpl === NODE_FETCH && takesStreams;
}

/**
 * Cleared when "Node's fetch" refused a stream body before sending it: a wrapper installed before
 * the SDK loaded (tracing, logging, a test helper) that rebuilds `init` without `duplex`. It then
 * gets bytes, as any custom `fetch` does, for the rest of the process.
 */
let takesStreams = true;

/** Sends bytes, not streams, to the global fetch from now on (see {@link isNodeFetch}). */
export function refuseStreams(): void {
  takesStreams = false;
}

/**
 * Node's built-in fetch as it stood when the SDK loaded (reading it does not load undici), so a
 * `fetch` swapped into the global later, a test double say, still gets plain bytes. One swapped in
 * before the SDK loads is taken for Node's; `letterapp/node-http` reads stream bodies too.
 */
const NODE_FETCH =
  typeof process === 'object' && typeof (process as { versions?: { undici?: unknown } }).versions?.undici === 'string'
    ? globalThis.fetch
    : undefined;

/**
 * The body's parts as one stream, shared, not copied: copying a 500 KB body into one fresh array
 * cost ~0.7 ms a request on Node 20, most of it allocating the array and first writing its pages.
 * The caller sends `content-length` itself, so the request on the wire is the same, not chunked.
 */
export function streamBody(parts: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // A default stream, not a byte stream: enqueueing into a byte stream would detach the
      // queue's own buffers.
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}
