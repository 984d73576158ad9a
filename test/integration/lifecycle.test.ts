import { describe, expect, it } from 'vitest';
import { Letter } from '../../src/index.js';
import { API_KEY, harness } from './harness.js';

describe('close()', () => {
  it('delivers what is queued, then refuses new messages through onError without throwing or sending', async () => {
    const { server, letter, errors } = await harness({ flushInterval: 60_000 });
    letter.track({ userId: 1, event: 'before close' });
    await letter.close();
    expect(server.messages.map((message) => message.event)).toEqual(['before close']);

    expect(() => letter.track({ userId: 1, event: 'after close' })).not.toThrow();
    expect(() => letter.identify({ userId: 1 })).not.toThrow();
    expect(() => letter.group({ userId: 1, accountId: 2 })).not.toThrow();
    await letter.flush();
    expect(server.requests).toHaveLength(1);
    expect(errors.map((error) => [error.code, error.message])).toEqual([
      ['closed', 'track() called after close(); the message was not sent'],
      ['closed', 'identify() called after close(); the message was not sent'],
      ['closed', 'group() called after close(); the message was not sent'],
    ]);
  });

  it('is idempotent: a second call returns the same promise', async () => {
    const { letter } = await harness();
    const first = letter.close();
    expect(letter.close()).toBe(first);
    await first;
    expect(letter.close()).toBe(first);
  });

  it('accepts null options from plain-JS callers', async () => {
    const { server, letter } = await harness();
    letter.track({ userId: 1, event: 'e' });
    await letter.close(null as never);
    expect(server.messages).toHaveLength(1);
  });

  it('waits for a batch that is being retried', async () => {
    const { server, letter } = await harness();
    server.reply({ status: 503 });
    letter.track({ userId: 1, event: 'e' });
    await letter.close();
    expect(server.messages).toHaveLength(1);
  });

  it('runs on `await using` (Symbol.asyncDispose)', async () => {
    const { server } = await harness();
    const { Letter } = await import('../../src/index.js');
    {
      await using scoped = new Letter({ apiKey: API_KEY, baseUrl: server.url, flushInterval: 60_000 });
      scoped.track({ userId: 1, event: 'scoped' });
    }
    expect(server.messages.map((message) => message.event)).toEqual(['scoped']);
  });
});

describe('maxQueueBytes', () => {
  it('drops messages past the byte budget without throwing, and reports them once per burst with a count', async () => {
    const { server, letter, errors } = await harness({ maxQueueBytes: 1_048_576, flushAt: 1000, flushInterval: 60_000 });
    const padding = 'x'.repeat(30_000);
    const results: boolean[] = [];
    for (let index = 0; index < 40; index += 1) {
      results.push(letter.track({ userId: 1, event: `e${index}`, properties: { padding } }));
    }
    // 1 MiB holds 34 messages of 30 KB; the rest of the synchronous burst is dropped, and the
    // calls that could not be queued say so with false.
    expect(results.filter((result) => !result).length).toBeGreaterThanOrEqual(6);
    await letter.flush();
    // Requests run concurrently, so arrival order is not call order.
    expect(server.messages.map((message) => message.event).sort()).toEqual(Array.from({ length: 34 }, (_, index) => `e${index}`).sort());
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'queue_full', dropped: 6 });
    expect(errors[0]!.message).toBe('Queue full (maxQueueBytes 1048576): dropped 6 messages');

    // A second burst is a second report; delivery goes on in between.
    for (let index = 0; index < 36; index += 1) letter.track({ userId: 1, event: `f${index}`, properties: { padding } });
    await letter.flush();
    expect(server.messages).toHaveLength(68);
    expect(errors.map((error) => error.dropped)).toEqual([6, 2]);
    expect(letter.stats()).toMatchObject({ delivered: 68, dropped: 8, queued: 0, queuedBytes: 0, inFlight: 0 });
  });

  it('goes by UTF-8 bytes, not characters: multi-byte messages reach the high-water mark and the budget at their byte size', async () => {
    const { server, letter, errors } = await harness({ maxQueueBytes: 1_048_576, flushAt: 1000, flushInterval: 60_000 });
    // 10,000 characters, 30,000 bytes: counted by length, these would look a third of their size.
    const padding = '€'.repeat(10_000);
    const results: boolean[] = [];
    for (let index = 0; index < 40; index += 1) {
      results.push(letter.track({ userId: 1, event: `e${index}`, properties: { padding } }));
    }
    // The high-water mark is 1 MiB / 8 = 131,072 bytes: 4 messages stay under it, the 5th reaches it.
    expect(results.indexOf(false)).toBe(4);
    const { queuedBytes } = letter.stats();
    expect(queuedBytes).toBeLessThanOrEqual(1_048_576);
    expect(queuedBytes).toBeGreaterThan(1_048_576 - 30_200);
    await letter.flush();
    expect(server.messages).toHaveLength(34);
    expect(errors).toMatchObject([{ code: 'queue_full', dropped: 6 }]);
  });

  it('stats().queuedBytes is the exact UTF-8 size of what is queued, far under the high-water mark too', async () => {
    const { server, letter } = await harness({ flushAt: 1000, flushInterval: 60_000 });
    const events = ['Signed up', 'Café ordered', '注文が完了しました', 'Emoji 🎉 sent'];
    for (let index = 0; index < 40; index += 1) letter.track({ userId: `user ${index}`, event: events[index % events.length]!, properties: { note: 'naïve' } });
    const { queuedBytes } = letter.stats();
    await letter.flush();
    // The API's parser gives back each message; the SDK writes what JSON.stringify of it would.
    const expected = server.messages.reduce((sum, message) => sum + Buffer.byteLength(JSON.stringify(message)), 0);
    expect(queuedBytes).toBe(expected);
  });

  it('replaces maxQueueSize, which is refused with a pointer to the new option', () => {
    expect(() => new Letter({ apiKey: API_KEY, maxQueueSize: 5 } as never)).toThrow(/`maxQueueSize` was replaced by `maxQueueBytes`/);
  });
});

describe('onError', () => {
  it('a throwing onError neither crashes the host nor stops delivery', async () => {
    const { server, letter } = await harness({
      onError: () => {
        throw new Error('handler bug');
      },
    });
    const warnings: string[] = [];
    const originalWarn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      server.reply({ status: 400 });
      letter.track({ userId: 1, event: 'refused' });
      await letter.flush();
      letter.track({ userId: 1, event: 'fine' });
      await letter.flush();
    } finally {
      console.warn = originalWarn;
    }
    expect(server.messages.map((message) => message.event)).toEqual(['fine']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^letterapp: onError threw \(Error: handler bug\) while reporting: Request failed with status code 400/);
  });

  it('defaults to a one-line warning on stderr', async () => {
    const { server } = await harness();
    const { Letter } = await import('../../src/index.js');
    const letter = new Letter({ apiKey: API_KEY, baseUrl: server.url });
    const warnings: unknown[][] = [];
    const originalWarn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      server.reply({ status: 403 });
      letter.track({ userId: 1, event: 'e' });
      await letter.close();
    } finally {
      console.warn = originalWarn;
    }
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]![0])).toMatch(/^letterapp: Request failed with status code 403: POST .*\(1 message not delivered after 1 attempt\)$/);
    expect(String(warnings[0]![0])).not.toContain('\n');
    expect(String(warnings[0]![0])).not.toContain(API_KEY);
  });
});
