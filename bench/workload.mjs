/**
 * One SDK in its own process.
 *
 *   node workload.mjs <sdk> <N> <base-url> [chunk]   the end-to-end run
 *   node workload.mjs <sdk> idle <base-url>          the idle-client check
 *
 * End-to-end: like a server handling requests, it issues N track() calls in chunks of `chunk`
 * synchronous calls (default 1000) and yields to the event loop between chunks
 * (`await new Promise(r => setImmediate(r))`), identically for every SDK. track() cost is the
 * synchronous time of the chunks divided by N. Then it calls the SDK's own drain/close and reports.
 * CPU time (process.cpuUsage) covers the first call to the end of the drain; peak RSS is the
 * process's maxRSS. Lines on stdout: `PROGRESS {…}` after each chunk, `RESULT {…}` at the end.
 */
import { makeEvent, wallNow } from './event.mjs';

const [sdkId, mode, base, chunkArg] = process.argv.slice(2);

if (mode === 'idle') {
  await idleCheck();
} else {
  await endToEnd(Number(mode), Number(chunkArg ?? 1000));
}

async function endToEnd(n, chunk) {
  const { sdkById } = await import('./sdks.mjs');
  const client = await sdkById(sdkId).create(base);
  // process.stdout is created on first use, which costs milliseconds: not inside the measured window.
  process.stdout.write('');

  let syncMs = 0;
  const startWall = wallNow();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n;) {
    const end = Math.min(n, i + chunk);
    const t0 = performance.now();
    for (; i < end; i++) client.track(makeEvent(i));
    syncMs += performance.now() - t0;
    process.stdout.write(`PROGRESS ${JSON.stringify({ calls: i, syncMs })}\n`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const callsDoneWall = wallNow();
  await client.drain();
  const drainedWall = wallNow();
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`RESULT ${JSON.stringify({
    calls: n,
    syncMs,
    startWall,
    callsDoneWall,
    drainedWall,
    cpuMs: (cpu.user + cpu.system) / 1000,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
  })}\n`);
  // The process must now exit by itself: an SDK that keeps it alive is killed, and that is a failure.
}

/**
 * Counts every timer (ref'd or not) and every timer callback that fires while the client sits
 * idle: once right after construction, and once after one track() and a flush().
 */
async function idleCheck() {
  const realSetTimeout = globalThis.setTimeout;
  const live = new Map(); // handle -> origin
  const fires = { sdk: 0, runtime: 0 };
  // Who asked for the timer: the SDK (any JavaScript file) or the runtime itself (fetch's
  // undici keeps a 1 s clock for its keep-alive sockets, for any caller of fetch).
  const originOf = () => {
    const frames = (new Error().stack ?? '').split('\n').slice(1).filter((f) => !f.includes('workload.mjs'));
    return frames[0]?.includes('node:internal') ? 'runtime' : 'sdk';
  };
  const wrap = (original, clear, repeating) => {
    const patched = function (callback, ...rest) {
      let handle;
      const origin = originOf();
      const wrapped = typeof callback === 'function'
        ? function (...args) {
            fires[origin] += 1;
            if (!repeating) live.delete(handle);
            return callback.apply(this, args);
          }
        : callback;
      handle = original.call(this, wrapped, ...rest);
      live.set(handle, origin);
      return handle;
    };
    const patchedClear = function (handle) {
      live.delete(handle);
      return clear.call(this, handle);
    };
    return [patched, patchedClear];
  };
  [globalThis.setTimeout, globalThis.clearTimeout] = wrap(globalThis.setTimeout, globalThis.clearTimeout, false);
  [globalThis.setInterval, globalThis.clearInterval] = wrap(globalThis.setInterval, globalThis.clearInterval, true);
  const sleep = (ms) => new Promise((resolve) => realSetTimeout(resolve, ms));
  const snapshot = () => {
    const pending = [...live].filter(([t]) => !t._destroyed).map(([, origin]) => origin);
    return {
      timers: pending.filter((o) => o === 'sdk').length,
      fires: fires.sdk,
      runtimeTimers: pending.filter((o) => o === 'runtime').length,
      runtimeFires: fires.runtime,
      refHandles: process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap').length,
    };
  };
  const resetFires = () => {
    fires.sdk = 0;
    fires.runtime = 0;
  };

  const { sdkById } = await import('./sdks.mjs');
  const client = await sdkById(sdkId).create(base);
  resetFires();
  await sleep(1000);
  const afterCreate = snapshot();
  client.track(makeEvent(0));
  await client.flush();
  await sleep(50);
  resetFires();
  await sleep(1000);
  const afterUse = snapshot();
  process.stdout.write(`RESULT ${JSON.stringify({ afterCreate, afterUse, doneWall: wallNow() })}\n`);
}
