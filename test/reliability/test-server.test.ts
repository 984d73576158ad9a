import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../src/testing/index.js';

const KEY = 'lt_test_server';
let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({ apiKey: KEY });
});
afterEach(async () => {
  await server.close();
});

const message = (overrides: Record<string, unknown> = {}) => ({
  type: 'track',
  message_id: `m-${Math.random()}`,
  timestamp: '2026-11-22T10:15:30.123Z',
  user_id: '42',
  event: 'Signed Up',
  ...overrides,
});

async function post(body: unknown, headers: Record<string, string> = {}, raw?: string | Buffer) {
  const response = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
    body: raw ?? JSON.stringify(body),
  });
  return { status: response.status, requestId: response.headers.get('request-id'), body: (await response.json()) as Record<string, unknown> };
}

describe('letterapp/testing follows the contract strictly', () => {
  it('stores a valid batch, answers the contract body, and deduplicates on message_id', async () => {
    const first = message({ message_id: 'dup' });
    expect(await post({ batch: [first, message()], sent_at: '2026-11-22T10:15:30.456Z' })).toEqual({
      status: 200,
      requestId: 'req_test1',
      body: { ok: true, received: 2, duplicates: 0 },
    });
    expect((await post({ batch: [first] })).body).toEqual({ ok: true, received: 0, duplicates: 1 });
    expect(server.messages).toHaveLength(2);
  });

  it.each<[string, Record<string, string>, number, string]>([
    ['no Authorization', { authorization: '' }, 401, 'authentication_error'],
    ['a different key', { authorization: 'Bearer lt_test_other' }, 401, 'authentication_error'],
    ['not JSON content', { 'content-type': 'text/plain' }, 400, 'invalid_request_error'],
  ])('rejects %s', async (_name, headers, status, type) => {
    const response = await post({ batch: [message()] }, headers);
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error: { type, message: expect.any(String), request_id: response.requestId } });
    expect(server.messages).toEqual([]);
  });

  it.each<[string, unknown, number, string]>([
    ['malformed JSON', undefined, 400, 'body is not valid JSON'],
    ['no batch', { sent_at: '2026-11-22T10:15:30.456Z' }, 400, 'batch is required and must be an array'],
    ['a missing user_id', { batch: [message(), message({ user_id: undefined })] }, 400, 'batch[1].user_id is required'],
    ['a null field', { batch: [message({ properties: null })] }, 400, 'batch[0].properties must be omitted rather than null'],
    ['a numeric user_id', { batch: [message({ user_id: 42 })] }, 400, 'batch[0].user_id must be a non-empty string of at most 255 characters'],
    ['a non-UTC timestamp', { batch: [message({ timestamp: '2026-11-22T10:15:30+01:00' })] }, 400, 'batch[0].timestamp must be an ISO 8601 UTC timestamp with milliseconds'],
    ['a group without account_id', { batch: [message({ type: 'group', event: undefined })] }, 400, 'batch[0].account_id is required'],
    ['a long message_id', { batch: [message({ message_id: 'm'.repeat(101) })] }, 400, 'batch[0].message_id must be a string of 1 to 100 characters'],
    ['an oversize message', { batch: [message({ properties: { blob: 'x'.repeat(33_000) } })] }, 413, 'batch[0] is larger than 32 KB'],
  ])('rejects %s as the API would, storing nothing', async (_name, body, status, errorMessage) => {
    const response = await post(body, {}, body === undefined ? '{"batch": [' : undefined);
    expect(response.status).toBe(status);
    expect((response.body.error as { message: string }).message).toBe(errorMessage);
    expect(server.messages).toEqual([]);
  });

  it('rejects a body over 500 KB with 413', async () => {
    const batch = Array.from({ length: 20 }, () => message({ properties: { blob: 'x'.repeat(30_000) } }));
    const response = await post({ batch });
    expect(response.status).toBe(413);
    expect((response.body.error as { type: string }).type).toBe('payload_too_large');
  });

  it('accepts a gzip-compressed body', async () => {
    const raw = gzipSync(JSON.stringify({ batch: [message()] }));
    const response = await post(undefined, { 'content-encoding': 'gzip' }, raw);
    expect(response.status).toBe(200);
    expect(server.messages).toHaveLength(1);
  });

  it('takes scripted replies from a queue first, then from a function', async () => {
    const custom = await startTestServer({ apiKey: KEY, replies: (_request, index) => (index % 2 === 0 ? { status: 502 } : 'ok') });
    try {
      custom.reply({ status: 429, retryAfter: 7 }, { delayMs: 20 });
      const send = () =>
        fetch(`${custom.url}/v1/batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ batch: [message()] }),
        });
      const first = await send();
      expect([first.status, first.headers.get('retry-after')]).toEqual([429, '7']);
      expect((await send()).status).toBe(200);
      expect((await send()).status).toBe(502);
      expect((await send()).status).toBe(200);
      expect(custom.requests.map((request) => request.reply)).toEqual([429, 200, 502, 200]);
    } finally {
      await custom.close();
    }
  });
});
