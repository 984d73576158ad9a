// Delivery that holds (issue 9): bursts, outages, Retry-After and poison batches, through the
// public API against the contract server with scripted faults.
import { describe, expect, it } from 'vitest';
import { Letter, type LetterError } from '../../src/index.js';
import { startTestServer, type Reply } from '../../src/testing/index.js';
import { API_KEY, harness } from './harness.js';

const properties = { plan: 'pro', price: 49.5, currency: 'EUR', coupon: 'WINTER', items: 3, trial: false, source: 'web', campaign: 'launch', referrer: 'newsletter', path: '/checkout' };


describe('delivery that holds', () => {
  it('a synchronous loop of 100,000 typical events is delivered in full with default options', async () => {
    const { server, letter, errors } = await harness();
    for (let index = 0; index < 100_000; index += 1) letter.track({ userId: index, event: 'Checkout Completed', properties });
    await letter.close();
    expect(errors).toEqual([]);
    expect(server.messages).toHaveLength(100_000);
    expect(letter.stats()).toMatchObject({ delivered: 100_000, dropped: 0, givenUp: 0, queued: 0 });
  }, 60_000);

  it('calls return false at the high-water mark, and the drain() recipe moves 100,000 events with the queue bounded', async () => {
    const { server, letter, errors } = await harness();
    let waits = 0;
    let maxHeldBytes = 0;
    for (let index = 0; index < 100_000; index += 1) {
      if (!letter.track({ userId: index, event: 'Imported', properties })) {
        waits += 1;
        maxHeldBytes = Math.max(maxHeldBytes, letter.stats().queuedBytes);
        await letter.drain();
        expect(letter.stats().queuedBytes).toBeLessThanOrEqual(4 * 2 ** 20);
      }
    }
    await letter.close();
    expect(errors).toEqual([]);
    expect(server.messages).toHaveLength(100_000);
    expect(waits).toBeGreaterThan(0);
    // The high-water mark is maxQueueBytes / 8: 8 MiB by default.
    expect(maxHeldBytes).toBeGreaterThanOrEqual(8 * 2 ** 20);
    expect(maxHeldBytes).toBeLessThan(8 * 2 ** 20 + 1024);
  }, 60_000);

  it('rides out an outage (refused, then 503s, then a 429 with Retry-After): every event tracked is delivered once, one request at a time while failing', async () => {
    // Connections refused: nothing listens on the port yet.
    const placeholder = await startTestServer({ apiKey: API_KEY });
    const port = Number(new URL(placeholder.url).port);
    await placeholder.close();
    const reported: LetterError[] = [];
    const letter = new Letter({ apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}`, flushAt: 5, flushInterval: 20, onError: (error) => reported.push(error) });
    const tracked: string[] = [];
    let sequence = 0;
    const ticker = setInterval(() => {
      const messageId = `m${sequence++}`;
      tracked.push(messageId);
      letter.track({ userId: 1, event: 'Steady', messageId });
    }, 10);
    try {
      await waitMs(400);
      // The API comes back as 503s, then asks for quiet with Retry-After, then is healthy.
      let outstanding = 0;
      let maxOutstanding = 0;
      let healthy = false;
      const faults: Reply[] = [{ status: 503 }, { status: 429, retryAfter: 1 }];
      const server = await startTestServer({
        apiKey: API_KEY,
        port,
        replies: () => {
          outstanding += 1;
          if (!healthy) maxOutstanding = Math.max(maxOutstanding, outstanding);
          const fault = faults.shift();
          if (fault === undefined) healthy = true;
          return fault ?? 'ok';
        },
        onRequest: () => {
          outstanding -= 1;
        },
      });
      try {
        // Probe waits are full-jitter draws from windows that double per failure: up to some 10 s here.
        await waitFor(() => healthy, 30_000);
        clearInterval(ticker);
        await letter.close();
        const storedIds = server.messages.map((message) => message.message_id);
        expect(new Set(storedIds).size).toBe(storedIds.length);
        expect(storedIds.sort()).toEqual([...tracked].sort());
        expect(maxOutstanding).toBe(1);
        // One report for the whole outage, and nothing given up or dropped.
        expect(reported.map((error) => error.code)).toEqual(['api_unavailable']);
        expect(reported[0]!.held).toBeGreaterThan(0);
        expect(letter.stats()).toMatchObject({ givenUp: 0, dropped: 0, state: 'ok' });
      } finally {
        await server.close();
      }
    } finally {
      clearInterval(ticker);
      await letter.close({ timeout: 0 });
    }
  }, 45_000);

  it('a Retry-After pauses every batch: no request reaches the server before it expires', async () => {
    const { server, letter, errors } = await harness({ flushAt: 1 });
    server.reply({ status: 429, retryAfter: 1 });
    letter.track({ userId: 1, event: 'first' });
    await waitFor(() => server.requests.length === 1 && letter.stats().state === 'backing_off', 2000);
    for (let index = 0; index < 20; index += 1) letter.track({ userId: 1, event: `later ${index}` });
    await letter.flush();
    // Told once that delivery is failing; nothing given up.
    expect(errors.map((error) => error.code)).toEqual(['api_unavailable']);
    const [first, ...rest] = server.requests;
    expect(rest.length).toBeGreaterThan(0);
    for (const request of rest) expect(request.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(server.messages).toHaveLength(21);
  });

  it('flush() during an outage settles on the maxRetries schedule with exactly its messages; later messages wait and are delivered after recovery', async () => {
    let down = true;
    const { server, letter, errors } = await harness({ flushInterval: 10 }, { replies: () => (down ? { status: 503 } : 'ok') });
    letter.track({ userId: 1, event: 'covered 1' });
    letter.track({ userId: 1, event: 'covered 2' });
    const startedAt = Date.now();
    const flushed = letter.flush();
    letter.track({ userId: 1, event: 'later' });
    await flushed;
    // Three retries after waits drawn from [0, 250], [0, 500] and [0, 1000] ms.
    expect(Date.now() - startedAt).toBeLessThan(1750 + 1000);
    const givenUp = errors.filter((error) => error.messages);
    expect(givenUp.flatMap((error) => error.messages!.map((message) => message.event)).sort()).toEqual(['covered 1', 'covered 2']);
    expect(givenUp[0]!.message).toMatch(/after 4 attempts/);
    expect(letter.stats().queued).toBe(1);
    down = false;
    await waitFor(() => server.messages.length === 1, 40_000);
    expect(server.messages.map((message) => message.event)).toEqual(['later']);
  }, 45_000);

  it('a poison batch is given up after maxRetries while the batches after it are delivered', async () => {
    const { server, letter, errors } = await harness(
      { flushAt: 1, maxRetries: 2 },
      { replies: (request) => ((request.body?.batch ?? []).some((message) => message.event === 'poison') ? { status: 500 } : 'ok') },
    );
    letter.track({ userId: 1, event: 'poison' });
    const tick = setInterval(() => letter.track({ userId: 1, event: 'healthy' }), 20);
    try {
      await waitFor(() => errors.some((error) => error.messages), 20_000);
    } finally {
      clearInterval(tick);
    }
    await letter.flush();
    const givenUp = errors.filter((error) => error.messages);
    expect(givenUp).toHaveLength(1);
    expect(givenUp[0]!.messages!.map((message) => message.event)).toEqual(['poison']);
    expect(server.messages.length).toBeGreaterThan(0);
    expect(server.messages.every((message) => message.event === 'healthy')).toBe(true);
    expect(letter.stats().givenUp).toBe(1);
  }, 30_000);
});

function waitMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls a condition the server's state exposes no event for; fails the test at the limit. */
async function waitFor(condition: () => boolean, limitMs: number): Promise<void> {
  const startedAt = Date.now();
  while (!condition()) {
    if (Date.now() - startedAt > limitMs) throw new Error(`condition not met within ${limitMs} ms`);
    await waitMs(10);
  }
}
