/**
 * The app under load, in its own process (forked by host.mjs, talking over IPC):
 *
 *   node host-app.mjs <http|express> <variant> <sink-base-url>
 *
 * Answers every request with a small JSON body after one `track()` of the shared event (none for
 * the `none` variant). It measures itself: CPU time (`process.cpuUsage()`), event-loop delay
 * (`monitorEventLoopDelay`), peak RSS (`maxRSS`). Messages: `reset` starts the measured window;
 * `stop` ends it, drains the SDK (its own close/flush, at most 15 s) and reports; `exit` exits.
 */
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { makeEvent } from './event.mjs';
import { hostVariant } from './host-variants.mjs';

const [appKind, variantId, base] = process.argv.slice(2);
const DRAIN_LIMIT_MS = 15_000;

const client = await hostVariant(variantId).create(base);
let calls = 0;
const answer = '{"ok":true}';

function handle() {
  if (client) client.track(makeEvent(calls));
  calls += 1;
}

let server;
if (appKind === 'express') {
  const { default: express } = await import('express');
  const app = express();
  app.get('/checkout', (_req, res) => {
    handle();
    res.json({ ok: true });
  });
  server = createServer(app);
} else if (appKind === 'http') {
  server = createServer((_req, res) => {
    handle();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
    res.end(answer);
  });
} else {
  throw new Error(`unknown app ${appKind}; known: http, express`);
}

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let window = null;

process.on('message', async (msg) => {
  if (msg.type === 'reset') {
    loop.reset();
    window = { cpu0: process.cpuUsage(), calls0: calls, t0: performance.now() };
    // `--heap-snapshot`: what is live halfway through the window (the snapshot collects first).
    if (process.env.BENCH_HEAP_SNAPSHOT) {
      setTimeout(() => writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT), Number(process.env.BENCH_HEAP_SNAPSHOT_AFTER_MS));
    }
    process.send({ type: 'reset' });
  } else if (msg.type === 'stop') {
    const cpuWindow = process.cpuUsage(window.cpu0);
    const windowMs = performance.now() - window.t0;
    const callsInWindow = calls - window.calls0;
    const eventLoop = { p50Ms: loop.percentile(50) / 1e6, p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 };
    loop.disable();
    const drainStart = performance.now();
    let drained = false;
    if (client) {
      let limit;
      drained = await Promise.race([
        Promise.resolve(client.drain()).then(() => true, () => false),
        new Promise((resolve) => { limit = setTimeout(resolve, DRAIN_LIMIT_MS, false); }),
      ]);
      clearTimeout(limit);
    }
    const cpuTotal = process.cpuUsage(window.cpu0);
    process.send({
      type: 'result',
      calls,
      callsInWindow,
      windowMs,
      cpuWindowMs: (cpuWindow.user + cpuWindow.system) / 1000,
      cpuWithDrainMs: (cpuTotal.user + cpuTotal.system) / 1000,
      drainMs: performance.now() - drainStart,
      drained: client ? drained : true,
      maxRssKb: process.resourceUsage().maxRSS,
      eventLoop,
    });
  } else if (msg.type === 'exit') {
    process.exit(0);
  }
});

// The bench that forked this app is gone (killed, say, by `kill PID`, which reaches only it):
// nothing will ask for a result or send load, so an app left listening would only hold memory.
process.once('disconnect', () => process.exit(0));

server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.send({ type: 'listening', port: server.address().port }));
