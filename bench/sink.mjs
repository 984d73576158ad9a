/**
 * The loopback sink: a separate process (forked by run.mjs, talking over IPC) that accepts every
 * SDK's batch format at whatever path it posts to, counts and deduplicates the events, and stamps
 * their arrival with its own clock.
 *
 * Each benchmark run gets a path prefix `/r/<run>/`; every SDK is pointed there through its own
 * host/endpoint option, so requests are attributed to the run that made them.
 *
 * Formats understood (body gzip-decoded when `Content-Encoding: gzip`):
 *   letterapp, baseline   POST …/v1/batch  {"batch":[{message_id,…}],"sent_at"}      Bearer
 *   segment               POST …/v1/batch  {"batch":[{messageId,…}],"writeKey","sentAt"} Basic
 *   rudderstack           POST …/v1/batch  {"batch":[{messageId,…}],"sentAt"}          Basic, gzip
 *   posthog               POST …/batch/    {"api_key","batch":[{uuid,…}],"sent_at"}    gzip
 *   amplitude             POST …/2/httpapi {"api_key","events":[{insert_id?,…}]}
 * One JSON answer satisfies them all (letterapp's `ok/received/duplicates`, Amplitude's `code`,
 * PostHog's `status`).
 */
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { wallNow } from './event.mjs';

/** The contract's body limit, checked for the Letter-format runs. */
const MAX_BODY_BYTES = 512_000;

const runs = new Map();
let requestCounter = 0;

function runFor(id) {
  let run = runs.get(id);
  if (!run) {
    run = {
      requests: 0,
      badRequests: 0,
      events: 0,
      duplicates: 0,
      ids: new Set(),
      orders: new Set(),
      firstArrival: null,
      lastNewArrival: null,
      lastArrival: null,
      maxBodyBytes: 0,
      overLimitBodies: 0,
      gzipBodies: 0,
      paths: {},
      auth: {},
      cpu0: process.cpuUsage(),
    };
    runs.set(id, run);
  }
  return run;
}

function idOf(event) {
  return event.message_id ?? event.messageId ?? event.uuid ?? event.insert_id;
}

function orderOf(event) {
  const props = event.properties ?? event.event_properties;
  return props && typeof props === 'object' ? props.order_id : undefined;
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const arrived = wallNow();
    const match = /^\/r\/([^/]+)(\/.*)?$/.exec(req.url ?? '');
    const run = runFor(match ? match[1] : '_stray');
    const path = match?.[2] ?? req.url ?? '';
    run.requests += 1;
    run.paths[`${req.method} ${path}`] = (run.paths[`${req.method} ${path}`] ?? 0) + 1;
    const scheme = String(req.headers.authorization ?? 'none').split(' ')[0];
    run.auth[scheme] = (run.auth[scheme] ?? 0) + 1;
    run.firstArrival ??= arrived;
    run.lastArrival = arrived;

    let events = [];
    let raw = Buffer.concat(chunks);
    try {
      if (req.headers['content-encoding'] === 'gzip') {
        run.gzipBodies += 1;
        raw = gunzipSync(raw);
      }
      if (raw.length > run.maxBodyBytes) run.maxBodyBytes = raw.length;
      if (raw.length > MAX_BODY_BYTES) run.overLimitBodies += 1;
      if (req.method === 'POST' && raw.length > 0) {
        const body = JSON.parse(raw.toString('utf8'));
        events = Array.isArray(body.batch) ? body.batch : Array.isArray(body.events) ? body.events : [];
      }
    } catch {
      run.badRequests += 1;
    }

    let received = 0;
    let duplicates = 0;
    for (const event of events) {
      // Dedupe on the SDK's message id (the contract's rule); an SDK without one is deduplicated
      // on the workload's unique order_id instead.
      const key = idOf(event) ?? `order:${orderOf(event)}`;
      if (run.ids.has(key)) {
        duplicates += 1;
        continue;
      }
      run.ids.add(key);
      received += 1;
      const order = orderOf(event);
      if (order !== undefined) run.orders.add(order);
    }
    run.events += received;
    run.duplicates += duplicates;
    if (received > 0) run.lastNewArrival = arrived;

    requestCounter += 1;
    const answer = JSON.stringify({
      ok: true,
      received,
      duplicates,
      code: 200,
      events_ingested: received,
      payload_size_bytes: raw.length,
      server_upload_time: Math.round(arrived),
      status: 1,
    });
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(answer),
      'request-id': `req_${requestCounter}`,
    });
    res.end(answer);
  });
});

server.keepAliveTimeout = 30_000;
server.headersTimeout = 60_000;

process.on('message', (msg) => {
  if (msg?.type === 'stats') {
    const run = runs.get(msg.run);
    const { ids, orders, cpu0, ...rest } = run ?? runFor(msg.run);
    const cpu = process.cpuUsage(cpu0);
    process.send({ type: 'stats', run: msg.run, stats: { ...rest, uniqueIds: ids.size, delivered: orders.size || ids.size, sinkCpuMs: (cpu.user + cpu.system) / 1000 } });
    runs.delete(msg.run);
  } else if (msg?.type === 'stop') {
    server.close();
    server.closeAllConnections?.();
    process.disconnect?.();
  }
});

// Asked to stop, or the bench that forked the sink is gone (`kill PID` reaches only the bench
// itself): either way nothing will send to it again.
process.once('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'listening', port: server.address().port });
});
