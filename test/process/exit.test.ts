import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../src/testing/index.js';
import { runFixture } from './run-child.js';

const API_KEY = 'lt_test_processkey';
let server: TestServer;
let env: Record<string, string>;

beforeEach(async () => {
  server = await startTestServer({ apiKey: API_KEY });
  env = { LETTER_API_KEY: API_KEY, LETTER_BASE_URL: server.url };
});

afterEach(async () => {
  await server.close();
});

describe('process lifecycle (child processes running the built package)', () => {
  it('delivers queued messages when the event loop empties, without close()', async () => {
    const result = await runFixture('natural-exit.mjs', env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(server.messages.map((message) => message.type)).toEqual(['identify', 'track', 'track']);
  });

  it('`await close()` finishes through a 503, then the process exits promptly', async () => {
    server.reply({ status: 503 });
    const result = await runFixture('close-through-503.mjs', env);
    expect(result.code).toBe(0);
    expect(server.requests.map((request) => request.reply)).toEqual([503, 200]);
    expect(server.messages).toHaveLength(1);
    const closedAt = Number(/closed (\d+)/.exec(result.stdout)?.[1]);
    // Nothing the SDK started may hold the process after close(): exit follows within moments.
    expect(result.exitedAt - closedAt).toBeLessThan(1000);
  });

  it('an idle client, or a flushed one never closed, does not keep the process alive', async () => {
    const result = await runFixture('idle.mjs', env);
    expect(result.code).toBe(0);
    expect(server.messages).toHaveLength(1);
    const idleAt = Number(/idle (\d+)/.exec(result.stdout)?.[1]);
    expect(result.exitedAt - idleAt).toBeLessThan(1000);
  });

  it('fifty clients share one beforeExit listener and all deliver at exit', async () => {
    const result = await runFixture('many-clients.mjs', env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('listeners 1');
    expect(server.messages).toHaveLength(50);
  });

  it('a send that is due starts at once even in an idle process (no unrelated wake-up needed)', async () => {
    const result = await runFixture('idle-wake.mjs', env);
    expect(result.code).toBe(0);
    const trackedAt = Number(/tracked (\d+)/.exec(result.stdout)?.[1]);
    expect(server.requests).toHaveLength(1);
    // Before the fix the request left only when the 1.5 s timer woke the loop.
    expect(server.requests[0]!.receivedAt - trackedAt).toBeLessThan(500);
  });

  it('with the API unreachable at exit, hands the messages to onError and still exits', async () => {
    const down = await startTestServer();
    await down.close();
    const result = await runFixture('server-down.mjs', { ...env, LETTER_BASE_URL: down.url });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('onError network_error 1');
  });

  it('a fetch wrapped before the SDK loaded, which drops duplex and so refuses a stream body, still delivers everything', async () => {
    const result = await runFixture('wrapped-fetch.mjs', env);
    expect(result.code).toBe(0);
    // The first body is refused before it is sent and goes again as bytes; the second goes as bytes.
    expect(JSON.parse(result.stdout)).toEqual({ calls: 3, errors: [] });
    expect(server.messages).toHaveLength(200);
    expect(server.requests.map((request) => request.reply)).toEqual([200, 200]);
  });

  it('letterapp/node-http rejects a header value that Headers refuses, under --insecure-http-parser, instead of crashing the host', async () => {
    const result = await runFixture('insecure-parser.mjs', env, ['--insecure-http-parser']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ rejected: 'TypeError: fetch failed' });
  });

  it('works through require() (the CommonJS build)', async () => {
    const result = await runFixture('require.cjs', env);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('cjs function function');
    expect(server.messages).toHaveLength(1);
  });

  it('makes no TextEncoder or TextDecoder while it is imported', async () => {
    const result = await runFixture('import-work.cjs', env);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ encoders: 0, decoders: 0 });
    expect(server.messages).toHaveLength(1);
  });
});
