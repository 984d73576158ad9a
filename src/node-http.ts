import { Agent as HttpAgent, globalAgent as httpGlobalAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, globalAgent as httpsGlobalAgent, request as httpsRequest } from 'node:https';
import { decodedBody } from './content-decoding.js';

/**
 * The proxy settings Node gave its own global agent: with `NODE_USE_ENV_PROXY=1` or
 * `--use-env-proxy` (Node 22.21+, 24.5+) they hold HTTP_PROXY, HTTPS_PROXY and NO_PROXY, and
 * `fetch` goes through that proxy too. Without them (or on older Node) they are undefined, and
 * both go direct. Passing them on keeps this transport from bypassing a proxy that fetch uses.
 */
function proxyEnvOf(agent: HttpAgent): unknown {
  return (agent as HttpAgent & { options?: { proxyEnv?: unknown } }).options?.proxyEnv;
}

/**
 * An idle pooled connection is closed after this long, or sooner if the server's `Keep-Alive:
 * timeout=` says so: undici's default for fetch. Without it Node keeps idle connections until the
 * server closes them, so one that a NAT or load balancer dropped without a word (after a few idle
 * minutes, in most clouds) would stay in the pool, and the next request on it could fail with a
 * reset, or wait out the SDK's timeout where the packets are dropped, before a retry on a new
 * connection. Only idle sockets are closed: on a request in flight the agent's timeout is an
 * event, which nothing here listens to.
 */
const IDLE_SOCKET_MS = 4_000;

// One keep-alive pool per protocol for the whole process, as undici's global dispatcher does for
// fetch. Node unrefs idle pooled sockets, so the pool never keeps a process alive.
const httpAgent = new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS, proxyEnv: proxyEnvOf(httpGlobalAgent) } as ConstructorParameters<typeof HttpAgent>[0]);
const httpsAgent = new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS, proxyEnv: proxyEnvOf(httpsGlobalAgent) } as ConstructorParameters<typeof HttpsAgent>[0]);

// Statuses whose response has no body, which `new Response()` refuses to pair with one.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A `fetch` for `new Letter({ fetch: nodeHttpFetch })` that sends over `node:http`/`node:https`
 * with a keep-alive agent instead of undici, which costs the host process less CPU per request.
 *
 * It implements what the SDK uses: a string or URL, `method`, `headers`, a string, byte or
 * `ReadableStream` `body`, `signal`, and `redirect`. Redirects are never followed (`'error'`
 * rejects on a 3xx; `'manual'` and `'follow'` return the 3xx as is), no compression is asked for
 * (a gzip, deflate or br body that comes anyway is decoded, as fetch decodes it), and it speaks
 * HTTP/1.1 only. It ignores undici's global dispatcher, so a proxy set through
 * `setGlobalDispatcher` is bypassed; one that Node applies from `NODE_USE_ENV_PROXY=1` and
 * `HTTP_PROXY`/`HTTPS_PROXY` is used. Network errors reject with a `TypeError` whose
 * `cause` carries Node's `code` (`ECONNREFUSED`, `ECONNRESET`), as `fetch` does; an abort rejects
 * with `signal.reason`.
 */
