import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { WireMessage } from '../errors.js';
import { checkBatch, MAX_BODY_BYTES } from './contract.js';
import { discardBody, MAX_READ_BYTES, readBody } from './read-body.js';

/**
 * How the test server answers one request.
 * - `'ok'`: as the real API would (validate, store, deduplicate, 200).
 * - `'reset'`: destroys the connection without answering; nothing is stored.
 * - `'hang'`: never answers (the client's timeout must end it).
 * - `'store-then-reset'`: stores the messages, then destroys the connection: a lost acknowledgement.
 * - `{ status, … }`: answers that status; `retryAfter` sets the header (seconds, or a Date for the
 *   HTTP-date form); `body` replaces the contract's error body (a string is sent as is);
 *   `store: true` stores the messages first; `delayMs` waits before answering.
 * - `{ delayMs }` alone: answers `'ok'` after the delay.
 */
export type Reply =
  | 'ok'
  | 'reset'
  | 'hang'
  | 'store-then-reset'
  | {
      status?: number | undefined;
      retryAfter?: number | string | Date | undefined;
      headers?: Record<string, string> | undefined;
      body?: unknown;
      store?: boolean | undefined;
      delayMs?: number | undefined;
    };

/** A request as the server saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The uncompressed body's size in bytes; 0 when the request was refused before its body was read. */
  readonly bytes: number;
  /** The parsed body, or undefined if it was not JSON or was not read. */
  readonly body: { batch?: WireMessage[]; sent_at?: string } | undefined;
  /** When the request's body had arrived, in epoch milliseconds. */
  readonly receivedAt: number;
  /** What the server did: a status code, `'reset'` or `'hang'`. */
  reply: number | 'reset' | 'hang';
}

/** Options for {@link startTestServer}. */
export interface TestServerOptions {
  /** The only API key accepted; when unset, any `lt_live_…` or `lt_test_…` key is. */
  apiKey?: string | undefined;
  /** Port on 127.0.0.1. @default 0 (a free port) */
  port?: number | undefined;
  /**
   * Decides each request's reply; consulted after the queue given to `reply()` is empty. Scripted
   * replies (this and `reply()`) apply only to requests to `/v1/batch` with an accepted API key
   * and a body within the size cap: the others are refused (404, 401, 413) before the body is read.
   * @default always 'ok'
   */
  replies?: ((request: RecordedRequest, index: number) => Reply) | undefined;
  /**
   * Called once per request when its response has been sent, or its connection closed (`'reset'`,
   * `'hang'`, a client that gave up), with the JSON body answered (`undefined` when none was).
   * For live displays such as `letterapp listen`; an exception it throws is not caught.
   */
  onRequest?: ((request: RecordedRequest, responseBody: unknown) => void) | undefined;
}

/** A running contract-following ingestion server on 127.0.0.1. */
export interface TestServer {
  /** Base URL to pass as `baseUrl` (or `LETTER_BASE_URL`). */
  readonly url: string;
  /** Messages stored, each `message_id` once, in arrival order. */
  readonly messages: WireMessage[];
  /** Every request received, in order, including rejected and faulted ones. */
  readonly requests: RecordedRequest[];
  /** Queues replies for the next authenticated requests, one each, before `replies` or `'ok'` apply again. */
  reply(...replies: Reply[]): void;
  /** Resolves once at least `count` messages are stored. */
  waitForMessages(count: number): Promise<void>;
  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** Stops the server, ending any hanging connection. */
  close(): Promise<void>;
}

