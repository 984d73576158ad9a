/**
 * The transport suites again, with `letterapp/node-http` in place of undici's fetch. Every client
 * in those files takes `globalThis.fetch` as its default when it is built, so swapping the global
 * for the duration of this file runs them unchanged over the real node:http transport.
 */
import { afterAll, expect } from 'vitest';
import { nodeHttpFetch } from '../../src/node-http.js';

// Loaded before the swap, so the SDK knows Node's own fetch and sends node-http plain bytes, as it
// does for `new Letter({ fetch: nodeHttpFetch })`, instead of the stream it gives undici.
await import('../../src/index.js');
const undiciFetch = globalThis.fetch;
let calls = 0;
globalThis.fetch = ((input: string | URL, init?: RequestInit) => {
  calls += 1;
  return nodeHttpFetch(input, init);
}) as typeof fetch;
afterAll(() => {
  globalThis.fetch = undiciFetch;
  // Proof that the suites did go through node-http, not a fetch captured before the swap.
  expect(calls).toBeGreaterThan(40);
});

await import('../integration/delivery.test.js');
await import('../integration/lifecycle.test.js');
await import('../integration/retries.test.js');
await import('../reliability/hostile-server.test.js');