export function nodeHttpFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const url = toUrl(input);
    const method = (init.method ?? 'GET').toUpperCase();
    const stream = init.body instanceof ReadableStream ? (init.body as ReadableStream<Uint8Array>) : undefined;
    const body = stream ? undefined : toBytes(init.body);
    const headers = toHeaderObject(init.headers);
    if (body !== undefined && !hasHeader(headers, 'content-length')) headers['content-length'] = body.byteLength;
    const redirect = init.redirect ?? 'follow';
    const signal = init.signal ?? undefined;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }

    const https = url.protocol === 'https:';
    const request = (https ? httpsRequest : httpRequest)(url, { method, headers, agent: https ? httpsAgent : httpAgent });
    // Set once the response is handed over: from then on an abort or a broken connection errors the
    // body stream instead of the (already settled) promise.
    let failBody: ((reason: unknown) => void) | undefined;
    // Set once a response or an error arrived, so that a request closed with neither still rejects.
    let answered = false;
    let response: IncomingMessage | undefined;

    const onAbort = (): void => {
      const reason: unknown = signal?.reason;
      request.destroy();
      if (failBody) failBody(reason);
      else reject(reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => signal?.removeEventListener('abort', onAbort);

    const answer = (incoming: IncomingMessage): void => {
      // A response that ends before the request body was all written (a 413 or 429 sent from the
      // headers by a server that never reads the rest) leaves the connection stuck mid-body: Node
      // would keep it out of the pool, holding the body and the process, until the server reads.
      // fetch closes such a connection; so does this. A server that read the whole body cannot
      // have answered before the last byte left, so a healthy connection is never closed here.
      incoming.once('end', () => {
        if (!request.writableFinished) request.destroy();
      });
      const status = incoming.statusCode ?? 0;
      if (redirect === 'error' && status >= 300 && status < 400) {
        done();
        incoming.resume();
        reject(new TypeError(`fetch failed: redirect (status ${status}) with redirect: 'error'`));
        return;
      }
      const responseHeaders = new Headers();
      const raw = incoming.rawHeaders;
      for (let i = 0; i < raw.length; i += 2) responseHeaders.append(raw[i]!, raw[i + 1]!);

      const responseInit = { status, statusText: incoming.statusMessage ?? '', headers: responseHeaders };
      if (method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
        incoming.on('end', done).resume();
        resolve(toResponse(null, responseInit));
        return;
      }
      const stream = bodyStream(incoming, done);
      failBody = stream.fail;
      resolve(toResponse(stream.readable, responseInit));
    };

    request.on('error', (error) => {
      answered = true;
      // Bytes after a complete response (a body longer than its Content-Length) are a parse error
      // on the connection, not a fault of the response: fetch hands that body over whole, and its
      // 'end' still comes, since Node ends a complete response when the socket closes.
      if (response?.complete) return;
      done();
      if (signal?.aborted) return;
      // fetch's two messages: before the response, the request failed; after it, its body was cut off.
      if (failBody) failBody(new TypeError('terminated', { cause: error }));
      else reject(new TypeError('fetch failed', { cause: error }));
    });

    // Node closes a request without an 'error' when the answer is a 101 nobody asked for (it
    // destroys the socket for want of an 'upgrade' listener). fetch calls that a network error.
    request.on('close', () => {
      if (answered || signal?.aborted) return;
      done();
      reject(new TypeError('fetch failed', { cause: new Error('the connection closed without a usable response') }));
    });

    request.on('response', (incoming) => {
      answered = true;
      response = incoming;
      // Whatever a server's answer makes throw here must reject this request: thrown from Node's
      // 'response' handler, it would be an uncaught exception in the host, and the promise would
      // never settle. (A NUL in a header value, which Node lets through under
      // --insecure-http-parser and `Headers` refuses; fetch's own parser rejects it.)
      try {
        answer(incoming);
      } catch (error) {
        done();
        incoming.destroy();
        reject(new TypeError('fetch failed', { cause: error }));
      }
    });

    if (stream) writeStream(stream, request);
    else request.end(body);
  });
}

/** What `new Response()` takes as a `statusText`: tab, space, visible ASCII and Latin-1. */
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * `new Response()` takes statuses 200 to 599 only, and a reason phrase without control
 * characters, but a server (or a proxy) may answer `HTTP/1.1 600` to `999`, or `200 O\x01K`, which
 * fetch hands over as they are (the SDK treats a status past 599 as a failure that is not
 * retried). Such a response is built as a 599 or with no reason, then given its real ones.
 */
function toResponse(body: ReadableStream<Uint8Array> | null, init: { status: number; statusText: string; headers: Headers }): Response {
  const statusOk = init.status <= 599;
  const reasonOk = REASON_PHRASE.test(init.statusText);
  if (statusOk && reasonOk) return new Response(body, init);
  const response = new Response(body, { ...init, status: statusOk ? init.status : 599, statusText: reasonOk ? init.statusText : '' });
  if (!statusOk) Object.defineProperty(response, 'status', { value: init.status, enumerable: true });
  if (!reasonOk) Object.defineProperty(response, 'statusText', { value: init.statusText, enumerable: true });
  return response;
}

