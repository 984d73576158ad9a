/**
 * letterapp/testing's server (and so `letterapp listen`) facing hostile clients: it authenticates
 * before reading a body, stops reading at the contract's limit plus a margin, caps what a gzip
 * body may inflate to, and answers a body nested too deeply for JSON.stringify with a 400.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../src/testing/index.js';
import { MAX_READ_BYTES } from '../../src/testing/read-body.js';
import { gzipBomb, hostileUpload } from '../support/hostile-upload.js';

const KEY = 'lt_test_limits';
const JSON_HEADERS = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const MB = 1024 * 1024;
let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({ apiKey: KEY });
});
afterEach(async () => {
  await server.close();
});

describe('the test server refuses before reading what it must not read', () => {
  it.each([
    ['no Authorization header', { 'content-type': 'application/json' }],
    ['an unknown key', { ...JSON_HEADERS, authorization: 'Bearer lt_test_someone_else' }],
  ])('%s: 401 while the body has not even been sent', async (_name, headers) => {
    // 10 MB declared, nothing sent: a server that read the body first would never answer.
    const outcome = await hostileUpload(server.url, { ...headers, 'content-length': String(10 * MB) }, Buffer.alloc(0), 0);
    expect(outcome.status).toBe(401);
    expect(JSON.parse(outcome.body)).toMatchObject({ error: { type: 'authentication_error' } });
    expect(server.requests).toMatchObject([{ reply: 401, bytes: 0, body: undefined }]);
  });

  it('a declared Content-Length past the cap: 413 before reading', async () => {
    const outcome = await hostileUpload(server.url, { ...JSON_HEADERS, 'content-length': String(300 * MB) }, Buffer.alloc(0), 0);
    expect(outcome.status).toBe(413);
    expect(JSON.parse(outcome.body)).toMatchObject({ error: { type: 'payload_too_large', message: `body is larger than ${MAX_READ_BYTES} bytes; the limit is 512000` } });
  });

  it('an endless chunked upload: 413 once the cap is passed, and the server stops reading', async () => {
    const outcome = await hostileUpload(server.url, JSON_HEADERS, Buffer.alloc(64 * 1024, 0x20), 300 * MB);
    expect(outcome.status).toBe(413);
    // The cap plus what socket buffers hold; reading on would have taken all 300 MB.
    expect(outcome.bytesWrittenBeforeClose).toBeLessThan(32 * MB);
    expect(server.requests).toMatchObject([{ reply: 413 }]);
  });

  it('a gzip bomb (200 MB of zeros in 200 KB): 413, decompressing no further than the cap', async () => {
    const bomb = await gzipBomb(200 * MB);
    expect(bomb.byteLength).toBeLessThan(MAX_READ_BYTES);
    const startedAt = performance.now();
    const outcome = await hostileUpload(server.url, { ...JSON_HEADERS, 'content-encoding': 'gzip', 'content-length': String(bomb.byteLength) }, bomb, bomb.byteLength);
    expect(outcome.status).toBe(413);
    expect(JSON.parse(outcome.body)).toMatchObject({ error: { type: 'payload_too_large' } });
    // Inflating all 200 MB takes seconds on this machine; the cap stops it after about 0.6 MB.
    expect(performance.now() - startedAt).toBeLessThan(2000);
  });

  it('a body nested too deeply for JSON.stringify: 400 naming the message, not a 500', async () => {
    const depth = 100_000;
    const message = `{"type":"track","message_id":"m1","timestamp":"2026-11-22T10:15:30.123Z","user_id":"1","event":"e","properties":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const response = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: JSON_HEADERS, body: `{"batch":[${message}]}` });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', message: 'batch[0] is nested too deeply' } });
    expect(server.requests.map((request) => request.reply)).toEqual([400]);
  });

  it('scripted faults still apply to authenticated requests, and never to refused ones', async () => {
    server.reply({ status: 503 });
    const unauthenticated = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"batch":[]}' });
    const scripted = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: JSON_HEADERS, body: '{"batch":[]}' });
    expect([unauthenticated.status, scripted.status]).toEqual([401, 503]);
  });
});