/** Starts a local ingestion server that follows the wire contract, for tests and demos. Never listens beyond loopback. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const messages: WireMessage[] = [];
  const requests: RecordedRequest[] = [];
  const seenIds = new Set<string>();
  const scripted: Reply[] = [];
  const events = new EventEmitter();
  const sockets = new Set<Socket>();
  let requestCounter = 0;
  /** Each response's recorded request, for the last-resort 500 answer. */
  const recordedFor = new WeakMap<ServerResponse, RecordedRequest>();

  const store = (batch: WireMessage[]): { received: number; duplicates: number } => {
    let duplicates = 0;
    for (const message of batch) {
      if (seenIds.has(message.message_id)) {
        duplicates += 1;
        continue;
      }
      seenIds.add(message.message_id);
      messages.push(message);
    }
    events.emit('change');
    return { received: batch.length - duplicates, duplicates };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    requestCounter += 1;
    const requestId = `req_test${requestCounter}`;
    response.setHeader('request-id', requestId);
    // Kept for onRequest, which cannot read a body back from the response.
    let responseBody: unknown;
    const respond = (status: number, body: unknown): void => {
      responseBody = body;
      sendJson(response, status, body);
    };
    const sendError = (status: number, type: string, message: string): void => {
      respond(status, { error: { type, message, request_id: requestId } });
    };
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const { onRequest } = options;
    const record = (bytes: number, body: RecordedRequest['body']): RecordedRequest => {
      const recorded: RecordedRequest = { method: request.method ?? '', path, headers: request.headers, bytes, body, receivedAt: Date.now(), reply: 0 };
      requests.push(recorded);
      recordedFor.set(response, recorded);
      events.emit('change');
      // 'close' follows every ending, sent or cut off, so this runs exactly once per request.
      if (onRequest) response.once('close', () => onRequest(recorded, responseBody));
      return recorded;
    };
    /** Refuses without reading (the rest of) the body; see discardBody for what becomes of it. */
    const refuseUnread = (status: number, type: string, message: string): void => {
      const recorded = record(0, undefined);
      recorded.reply = status;
      responseBody = { error: { type, message, request_id: requestId } };
      // The whole answer is written now, but the response ends only once the body is read (or the
      // connection cut): ending it now would let Node close a `Connection: close` connection while
      // the client is still sending, and the client would see a reset instead of this answer.
      const json = JSON.stringify(responseBody);
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).write(json);
      discardBody(request, () => response.end());
    };

    // Route and key are checked on the headers alone, before a byte of the body is read: an
    // unauthenticated client must not make the server buffer or decompress anything.
    if (request.method !== 'POST' || !path.endsWith('/v1/batch')) return refuseUnread(404, 'invalid_request_error', `no route for ${request.method} ${path}`);
    const key = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!key) return refuseUnread(401, 'authentication_error', 'missing or malformed Authorization header');
    if (options.apiKey ? key !== options.apiKey : !/^lt_(live|test)_\S+$/.test(key)) {
      return refuseUnread(401, 'authentication_error', 'unknown API key');
    }
    const read = await readBody(request);
    if (read.kind === 'gone') return;
    if (read.kind === 'too-large') {
      return refuseUnread(413, 'payload_too_large', `body is larger than ${MAX_READ_BYTES} bytes; the limit is ${MAX_BODY_BYTES}`);
    }
    const { text, bytes } = read;
    let body: RecordedRequest['body'];
    try {
      body = text === undefined ? undefined : (JSON.parse(text) as RecordedRequest['body']);
    } catch {
      body = undefined;
    }
    const index = requests.length;
    const recorded = record(bytes, body);

    const reply = scripted.length > 0 ? scripted.shift()! : (options.replies?.(recorded, index) ?? 'ok');
    const batch = Array.isArray(body?.batch) ? body.batch : [];
    if (reply === 'hang') {
      recorded.reply = 'hang';
      return;
    }
    if (reply === 'reset' || reply === 'store-then-reset') {
      if (reply === 'store-then-reset') store(batch);
      recorded.reply = 'reset';
      request.socket.destroy();
      return;
    }
    if (typeof reply === 'object' && reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (typeof reply === 'object' && reply.status !== undefined) {
      recorded.reply = reply.status;
      if (reply.store) store(batch);
      for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
      if (reply.retryAfter !== undefined) {
        response.setHeader('retry-after', reply.retryAfter instanceof Date ? reply.retryAfter.toUTCString() : String(reply.retryAfter));
      }
      if (typeof reply.body === 'string') {
        response.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.body);
      } else if (reply.body !== undefined) {
        respond(reply.status, reply.body);
      } else if (reply.status >= 200 && reply.status < 300) {
        respond(reply.status, { ok: true, received: batch.length, duplicates: 0 });
      } else {
        sendError(reply.status, errorType(reply.status), `scripted ${reply.status}`);
      }
      return;
    }

    // The real API's behaviour, check by check (route and key were checked first, above).
    const answer = (status: number, type: string, message: string): void => {
      recorded.reply = status;
      sendError(status, type, message);
    };
    if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
      return answer(400, 'invalid_request_error', 'Content-Type must be application/json');
    }
    if (bytes > MAX_BODY_BYTES) return answer(413, 'payload_too_large', `body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES}`);
    if (body === undefined) return answer(400, 'invalid_request_error', 'body is not valid JSON');
    const violation = checkBatch(body);
    if (violation) return answer(violation.status, violation.type, violation.message);
    recorded.reply = 200;
    respond(200, { ok: true, ...store(batch) });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug in the server itself: still an answer with a status, so `listen` never prints "rejected 0".
      const recorded = recordedFor.get(response);
      if (recorded) recorded.reply = 500;
      if (!response.headersSent) sendJson(response, 500, { error: { type: 'api_error', message: String(error) } });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const waitFor = (done: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      if (done()) return resolve();
      const check = (): void => {
        if (!done()) return;
        events.off('change', check);
        resolve();
      };
      events.on('change', check);
    });

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    requests,
    reply: (...replies) => void scripted.push(...replies),
    waitForMessages: (count) => waitFor(() => messages.length >= count),
    waitForRequests: (count) => waitFor(() => requests.length >= count),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function errorType(status: number): string {
  const types: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    403: 'permission_error',
    413: 'payload_too_large',
    429: 'rate_limit_error',
  };
  return types[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}