/**
 * Writes a stream body piece by piece, as fetch does for a `ReadableStream` body (with its
 * `content-length` if the caller set one, else chunked). A stream that fails destroys the request,
 * which rejects through the request's error handler.
 */
function writeStream(stream: ReadableStream<Uint8Array>, request: ReturnType<typeof httpRequest>): void {
  const reader = stream.getReader();
  const fail = (error: unknown): void => {
    request.destroy(error instanceof Error ? error : new Error(String(error)));
  };
  const pump = (): void => {
    reader.read().then(
      ({ done, value }) => {
        // Destroyed meanwhile (aborted, or the connection dropped): that has been reported already.
        if (request.destroyed) return;
        if (done) {
          request.end();
          return;
        }
        // A chunk write() refuses (a number, an ArrayBuffer) fails the request, as in fetch. Thrown
        // from here it would be an unhandled rejection instead, which ends the host process.
        let flushed: boolean;
        try {
          flushed = request.write(value);
        } catch (error) {
          fail(error);
          return;
        }
        if (flushed) pump();
        else request.once('drain', pump);
      },
      fail,
    );
  };
  // A request that ends early (aborted, or answered and closed) cancels what is left of the body.
  request.once('close', () => {
    reader.cancel().catch(() => {});
  });
  pump();
}

/**
 * The response body as a web stream, decoded, with backpressure: the socket is paused while the
 * reader is behind, so a huge body that the reader cancels is never buffered whole.
 */
function bodyStream(incoming: IncomingMessage, done: () => void): { readable: ReadableStream<Uint8Array>; fail(reason: unknown): void } {
  const source = decodedBody(incoming);
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let finished = false;
  const finish = (): void => {
    finished = true;
    done();
  };
  const readable = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      source.on('data', (chunk: Buffer) => {
        // Errored or cancelled meanwhile: enqueue would throw, from an event handler, into the host.
        if (finished) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) source.pause();
      });
      source.on('end', () => {
        if (finished) return;
        finish();
        controller.close();
      });
      source.on('error', (error) => {
        if (finished) return;
        finish();
        controller.error(new TypeError('terminated', { cause: error }));
      });
    },
    pull() {
      source.resume();
    },
    cancel() {
      finish();
      source.destroy();
    },
  });
  const fail = (reason: unknown): void => {
    if (finished) return;
    finish();
    controller.error(reason);
  };
  return { readable, fail };
}

function toUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = input instanceof URL ? input : new URL(String(input));
  } catch (error) {
    throw new TypeError(`Expected \`input\` to be an absolute URL, got ${JSON.stringify(String(input))}`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Expected \`input\` to be an http: or https: URL, got ${JSON.stringify(url.protocol)}`);
  }
  // Node would send them as Basic auth; fetch refuses such a URL, and so does this (without
  // repeating the password in the message).
  if (url.username !== '' || url.password !== '') {
    throw new TypeError(`Expected \`input\` to be a URL without credentials (user:password@), as fetch requires, got one for ${url.host}`);
  }
  return url;
}

function toBytes(body: RequestInit['body']): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString(), 'utf8');
  throw new TypeError(`Expected \`init.body\` to be a string, an ArrayBuffer, a typed array or a ReadableStream, got ${Object.prototype.toString.call(body)}`);
}

function toHeaderObject(headers: RequestInit['headers']): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  if (headers === undefined) return out;
  // A plain object is the SDK's case and needs no Headers round trip. Its values are converted
  // as fetch converts them: 5 becomes "5" and ['a', 'b'] becomes "a,b".
  if (!(headers instanceof Headers) && !Array.isArray(headers)) {
    for (const name of Object.keys(headers)) out[name] = String(headers[name]);
    return out;
  }
  for (const [name, value] of new Headers(headers)) out[name] = value;
  return out;
}

function hasHeader(headers: OutgoingHttpHeaders, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}
