import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, expect, it } from 'vitest';
import { CHANNELS } from '../../src/index.js';
import { API_KEY, harness } from '../integration/harness.js';

const published: { channel: string; message: Record<string, unknown> }[] = [];
const subscribers = Object.values(CHANNELS).map((name) => {
  const subscriber = (message: unknown): void => void published.push({ channel: name, message: message as Record<string, unknown> });
  return { name, subscriber };
});
afterEach(() => {
  for (const { name, subscriber } of subscribers) diagnosticsChannel.unsubscribe(name, subscriber);
  published.length = 0;
});

it('publishes request start/end, retries, drops and give-ups on letterapp:* channels, without the API key', async () => {
  for (const { name, subscriber } of subscribers) diagnosticsChannel.subscribe(name, subscriber);
  expect(Object.values(CHANNELS)).toEqual(['letterapp:request:start', 'letterapp:request:end', 'letterapp:retry', 'letterapp:drop', 'letterapp:give-up']);
  const { server, letter } = await harness({ maxRetries: 1, maxQueueBytes: 1_048_576, flushInterval: 60_000 });
  const endpoint = `${server.url}/v1/batch`;
  server.reply({ status: 503 });
  letter.track({ userId: 1, event: 'retried then delivered' });
  await letter.flush();
  server.reply({ status: 400 });
  letter.track({ userId: 1, event: 'refused' });
  await letter.flush();
  const padding = 'x'.repeat(30_000);
  for (let index = 0; index < 40; index += 1) letter.track({ userId: 1, event: 'burst', properties: { padding } });
  await letter.flush();

  const on = (channel: string) => published.filter((entry) => entry.channel === channel).map((entry) => entry.message);
  expect(on('letterapp:request:start')[0]).toEqual({ endpoint, messages: 1, bytes: expect.any(Number), attempt: 1 });
  expect(on('letterapp:request:end').slice(0, 3)).toEqual([
    { endpoint, messages: 1, bytes: expect.any(Number), attempt: 1, outcome: 'retry', code: 'http_error', status: 503, durationMs: expect.any(Number) },
    { endpoint, messages: 1, bytes: expect.any(Number), attempt: 2, outcome: 'delivered', status: 200, durationMs: expect.any(Number) },
    { endpoint, messages: 1, bytes: expect.any(Number), attempt: 1, outcome: 'fail', code: 'http_error', status: 400, durationMs: expect.any(Number) },
  ]);
  expect(on('letterapp:retry')).toEqual([
    { endpoint, messages: 1, attempt: 1, waitMs: expect.any(Number), awaited: true, code: 'http_error', status: 503, state: 'backing_off' },
  ]);
  expect(on('letterapp:give-up')).toEqual([{ endpoint, messages: 1, attempts: 1, code: 'http_error', status: 400, ambiguous: false }]);
  expect(on('letterapp:drop').length).toBeGreaterThan(0);
  expect(on('letterapp:drop')[0]).toEqual({ type: 'track', bytes: expect.any(Number), queuedBytes: expect.any(Number), maxQueueBytes: 1_048_576 });
  expect(JSON.stringify(published)).not.toContain(API_KEY);
});

it('publishes nothing, and builds no payload, when nobody subscribes', async () => {
  const { server, letter } = await harness();
  letter.track({ userId: 1, event: 'quiet' });
  await letter.flush();
  expect(server.messages).toHaveLength(1);
  expect(published).toEqual([]);
  for (const name of Object.values(CHANNELS)) expect(diagnosticsChannel.hasSubscribers(name)).toBe(false);
});
