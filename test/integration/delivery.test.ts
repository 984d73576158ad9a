import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedChunkPool } from '../../src/chunk-pool.js';
import { LetterError } from '../../src/index.js';
import { API_KEY, harness, idsOf } from './harness.js';

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('delivery', () => {
  it('sends identify, group and track in one contract-valid request with the documented headers', async () => {
    const { server, letter, errors } = await harness();
    letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada', plan: 'free' }, timezone: 'Europe/London' });
    letter.group({ userId: 42, accountId: 'ws_9', name: 'Acme', traits: { plan: 'team', mrr: 49 } });
    letter.track({ userId: 42, event: 'Workspace Created', properties: { workspace_id: 'ws_9' } });
    await letter.flush();

    expect(errors).toEqual([]);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.reply).toBe(200);
    expect(request!.path).toBe('/v1/batch');
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['user-agent']).toBe(`letterapp-node/${packageVersion}`);
    expect(request!.body!.sent_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(server.messages.map((message) => message.type)).toEqual(['identify', 'group', 'track']);
    expect(server.messages[0]).toMatchObject({ user_id: '42', email: 'ada@example.com', traits: { name: 'Ada', plan: 'free' }, timezone: 'Europe/London' });
    expect(server.messages[1]).toMatchObject({ user_id: '42', account_id: 'ws_9', name: 'Acme', traits: { plan: 'team', mrr: 49 } });
    expect(server.messages[2]).toMatchObject({ user_id: '42', event: 'Workspace Created', properties: { workspace_id: 'ws_9' } });
  });

  it.each([['/ingest'], ['/ingest/']])('keeps a path prefix in baseUrl (%s)', async (prefix) => {
    const { server, letter } = await harness();
    const { Letter } = await import('../../src/index.js');
    const prefixed = new Letter({ apiKey: API_KEY, baseUrl: `${server.url}${prefix}` });
    prefixed.track({ userId: 1, event: 'e' });
    await prefixed.close();
    await letter.flush();
    expect(server.requests.map((request) => request.path)).toEqual(['/ingest/v1/batch']);
  });

  it('sends by itself once flushAt messages are queued, all in one request', async () => {
    const { server, letter } = await harness({ flushAt: 3, flushInterval: 60_000 });
    letter.track({ userId: 1, event: 'a' });
    letter.track({ userId: 1, event: 'b' });
    letter.track({ userId: 1, event: 'c' });
    await server.waitForMessages(3);
    expect(server.requests).toHaveLength(1);
    expect(server.messages.map((message) => message.event)).toEqual(['a', 'b', 'c']);
  });

  it('sends by itself flushInterval after the first message when flushAt is not reached', async () => {
    const { server, letter } = await harness({ flushAt: 100, flushInterval: 20 });
    letter.track({ userId: 1, event: 'a' });
    letter.track({ userId: 1, event: 'b' });
    await server.waitForMessages(2);
    expect(server.requests).toHaveLength(1);
  });

  it('splits a large queue into bodies that each fit the 500 KB limit, losing nothing', async () => {
    const { server, letter, errors } = await harness({ flushAt: 1000 });
    const filler = 'x'.repeat(30_000);
    for (let index = 0; index < 40; index += 1) letter.track({ userId: index, event: 'big', properties: { filler } });
    await letter.flush();
    expect(errors).toEqual([]);
    expect(server.messages).toHaveLength(40);
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
    for (const request of server.requests) {
      expect(request.reply).toBe(200);
      expect(request.bytes).toBeLessThanOrEqual(512_000);
    }
  });

  // The queue's memory is reused once a batch is acknowledged (src/chunk-pool.ts). Reused too
  // early, a batch held for a retry, or one given up and reported, would carry another's bytes.
  it('reuses the memory of acknowledged batches without changing any other: 20,000 events through retries and refusals arrive or are reported intact', async () => {
    const { server, letter, errors } = await harness(
      { flushAt: 200 },
      { replies: (_request, index) => (index % 4 === 1 ? { status: 500 } : index % 7 === 3 ? { status: 400 } : 'ok') },
    );
    const total = 20_000;
    for (let index = 0; index < total; index += 1) {
      letter.track({ userId: `user_${index % 50}`, event: 'Order Completed', properties: { index, text: 'é'.repeat(index % 40) } });
      if (index % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    await letter.flush();
    const seen = new Set<number>();
    const check = (message: { user_id?: string; properties?: Record<string, unknown> }): void => {
      const index = message.properties!['index'] as number;
      expect([message.user_id, message.properties!['text']]).toEqual([`user_${index % 50}`, 'é'.repeat(index % 40)]);
      seen.add(index);
    };
    for (const message of server.messages) check(message);
    const reported = errors.flatMap((error) => error.messages ?? []);
    for (const message of reported) check(message);
    expect(seen.size).toBe(total);
    expect(reported.length).toBeGreaterThan(0);
    expect(server.requests.filter((request) => request.reply === 500).length).toBeGreaterThan(0);
    // Memory was freed for reuse, or this test could not fail.
    expect(sharedChunkPool.freeChunks).toBeGreaterThan(0);
  });

  it('refuses an oversize message at the call and queues nothing', async () => {
    const { server, letter } = await harness();
    expect(() => letter.track({ userId: 1, event: 'e', properties: { blob: 'x'.repeat(41 * 1024) } })).toThrowError(
      new LetterError('message is 42 KB; the limit is 32 KB', { code: 'invalid_argument' }),
    );
    await letter.flush();
    expect(server.requests).toEqual([]);
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const { server, letter } = await harness({
      fetch: (url, init) => {
        calls.push(url);
        return fetch(url, init);
      },
    });
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(calls).toEqual([`${server.url}/v1/batch`]);
    expect(server.messages).toHaveLength(1);
  });

  it('an injected fetch receives the body as the UTF-8 bytes of the contract JSON, a fresh array per attempt', async () => {
    const bodies: unknown[] = [];
    const { server, letter } = await harness({
      fetch: (url, init) => {
        bodies.push(init?.body);
        return fetch(url, init);
      },
    });
    server.reply({ status: 503 });
    letter.track({ userId: 1, event: 'Café ☕', properties: { note: '😀' } });
    await letter.flush();
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toBeInstanceOf(Uint8Array);
    expect(bodies[1]).not.toBe(bodies[0]);
    const sent = bodies.map((body) => JSON.parse(new TextDecoder().decode(body as Uint8Array)) as { batch: { event: string }[] });
    expect(sent.map((body) => body.batch[0]!.event)).toEqual(['Café ☕', 'Café ☕']);
    expect(server.messages).toHaveLength(1);
  });

  it("through Node's own fetch a 500 KB body, handed over as a stream, still goes with its Content-Length, not chunked", async () => {
    const { server, letter } = await harness({ flushAt: 10_000 });
    for (let index = 0; index < 3000; index += 1) letter.track({ userId: index, event: 'Paced', properties: { note: 'é€😀'.repeat(40) } });
    await letter.flush();
    expect(server.messages).toHaveLength(3000);
    expect(server.requests.length).toBeGreaterThan(1);
    for (const request of server.requests) {
      expect(request.headers['transfer-encoding']).toBeUndefined();
      expect(Number(request.headers['content-length'])).toBe(request.bytes);
    }
    expect(Math.max(...server.requests.map((request) => request.bytes))).toBeGreaterThan(400_000);
  });

  it('a message built later from a mutated object is its own event; the first is unchanged', async () => {
    const { server, letter } = await harness();
    const properties: Record<string, unknown> = { step: 1 };
    letter.track({ userId: 1, event: 'e', properties });
    properties.step = 2;
    letter.track({ userId: 1, event: 'e', properties });
    await letter.flush();
    expect(server.messages.map((message) => message.properties)).toEqual([{ step: 1 }, { step: 2 }]);
  });
});

describe('flush()', () => {
  it('resolves only after a retried batch has been delivered', async () => {
    const { server, letter } = await harness();
    server.reply({ status: 503 });
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(server.requests.map((request) => request.reply)).toEqual([503, 200]);
    expect(server.messages).toHaveLength(1);
  });

  it('concurrent calls all wait, including one made while the batch is already in flight', async () => {
    const { server, letter } = await harness();
    server.reply({ status: 503 });
    letter.track({ userId: 1, event: 'e' });
    const first = letter.flush().then(() => server.messages.length);
    await server.waitForRequests(1); // the batch is now in flight (being retried); the queue is empty
    const second = letter.flush().then(() => server.messages.length);
    const third = letter.flush().then(() => server.messages.length);
    expect(await Promise.all([first, second, third])).toEqual([1, 1, 1]);
  });

  it('resolves at once when nothing is queued or in flight', async () => {
    const { server, letter } = await harness();
    await letter.flush();
    expect(server.requests).toEqual([]);
  });

  it('does not wait for messages queued after it was called', async () => {
    const { server, letter } = await harness({ flushInterval: 60_000, timeout: 200 });
    letter.track({ userId: 1, event: 'before' });
    const flushed = letter.flush();
    server.reply('hang');
    letter.track({ userId: 1, event: 'after' });
    await flushed;
    expect(server.messages.map((message) => message.event)).toEqual(['before']);
    await letter.flush(); // the hang ends by timeout and is retried
    expect(server.messages.map((message) => message.event)).toEqual(['before', 'after']);
  });

  it('never rejects: a refused batch goes to onError and flush still resolves', async () => {
    const { server, letter, errors } = await harness();
    server.reply({ status: 400 });
    letter.track({ userId: 1, event: 'e' });
    await expect(letter.flush()).resolves.toBeUndefined();
    expect(errors.map((error) => error.code)).toEqual(['http_error']);
  });
});
