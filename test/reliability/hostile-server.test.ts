import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Letter, type LetterError } from '../../src/index.js';
import { API_KEY, harness } from '../integration/harness.js';

/** A raw server for answers the contract server would never give. */
async function rawServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A server whose first answer is `head` (a status line, headers and the start of a body) with the
 * connection reset inside the body; any later request gets a 200. Records when each was answered.
 */
async function breaksOffOnce(head: string): Promise<{ url: string; answeredAtMs: number[] }> {
  const answeredAtMs: number[] = [];
  const url = await rawServer((request) => {
    request.resume();
    request.on('end', () => {
      answeredAtMs.push(performance.now());
      if (answeredAtMs.length > 1) {
        request.socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}');
        return;
      }
      request.socket.end(head);
      request.socket.resetAndDestroy();
    });
  });
  return { url, answeredAtMs };
}

async function sendOne(baseUrl: string, options: { maxRetries?: number; timeout?: number } = {}): Promise<LetterError[]> {
  const errors: LetterError[] = [];
  const letter = new Letter({ apiKey: API_KEY, baseUrl, maxRetries: 0, onError: (error) => errors.push(error), ...options });
  letter.track({ userId: 1, event: 'e' });
  await letter.close();
  return errors;
}

describe('whatever the server answers, the host never crashes and the messages are reported', () => {
  it('an error with an empty body', async () => {
    const url = await rawServer((_request, response) => response.writeHead(500).end());
    const [error] = await sendOne(url);
    expect(error).toMatchObject({ code: 'http_error', status: 500 });
    expect(error!.body).toBeUndefined();
    expect(error!.messages).toHaveLength(1);
  });

  it('an error with a non-JSON body keeps it as text', async () => {
    const url = await rawServer((_request, response) => response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>'));
    const [error] = await sendOne(url);
    expect(error).toMatchObject({ status: 502, body: '<h1>Bad Gateway</h1>' });
  });

  it('an error body a proxy compressed anyway reaches onError as text', async () => {
    const url = await rawServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzipSync('<h1>Bad Gateway</h1>'));
    });
    const [error] = await sendOne(url);
    expect(error).toMatchObject({ status: 502, body: '<h1>Bad Gateway</h1>' });
  });

  it('bytes after a complete 200 answer change nothing: delivered once, nothing reported', async () => {
    let requests = 0;
    const url = await rawServer((request) => {
      request.resume();
      request.on('end', () => {
        requests += 1;
        request.socket.write('HTTP/1.1 200 OK\r\ncontent-length: 40\r\n\r\n{"ok":true,"received":1,"duplicates":0}JUNK');
      });
    });
    const errors = await sendOne(url, { maxRetries: 3 });
    expect([requests, errors]).toEqual([1, []]);
  });

  it.each([
    ['a malformed chunk', 'transfer-encoding: chunked\r\n\r\n2\r\n{"\r\nzz\r\n'],
    ['a reset', 'content-length: 40\r\n\r\n{"ok":true,'],
  ])('a 200 whose body breaks off at %s is delivered: the status is the answer, so nothing is resent', async (_name, rest) => {
    const { url, answeredAtMs } = await breaksOffOnce(`HTTP/1.1 200 OK\r\n${rest}`);
    const errors = await sendOne(url, { maxRetries: 3 });
    expect([answeredAtMs.length, errors]).toEqual([1, []]);
  });

  it('a 429 whose body breaks off still waits out its Retry-After, then delivers', async () => {
    const { url, answeredAtMs } = await breaksOffOnce('HTTP/1.1 429 Too Many Requests\r\nretry-after: 1\r\ncontent-length: 40\r\n\r\n{"error":');
    const errors = await sendOne(url, { maxRetries: 3 });
    expect(errors).toEqual([]);
    expect(answeredAtMs).toHaveLength(2);
    // Backoff after a network error would have retried within 250 ms.
    expect(answeredAtMs[1]! - answeredAtMs[0]!).toBeGreaterThanOrEqual(950);
  });

  it('a 400 whose body breaks off is reported as the 400 it is, not retried as a network error', async () => {
    const { url, answeredAtMs } = await breaksOffOnce('HTTP/1.1 400 Bad Request\r\ncontent-length: 40\r\n\r\n{"error":');
    const errors = await sendOne(url, { maxRetries: 3 });
    expect(answeredAtMs).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'http_error', status: 400 });
    expect(errors[0]!.messages).toHaveLength(1);
  });

  it('a 10 MB error body is read only up to 64 KB', async () => {
    const url = await rawServer((_request, response) => response.writeHead(400).end('x'.repeat(10 * 1024 * 1024)));
    const [error] = await sendOne(url);
    expect(error!.status).toBe(400);
    expect(typeof error!.body).toBe('string');
    expect((error!.body as string).length).toBe(64 * 1024);
  });

  it('a success whose body never ends times out and is retried, then reported', async () => {
    const url = await rawServer((_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('{"ok":');
    });
    const errors = await sendOne(url, { timeout: 100, maxRetries: 1 });
    expect(errors.map((error) => error.code)).toEqual(['timeout']);
    expect(errors[0]!.message).toMatch(/^Request timed out after 100 ms: POST /);
  });

  it('a 3xx is not followed and goes to onError', async () => {
    let followed = 0;
    const elsewhere = await rawServer((_request, response) => {
      followed += 1;
      response.end('{}');
    });
    const url = await rawServer((_request, response) => response.writeHead(301, { location: `${elsewhere}/v1/batch` }).end());
    const [error] = await sendOne(url);
    expect(error!.status).toBe(301);
    expect(followed).toBe(0);
  });

  it('a malformed Retry-After falls back to backoff', async () => {
    const { server, letter, errors } = await harness();
    server.reply({ status: 429, retryAfter: 'Thu, 99 Foo 2026' }, { status: 429, headers: { 'retry-after': '-5' } });
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(errors).toEqual([]);
    expect(server.messages).toHaveLength(1);
  });

  it('a connection reset in the middle of the answer\'s head, before any status, is a network error, retried', async () => {
    let calls = 0;
    const url = await rawServer((request, response) => {
      calls += 1;
      if (calls === 1) {
        request.socket.write('HTTP/1.1 200 OK\r\ncontent-le');
        setImmediate(() => request.socket.destroy());
        return;
      }
      response.writeHead(200).end('{"ok":true}');
    });
    const errors = await sendOne(url, { maxRetries: 1 });
    expect(errors).toEqual([]);
    expect(calls).toBe(2);
  });

  it.each([600, 999])('a status of %i (past what new Response() takes) is a failure, not retried', async (status) => {
    let calls = 0;
    const url = await rawServer((_request, response) => {
      calls += 1;
      response.writeHead(status).end('{}');
    });
    const errors = await sendOne(url, { maxRetries: 2 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'http_error', status });
    expect(errors[0]!.messages).toHaveLength(1);
    expect(calls).toBe(1);
  });

  it('a reason phrase with control characters changes nothing: a 503 is retried, the 200 delivers', async () => {
    let calls = 0;
    const url = await rawServer((request) => {
      calls += 1;
      request.resume();
      const head = calls === 1 ? '503 Unavail\x01able\x00' : '200 O\x7fK';
      request.socket.end(`HTTP/1.1 ${head}\r\ncontent-length: 11\r\nconnection: close\r\n\r\n{"ok":true}`, 'latin1');
    });
    expect(await sendOne(url, { maxRetries: 1 })).toEqual([]);
    expect(calls).toBe(2);
  });

  it('a 101 that nobody asked for is a network error at once, retried', async () => {
    const switching = 'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n';
    let calls = 0;
    const url = await rawServer((request) => {
      calls += 1;
      request.socket.end(switching);
    });
    // The timeout outlasts the test: only a prompt network error can end this in time.
    const errors = await sendOne(url, { maxRetries: 1, timeout: 60_000 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'network_error' });
    expect(errors[0]!.messages).toHaveLength(1);
    expect(calls).toBe(2);
  });
});

