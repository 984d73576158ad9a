import { describe, expect, it } from 'vitest';
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

describe('maxQueueSize', () => {
  it('drops messages past the limit without throwing, and reports them once per burst with a count', async () => {
    const { server, letter, errors } = await harness({ maxQueueSize: 5, flushAt: 1000, flushInterval: 60_000 });
    for (let index = 0; index < 12; index += 1) {
      expect(() => letter.track({ userId: 1, event: `e${index}` })).not.toThrow();
    }
    await letter.flush();
    expect(server.messages.map((message) => message.event)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'queue_full', dropped: 7 });
    expect(errors[0]!.message).toBe('Queue full (maxQueueSize 5): dropped 7 messages');

    // A second burst is a second report; delivery goes on in between.
    for (let index = 0; index < 8; index += 1) letter.track({ userId: 1, event: `f${index}` });
    await letter.flush();
    expect(server.messages).toHaveLength(10);
    expect(errors.map((error) => error.dropped)).toEqual([7, 3]);
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
