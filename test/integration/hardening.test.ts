// Regression tests for the defects an adversarial review confirmed (issue 8), each through the
// public API against the contract server. The item number is in each test's name.
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { Letter, LetterError, type FetchLike } from '../../src/index.js';
import { API_KEY, harness } from './harness.js';

/** A fetch wrapper that drops `init.signal`, as some instrumentation and proxy wrappers do. */
const signalIgnoring: FetchLike = (input, init) => {
  const { signal: _dropped, ...rest } = init;
  return fetch(input, rest);
};

describe('hardening', () => {
  it('1: a transport that ignores the signal cannot hang close({ timeout }) or the request timeout', async () => {
    const { server, letter, errors } = await harness({ fetch: signalIgnoring, flushInterval: 60_000 });
    server.reply('hang', 'hang', 'hang', 'hang', 'hang');
    letter.track({ userId: 1, event: 'e' });
    const startedAt = Date.now();
    await letter.close({ timeout: 300 });
    expect(Date.now() - startedAt).toBeLessThan(1500);
    expect(errors.flatMap((error) => error.messages ?? [])).toHaveLength(1);
  });

  it('1: the per-request timeout holds by the SDK clock when the transport ignores the signal', async () => {
    const { server, letter, errors } = await harness({ fetch: signalIgnoring, timeout: 100, maxRetries: 1 });
    server.reply('hang');
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(errors).toEqual([]);
    expect(server.requests.map((request) => request.reply)).toEqual(['hang', 200]);
  });

  it('2: close({ timeout }) beyond what a timer holds means no deadline, not "give up after 1 ms"', async () => {
    const { server, letter, errors } = await harness();
    server.reply({ delayMs: 50 });
    letter.track({ userId: 1, event: 'e' });
    await letter.close({ timeout: Number.MAX_SAFE_INTEGER });
    expect(errors).toEqual([]);
    expect(server.messages).toHaveLength(1);
  });

  it('2: the timeout option refuses 2^31 ms, and takes Infinity as no deadline', async () => {
    expect(() => new Letter({ apiKey: API_KEY, timeout: 2 ** 31 })).toThrow(/`timeout`.*2147483647/);
    const { server, letter, errors } = await harness({ timeout: Number.POSITIVE_INFINITY });
    server.reply({ delayMs: 30 });
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(errors).toEqual([]);
    expect(server.messages).toHaveLength(1);
  });

  it('3: close() called from onError during a queue_full report waits for the batch in flight', async () => {
    let letter!: Letter;
    let closing: Promise<void> | undefined;
    const { server, letter: client, errors } = await harness({
      maxQueueBytes: 1_048_576,
      flushAt: 100,
      onError: (error) => {
        errors.push(error);
        if (error.code === 'queue_full') closing ??= letter.close();
      },
    });
    letter = client;
    server.reply({ status: 503 });
    const padding = 'x'.repeat(30_000);
    for (let index = 0; index < 40; index += 1) letter.track({ userId: 1, event: `e${index}`, properties: { padding } });
    await vi.waitFor(() => expect(closing).toBeDefined());
    await closing;
    const stored = server.messages.length;
    const reported = errors.flatMap((error) => error.messages ?? []).length;
    const dropped = errors.reduce((sum, error) => sum + (error.dropped ?? 0), 0);
    expect(stored + reported + dropped).toBe(40);
    expect(letter.stats()).toMatchObject({ queued: 0, inFlight: 0 });
  });

  it('4: close() called inside beforeSend refuses the message being built, and reports it', async () => {
    let letter!: Letter;
    const { server, letter: client, errors } = await harness({
      beforeSend: (message) => {
        if (message.type === 'track' && message.event === 'closer') void letter.close();
        return message;
      },
    });
    letter = client;
    letter.track({ userId: 1, event: 'before' });
    expect(letter.track({ userId: 1, event: 'closer' })).toBe(false);
    await letter.close();
    expect(server.messages.map((message) => message.event)).toEqual(['before']);
    expect(errors.map((error) => error.code)).toEqual(['closed']);
  });

  it('5: properties or traits whose toJSON gives a non-object are refused at the call, and good messages still go', async () => {
    const { server, letter } = await harness();
    letter.track({ userId: 1, event: 'good' });
    const nullish = { toJSON: () => null };
    expect(() => letter.track({ userId: 1, event: 'bad', properties: nullish })).toThrow(/properties must serialize to a JSON object, but its toJSON\(\) gave null/);
    expect(() => letter.identify({ userId: 1, traits: { toJSON: () => 'text' } })).toThrow(/traits must serialize to a JSON object/);
    expect(() => letter.group({ userId: 1, accountId: 'a', traits: { toJSON: () => [1] } })).toThrow(/traits must serialize to a JSON object/);
    await letter.flush();
    expect(server.messages.map((message) => message.event)).toEqual(['good']);
  });

  it('6: an onError that throws a value whose String() throws neither crashes the host nor breaks track()', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { server, letter } = await harness({
      onError: () => {
        throw Object.create(null);
      },
    });
    server.reply({ status: 400 });
    letter.track({ userId: 1, event: 'refused' });
    await letter.flush();
    await letter.close();
    expect(() => letter.track({ userId: 1, event: 'after close' })).not.toThrow();
    expect(warn.mock.calls.map(([line]) => String(line))).toEqual([
      expect.stringMatching(/^letterapp: onError threw \(a value that cannot be converted to a string\) while reporting: Request failed with status code 400/),
      expect.stringMatching(/onError threw .* while reporting: track\(\) called after close\(\)/),
    ]);
    warn.mockRestore();
  });

  it('6: a getter, toJSON or beforeSend that throws a value whose String() throws gives a LetterError, not a TypeError', async () => {
    const unprintable = Object.create(null) as object;
    const { letter } = await harness();
    const getter = {
      get total(): number {
        throw unprintable;
      },
    };
    expect(() => letter.track({ userId: 1, event: 'e', properties: getter })).toThrow(/^properties\.total threw when read: a value that cannot be converted to a string$/);
    expect(() => letter.track({ userId: 1, event: 'e', properties: { toJSON: () => { throw unprintable; } } })).toThrow(/^properties\.toJSON\(\) threw: a value that cannot be converted to a string$/);
    const hooked = new Letter({ apiKey: API_KEY, beforeSend: () => { throw unprintable; } });
    expect(() => hooked.track({ userId: 1, event: 'e' })).toThrow(LetterError);
    await hooked.close();
  });

  it('7: an onError that calls track() after close() does not recurse or loop', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let calls = 0;
    let letter!: Letter;
    const { letter: client } = await harness({
      onError: () => {
        calls += 1;
        letter.track({ userId: 1, event: 'again' });
      },
    });
    letter = client;
    await letter.close();
    letter.track({ userId: 1, event: 'after close' });
    // The report, the report raised inside onError, and then a line on stderr: no more.
    expect(calls).toBe(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/raised inside onError while it handled an earlier report/);
    warn.mockRestore();
  });

  it('8: a fetch whose responses have no WHATWG body stream (node-fetch v2) still delivers', async () => {
    // node-fetch v2's body is a Node Readable: async-iterable, with no getReader().
    const nodeFetchLike: FetchLike = async (input, init) => {
      const response = await fetch(input, init);
      const text = await response.text();
      return { status: response.status, type: 'default', headers: response.headers, body: Readable.from([Buffer.from(text)]) } as unknown as Response;
    };
    const textOnly: FetchLike = async (input, init) => {
      const response = await fetch(input, init);
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: null, text: async () => text } as unknown as Response;
    };
    for (const transport of [nodeFetchLike, textOnly]) {
      const { server, letter, errors } = await harness({ fetch: transport });
      server.reply({ status: 400 });
      letter.track({ userId: 1, event: 'refused' });
      await letter.flush();
      letter.track({ userId: 1, event: 'delivered' });
      await letter.flush();
      expect(server.messages.map((message) => message.event)).toEqual(['delivered']);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.body).toMatchObject({ error: { type: 'invalid_request_error' } });
    }
  });

  it('9: a later, shorter close({ timeout }) after a plain close() applies its deadline', async () => {
    const { server, letter, errors } = await harness({ timeout: 5000 });
    server.reply('hang', 'hang', 'hang', 'hang');
    letter.track({ userId: 1, event: 'e' });
    const first = letter.close();
    const startedAt = Date.now();
    const second = letter.close({ timeout: 200 });
    expect(second).toBe(first);
    await second;
    expect(Date.now() - startedAt).toBeLessThan(1500);
    expect(errors.map((error) => error.code)).toEqual(['timeout']);
  });

  it('13: a request the runtime refuses before sending (a port fetch forbids) is reported at once, not retried', async () => {
    const errors: LetterError[] = [];
    // Port 10080 is on fetch's list of bad ports: undici refuses it without connecting.
    const letter = new Letter({ apiKey: API_KEY, baseUrl: 'http://127.0.0.1:10080', onError: (error) => errors.push(error) });
    letter.track({ userId: 1, event: 'e' });
    const startedAt = Date.now();
    await letter.close();
    expect(Date.now() - startedAt).toBeLessThan(200);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'network_error' });
    expect(errors[0]!.message).toMatch(/refused by the runtime before sending, not retried .*\(1 message not delivered after 1 attempt\)/);
  });

  it('14 and 30: a 413 splits the batch until the halves fit; a single message still refused is reported with the body size', async () => {
    // A proxy with a 2 KB body limit in front of the API.
    const { server, letter, errors } = await harness({ flushAt: 20 }, {
      replies: (request) => (request.bytes > 2000 ? { status: 413, body: '<html>413 Request Entity Too Large</html>' } : 'ok'),
    });
    for (let index = 0; index < 19; index += 1) letter.track({ userId: 1, event: `e${index}` });
    letter.track({ userId: 1, event: 'huge', properties: { padding: 'x'.repeat(3000) } });
    await letter.flush();
    expect(server.messages.map((message) => message.event).sort()).toEqual(Array.from({ length: 19 }, (_, index) => `e${index}`).sort());
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'http_error', status: 413, body: '<html>413 Request Entity Too Large</html>' });
    expect(errors[0]!.message).toMatch(/a body of \d{4} bytes with one message was refused as too large; a proxy in front of the API may have a lower limit/);
    expect(errors[0]!.messages!.map((message) => message.event)).toEqual(['huge']);
  });

  it('16: the default onError escapes control characters in server text', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { server, letter } = await harness({ onError: undefined });
    server.reply({ status: 400, body: { error: { type: 'invalid_request_error', message: 'bad\u001b[2J\u009b31m' } } });
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    const line = String(warn.mock.calls[0]![0]);
    expect(line).toContain('bad\\u001b[2J\\u009b31m');
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    warn.mockRestore();
  });

  it('26: util.inspect of a LetterError lists only the fields that are set', () => {
    const error = new LetterError('x', { code: 'config' });
    expect(Object.keys(error).sort()).toEqual(['code', 'name']);
    expect(inspect(error)).not.toContain('undefined');
  });

  it('28: a 503 with Retry-After is waited out like a 429', async () => {
    const { server, letter, errors } = await harness();
    server.reply({ status: 503, retryAfter: 1 });
    letter.track({ userId: 1, event: 'e' });
    await letter.flush();
    expect(errors).toEqual([]);
    const [first, second] = server.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('29: a batch given up after timeouts or a 504 "may not have been delivered", and replaying it is safe', async () => {
    const { server, letter, errors } = await harness({ maxRetries: 1 });
    server.reply({ status: 504, store: true }, { status: 504, store: true }, { status: 400 });
    letter.track({ userId: 1, event: 'maybe stored' });
    await letter.flush();
    letter.track({ userId: 1, event: 'refused' });
    await letter.flush();
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/\(1 message may not have been delivered after 2 attempts; replaying LetterError.messages is safe, since the API deduplicates on message_id\)$/),
      expect.stringMatching(/\(1 message not delivered after 1 attempt\)$/),
    ]);
  });
});
