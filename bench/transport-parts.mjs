#!/usr/bin/env node
/**
 * The per-request pieces of letterapp's transport, timed one by one in this process (issue 11,
 * "where the time goes"): what each costs per request, and per event at the default 50 events per
 * body. Run: `node bench/transport-parts.mjs` (after `npm run build`); loopback only.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { makeEvent } from './event.mjs';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const { nodeHttpFetch } = await import(`${ROOT_DIR}dist/node-http.js`);
const EVENTS_PER_BODY = 50;
const ANSWER = '{"ok":true,"received":50,"duplicates":0}';
const body = `{"batch":[${Array.from({ length: EVENTS_PER_BODY }, (_, i) => JSON.stringify({ type: 'track', message_id: crypto.randomUUID(), timestamp: new Date().toISOString(), user_id: 'u', event: 'Order Completed', properties: makeEvent(i).properties })).join(',')}],"sent_at":"${new Date().toISOString()}"}`;

async function time(name, n, fn) {
  for (let i = 0; i < Math.min(1000, n); i++) await fn(i); // warm-up: JIT, and the keep-alive connection
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn(i);
  const cpu = process.cpuUsage(cpu0);
  const us = (cpu.user + cpu.system) / n;
  console.log(`${name.padEnd(64)} ${us.toFixed(2).padStart(8)} µs CPU per request  ${(us / EVENTS_PER_BODY).toFixed(3).padStart(7)} µs per event`);
}

async function readWithReader(response) {
  const reader = response.body.getReader();
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return JSON.parse(new TextDecoder().decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
}

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': ANSWER.length });
    res.end(ANSWER);
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/v1/batch`;
const init = (signal) => ({ method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json', 'user-agent': 'letterapp-node/0' }, body, redirect: 'manual', signal });

console.log(`body: ${body.length} bytes, ${EVENTS_PER_BODY} events; CPU of this process (client and server both, so compare rows, not absolutes)`);
await time('no-op (loop and await)', 20000, async () => {});
await time('AbortController + setTimeout + outer abort listener, cleared', 20000, async () => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  const outer = new AbortController();
  const onAbort = () => controller.abort();
  outer.signal.addEventListener('abort', onAbort, { once: true });
  clearTimeout(timer);
  outer.signal.removeEventListener('abort', onAbort);
});
await time('AbortSignal.timeout(10000)', 20000, async () => {
  AbortSignal.timeout(10_000);
});
await time('encode the body to UTF-8 (Buffer.from)', 20000, async () => {
  Buffer.from(body, 'utf8');
});
await time('read a 40-byte answer through getReader() + TextDecoder + JSON.parse', 20000, async () => {
  await readWithReader(new Response(ANSWER));
});
await time('read a 40-byte answer with text() + JSON.parse', 20000, async () => {
  JSON.parse(await new Response(ANSWER).text());
});
await time('new Response(string) only', 20000, async () => {
  new Response(ANSWER);
});
for (const [name, f] of [['global fetch (undici)', fetch], ['letterapp/node-http', nodeHttpFetch]]) {
  await time(`${name}: POST, reader read, no signal`, 3000, async () => {
    await readWithReader(await f(url, init(undefined)));
  });
  await time(`${name}: POST, reader read, with AbortController signal`, 3000, async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    await readWithReader(await f(url, init(controller.signal)));
    clearTimeout(timer);
  });
  await time(`${name}: POST, arrayBuffer() read, with signal`, 3000, async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    await (await f(url, init(controller.signal))).arrayBuffer();
    clearTimeout(timer);
  });
  await time(`${name}: POST a pre-encoded Uint8Array body, reader read, with signal`, 3000, async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    await readWithReader(await f(url, { ...init(controller.signal), body: Buffer.from(body) }));
    clearTimeout(timer);
  });
}
server.close();
server.closeAllConnections();