describe('close({ timeout })', () => {
  it('gives up at the deadline: aborts the hanging request and hands every undelivered message to onError', async () => {
    const { server, letter, errors } = await harness({ flushAt: 2, flushInterval: 60_000 });
    server.reply('hang', 'hang');
    letter.track({ userId: 1, event: 'in flight 1' });
    letter.track({ userId: 1, event: 'in flight 2' });
    await server.waitForRequests(1);
    letter.track({ userId: 1, event: 'queued' });
    for (let index = 0; index < 6; index += 1) letter.track({ userId: 1, event: 'queued too' });
    const startedAt = Date.now();
    await letter.close({ timeout: 200 });
    const tookMs = Date.now() - startedAt;
    expect(tookMs).toBeGreaterThanOrEqual(190);
    expect(tookMs).toBeLessThan(2000);
    const reported = errors.flatMap((error) => error.messages ?? []).map((message) => message.event);
    expect(reported.sort()).toEqual(['in flight 1', 'in flight 2', 'queued', ...Array(6).fill('queued too')]);
    expect(errors.map((error) => error.code)).toEqual(['timeout', 'timeout']);
  });

  it('cuts short a huge Retry-After: a server asking for a day cannot hold the process', async () => {
    const { server, letter, errors } = await harness();
    server.reply({ status: 429, retryAfter: 86_400 });
    letter.track({ userId: 1, event: 'e' });
    await server.waitForRequests(1);
    await letter.close({ timeout: 100 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'timeout', status: 429 });
    expect(errors[0]!.message).toMatch(/^close\(\) gave up after 100 ms while waiting to retry; last failure: Request failed with status code 429/);
    expect(errors[0]!.messages).toHaveLength(1);
  });

  it('resolves as soon as everything is delivered when that is before the deadline', async () => {
    const { server, letter, errors } = await harness();
    letter.track({ userId: 1, event: 'e' });
    await letter.close({ timeout: 60_000 });
    expect(server.messages).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('rejects a bad timeout through the returned promise, naming it, and does not start closing', async () => {
    const { server, letter } = await harness();
    await expect(letter.close({ timeout: -1 })).rejects.toThrowError(/Expected `timeout` to be a number of milliseconds from 0 to 2147483647, or Infinity for no limit, got `-1`/);
    // A string from an environment variable: rejected, not thrown, so a .catch() sees it.
    const closing = letter.close({ timeout: '5000' as never });
    await expect(closing).rejects.toMatchObject({ code: 'config' });
    letter.track({ userId: 1, event: 'still open' });
    await letter.flush();
    expect(server.messages).toHaveLength(1);
  });
});
