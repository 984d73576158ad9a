import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../src/testing/index.js';
import { API_KEY, harness, idsOf } from './harness.js';

function gapsMs(requests: { receivedAt: number }[]): number[] {
  return requests.slice(1).map((request, index) => request.receivedAt - requests[index]!.receivedAt);
}

describe('retries', () => {
  it('retries a 5xx with backoff, resending the same message_ids with a fresh sent_at', async () => {
    const { server, letter, errors } = await harness();
    server.reply({ status: 503 }, { status: 500 });
    letter.track({ userId: 1, event: 'a' });
    letter.track({ userId: 1, event: 'b' });
    await letter.flush();
    expect(errors).toEqual([]);
    expect(server.requests.map((request) => request.reply)).toEqual([503, 500, 200]);
    const [first, second, third] = server.requests.map(idsOf);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    const sentAts = server.requests.map((request) => request.body!.sent_at);
    expect(new Set(sentAts).size).toBe(3);
    // Full jitter: each wait is drawn from [0, 250 ms × 2^attempt] (the draws are unit-tested).
    const [firstWait, secondWait] = gapsMs(server.requests);
    // Loose upper bounds (a loaded machine adds latency); they still catch a wrong unit or base.
    expect(firstWait).toBeLessThan(250 + 750);
    expect(secondWait).toBeLessThan(500 + 750);
    expect(server.messages).toHaveLength(2);
  });

  it('waits Retry-After in seconds on a 429, not the shorter backoff', async () => {
    const { server, letter, errors } = await harness();
    server.reply({ status: 429, retryAfter: 1 });
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(errors).toEqual([]);
    expect(server.requests.map((request) => request.reply)).toEqual([429, 200]);
    expect(gapsMs(server.requests)[0]).toBeGreaterThanOrEqual(950);
  });

  it('waits Retry-After as an HTTP date on a 429', async () => {
    const { server, letter, errors } = await harness();
    const at = new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000 + 1000); // 1–2 s ahead, on a whole second
    server.reply({ status: 429, retryAfter: at });
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(errors).toEqual([]);
    expect(server.requests.map((request) => request.reply)).toEqual([429, 200]);
    expect(server.requests[1]!.receivedAt).toBeGreaterThanOrEqual(at.getTime() - 50);
  });

  it('backs off on a 429 whose Retry-After is absent or malformed', async () => {
    const { server, letter, errors } = await harness();
    server.reply({ status: 429 }, { status: 429, retryAfter: 'soon' });
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(errors).toEqual([]);
    expect(server.requests.map((request) => request.reply)).toEqual([429, 429, 200]);
    const [firstWait] = gapsMs(server.requests);
    expect(firstWait).toBeLessThan(250 + 750);
  });

  it('retries a reset connection, and a lost acknowledgement is deduplicated by the server', async () => {
    const { server, letter, errors } = await harness();
    server.reply('reset', 'store-then-reset');
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(errors).toEqual([]);
    expect(server.requests.map((request) => request.reply)).toEqual(['reset', 'reset', 200]);
    expect(server.messages).toHaveLength(1);
  });

  it('retries a request that hangs past the timeout', async () => {
    const { server, letter, errors } = await harness({ timeout: 100 });
    server.reply('hang');
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(errors).toEqual([]);
    expect(server.requests.map((request) => request.reply)).toEqual(['hang', 200]);
  });

  it('retries a response whose body never ends, after the timeout', async () => {
    const { server, letter, errors } = await harness({ timeout: 150 });
    // A 200 whose body stops short of its Content-Length: only the deadline can end the read.
    server.reply({ status: 200, store: true, body: 'x', headers: { 'content-length': '1000000' } });
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(errors).toEqual([]);
    expect(server.requests).toHaveLength(2);
    expect(server.messages).toHaveLength(1);
  });

  it('gives up after maxRetries retries and hands the messages, as sent, to onError', async () => {
    const { server, letter, errors } = await harness({ maxRetries: 1 });
    server.reply({ status: 503 }, { status: 503 });
    letter.track({ userId: 7, event: 'Lost', messageId: 'msg-1' });
    await letter.flush();
    expect(server.requests).toHaveLength(2);
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error!.code).toBe('http_error');
    expect(error!.status).toBe(503);
    expect(error!.requestId).toBe('req_test2');
    expect(error!.body).toEqual({ error: { type: 'api_error', message: 'scripted 503', request_id: 'req_test2' } });
    expect(error!.message).toBe(`Request failed with status code 503: POST ${server.url}/v1/batch: scripted 503 (1 message not delivered after 2 attempts)`);
    expect(error!.messages).toEqual([
      { type: 'track', message_id: 'msg-1', timestamp: expect.any(String), user_id: '7', event: 'Lost' },
    ]);
  });

  it('with maxRetries 0, makes exactly one attempt', async () => {
    const { server, letter, errors } = await harness({ maxRetries: 0 });
    server.reply({ status: 500 });
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(server.requests).toHaveLength(1);
    expect(errors.map((error) => error.status)).toEqual([500]);
  });

  it.each([[400], [401], [403], [413]])('does not retry a %i; it goes to onError at once with the parsed body', async (status) => {
    const { server, letter, errors } = await harness();
    server.reply({ status });
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(server.requests).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'http_error', status, requestId: 'req_test1' });
    expect((errors[0]!.body as { error: { type: string } }).error.type).toEqual(expect.any(String));
    expect(errors[0]!.messages).toHaveLength(1);
  });

  it('reports a wrong API key as a 401 from the server, without the key in the error', async () => {
    const { server, errors } = await harness();
    const { Letter } = await import('../../src/index.js');
    const reported: unknown[] = [];
    const wrong = new Letter({ apiKey: 'lt_test_wrongkey99', baseUrl: server.url, onError: (error) => reported.push(error) });
    wrong.track({ userId: 1, event: 'e' });
    await wrong.close();
    expect(reported).toHaveLength(1);
    const text = `${inspect(reported[0], { depth: 10 })} ${JSON.stringify(reported[0])} ${String(reported[0])}`;
    expect(text).toContain('401');
    expect(text).not.toContain('wrongkey99');
    expect(errors).toEqual([]);
  });

  it('does not follow a redirect, so the API key never reaches another host', async () => {
    const elsewhere = await startTestServer();
    try {
      const { server, letter, errors } = await harness();
      server.reply({ status: 307, headers: { location: `${elsewhere.url}/v1/batch` } });
      letter.track({ userId: 1, event: 'e' });
      await letter.flush();
      expect(elsewhere.requests).toEqual([]);
      expect(server.requests).toHaveLength(1);
      expect(errors.map((error) => [error.code, error.status])).toEqual([['http_error', 307]]);
      expect(errors[0]!.message).toContain('redirects are not followed');
    } finally {
      await elsewhere.close();
    }
  });

  it('reports a refused connection as a network_error after its retries', async () => {
    const closed = await startTestServer();
    await closed.close();
    const { Letter } = await import('../../src/index.js');
    const reported: import('../../src/index.js').LetterError[] = [];
    const letter = new Letter({ apiKey: API_KEY, baseUrl: closed.url, maxRetries: 1, onError: (error) => reported.push(error) });
    letter.track({ userId: 1, event: 'e' });
    await letter.close();
    expect(reported.map((error) => error.code)).toEqual(['network_error']);
    expect(reported[0]!.message).toMatch(/ECONNREFUSED/);
    expect(reported[0]!.messages).toHaveLength(1);
  });
});
