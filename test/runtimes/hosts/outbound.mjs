// What the edge hosts share: one request into a Worker-shaped module (smoke/worker-*.mjs), with
// the Worker's outbound fetch routed to the local test server, so nothing leaves the machine.
//
//   node hosts/<runtime>.mjs <smoke file> [--respond-first N]
//
// The smoke modules use the SDK's default baseUrl, https://api.letter.app: requests there go to
// LETTER_BASE_URL (the harness's test server); requests to loopback (a redirect's target) pass
// through; anything else is refused with a 502 and never sent. With --respond-first N the outbound
// side holds every request until the Worker's response has reached the host, and once the
// promises the Worker handed to waitUntil have settled, the server must have acknowledged N
// messages: a Worker that held its response until delivery never answers, and one that delivered
// outside waitUntil has not delivered yet (a platform may freeze it then); both are reported.

import { parseArgs } from 'node:util';

const API_ORIGIN = 'https://api.letter.app';
/** Where a host's Worker wrapper reports that the Worker's waitUntil promises have settled. */
export const SETTLED_URL = 'http://matrix.invalid/wait-until-settled';
/** A guard against a Worker that never answers, not a wait: a response normally comes in milliseconds. */
const RESPONSE_GUARD_MS = 20_000;

export function parseHostArgs() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'respond-first': { type: 'string' } } });
  const expected = values['respond-first'] === undefined ? undefined : Number(values['respond-first']);
  return { file: positionals[0], respondFirst: expected };
}

/**
 * The outbound side. `route(url)` is where a request may go (undefined: refused); `relay(request)`
 * forwards one request as a Worker's outbound service must, the 3xx included (workerd applies
 * the request's redirect mode itself); `beforeSend()` holds a request per --respond-first;
 * `sent(body, response)` counts what the server acknowledged.
 */
export function createOutbound({ respondFirst }) {
  const serverUrl = process.env.LETTER_BASE_URL;
  let markResponded;
  const responded = new Promise((resolve) => (markResponded = resolve));
  if (respondFirst === undefined) markResponded();
  let acknowledged = 0;
  let markSettled;
  const settled = new Promise((resolve) => (markSettled = resolve));

  function route(url) {
    const parsed = new URL(url);
    if (parsed.origin === API_ORIGIN) return new URL(parsed.pathname + parsed.search, serverUrl).href;
    if (parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost') return parsed.href;
    return undefined;
  }

  // The SDK hands fetch its body as UTF-8 bytes (a Uint8Array); a string is read the same way.
  function sent(body, response) {
    if (!response.ok) return;
    const text = typeof body === 'string' ? body : ArrayBuffer.isView(body) ? new TextDecoder().decode(body) : undefined;
    if (text !== undefined) acknowledged += JSON.parse(text).batch?.length ?? 0;
  }

  async function relay(request) {
    if (request.url === SETTLED_URL) {
      markSettled();
      return new Response(null, { status: 204 });
    }
    const target = route(request.url);
    if (!target) return new Response(`refused by the matrix: ${new URL(request.url).origin} is not loopback`, { status: 502 });
    await responded;
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
    const headers = new Headers(request.headers);
    headers.delete('host');
    const response = await fetch(target, { method: request.method, headers, body, redirect: 'manual' });
    const text = await response.text();
    sent(body, response);
    return new Response(text, { status: response.status, headers: response.headers });
  }

  /**
   * Runs `dispatch()`, one request into the Worker, which resolves with the response and
   * `waitUntilSettled()`; returns the response's body once the rules above are met.
   */
  async function exchange(dispatch) {
    let guard;
    const held = new Promise((_resolve, reject) => {
      guard = setTimeout(() => reject(new Error(`no response from the Worker within ${RESPONSE_GUARD_MS} ms${respondFirst ? ': it held its response until delivery' : ''}`)), RESPONSE_GUARD_MS);
    });
    try {
      const { response, waitUntilSettled } = await Promise.race([dispatch(), held]);
      const body = await response.text();
      markResponded();
      if (response.status !== 200) throw new Error(`the Worker answered ${response.status}: ${body}`);
      await waitUntilSettled();
      if (respondFirst && acknowledged < respondFirst) {
        throw new Error(`${acknowledged} of ${respondFirst} messages acknowledged when the Worker's waitUntil promises settled: delivery was not inside waitUntil`);
      }
      return body;
    } finally {
      clearTimeout(guard);
    }
  }

  return { route, beforeSend: () => responded, sent, relay, exchange, settled };
}
