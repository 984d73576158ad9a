#!/usr/bin/env node
/**
 * What the SDK costs the server that embeds it (issue 11): an app under a fixed request rate,
 * calling track() once per request, compared with the same app without an SDK.
 *
 *   npm run bench:host                              from the repository root (builds first)
 *   node bench/host.mjs --seconds 3 --rounds 1      a quick run
 *
 * Options (`--name value` or `--name=value`):
 *   --seconds 8            measured load per run
 *   --rounds 3             interleaved rounds (every app × rate × variant once per round, order rotated)
 *   --rates 1000,3000      fixed request rates (autocannon's overallRate), per second
 *   --apps http,express    the apps: a plain node:http server, an Express 5 app
 *   --variants a,b         which variants (default: all; ids in host-variants.mjs)
 *   --warmup 1             seconds of load before the measured window (JIT, connections)
 *   --connections 20       autocannon connections
 *   --pin                  Linux: the app alone on CPU 0, the load generator and the sink on the
 *                          others (taskset), so that they never run on the app's CPU (an app that
 *                          needs more than one core then falls behind the rate). It did not make
 *                          rounds agree within 10% here: see RESULTS.md's profile log
 *   --profile DIR          run each app with --cpu-prof and --trace-gc, writing both into DIR
 *   --heap-snapshot DIR    each app writes a heap snapshot into DIR halfway through its window
 *                          (summarize with `node bench/heap-summary.mjs DIR`)
 *   --node-flags="…"       Node flags for each app process, such as
 *                          --node-flags="--min-semi-space-size=16 --max-semi-space-size=16"
 *                          (NODE_OPTIONS refuses the first)
 *                          (summarize with `node bench/profile-summary.mjs DIR`)
 *   --no-write             print the table; leave RESULTS.md, host.svg and results-host.json alone
 *   --report-only          measure nothing: rewrite RESULTS.md's section and host.svg from results-host.json
 *
 * Three processes per run: the app (host-app.mjs), the load (host-load.mjs), and one sink
 * (sink.mjs) for the whole bench. Nothing leaves 127.0.0.1.
 */
import { execFileSync, fork } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderHostMarkdown, renderHostSvg, HOST_MARKER, HOST_END_MARKER } from './host-report.mjs';
import { HOST_VARIANTS } from './host-variants.mjs';
import { numberOption } from './options.mjs';
import { ensureBenchDeps, ensureBuilt } from './setup.mjs';
import { startSink } from './sink-client.mjs';
import { median } from './stats.mjs';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line) => process.stderr.write(`${line}\n`);

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    // Split at the first '=' only: a value may hold more (--node-flags="--max-semi-space-size=16").
    const equals = arg.indexOf('=');
    const key = equals < 0 ? arg.slice(2) : arg.slice(2, equals);
    if (equals >= 0) out[key] = arg.slice(equals + 1);
    else if (key === 'no-write' || key === 'report-only' || key === 'pin') out[key] = 'true';
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) out[key] = argv[++i];
    else throw new Error(`--${key} needs a value`);
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
const KNOWN = ['seconds', 'rounds', 'rates', 'apps', 'variants', 'warmup', 'connections', 'profile', 'node-flags', 'no-write', 'report-only', 'pin', 'heap-snapshot'];
for (const key of Object.keys(args)) if (!KNOWN.includes(key)) throw new Error(`unknown option --${key}; known: ${KNOWN.map((k) => `--${k}`).join(', ')}`);
const positive = (name, fallback) => numberOption(name, args[name] ?? fallback, (value) => value > 0, 'a number > 0');
const atLeastZero = (name, fallback) => numberOption(name, args[name] ?? fallback, (value) => value >= 0, 'a number >= 0');
const config = {
  seconds: positive('seconds', 8),
  rounds: Math.round(positive('rounds', 3)),
  warmupSeconds: atLeastZero('warmup', 1),
  connections: Math.round(positive('connections', 20)),
  rates: String(args.rates ?? '1000,3000').split(',').map((rate) => numberOption('rates', rate, (value) => value > 0, 'request rates per second > 0, separated by commas')),
  apps: String(args.apps ?? 'http,express').split(','),
  pin: 'pin' in args,
  variants: args.variants ? ['none', ...args.variants.split(',').filter((id) => id !== 'none')] : HOST_VARIANTS.map((v) => v.id),
};
for (const id of config.variants) if (!HOST_VARIANTS.some((v) => v.id === id)) throw new Error(`unknown variant ${id}; known: ${HOST_VARIANTS.map((v) => v.id).join(', ')}`);
for (const app of config.apps) if (!['http', 'express'].includes(app)) throw new Error(`unknown app ${app}; known: http, express`);
const PROFILE_DIR = args.profile ? resolve(args.profile) : null;
const SNAPSHOT_DIR = args['heap-snapshot'] ? resolve(args['heap-snapshot']) : null;
const APP_NODE_FLAGS = (args['node-flags'] ?? '').split(' ').filter(Boolean);
// A profiled run is slower than an unprofiled one (a snapshot stops the app for a second): its
// numbers must not end up in RESULTS.md.
const WRITE = !('no-write' in args) && !PROFILE_DIR && !SNAPSHOT_DIR;
if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
if (SNAPSHOT_DIR) mkdirSync(SNAPSHOT_DIR, { recursive: true });

// `npm run bench:host` builds first; `node bench/host.mjs` run on its own builds only what is missing.
ensureBuilt(['index.js', 'node-http.js']);
ensureBenchDeps();

const APP_CPU = 0;
const OTHER_CPUS = `1-${os.cpus().length - 1}`;
if (config.pin) {
  if (os.cpus().length < 2) throw new Error('--pin needs at least 2 CPUs: one for the app, one for the rest');
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    throw new Error('--pin needs taskset (util-linux), which was not found or does not work here');
  }
}

/** With --pin, moves every thread of process `pid` onto `cpus` (a taskset list such as "0" or "1-3"). */
function pin(pid, cpus) {
  if (config.pin) execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

/** Waits for the next IPC message of `type` from `child`, or fails after `ms`. */
function next(child, type, ms, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${what}: no '${type}' within ${ms} ms`)), ms);
    const onMessage = (msg) => { if (msg?.type === type) finish(null, msg); };
    const onExit = (code, signal) => finish(new Error(`${what} exited (${code ?? signal}) before '${type}'`));
    function finish(error, msg) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(msg);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

let runCounter = 0;

async function hostRun(sink, app, rate, variant, round) {
  const run = `host${process.pid}-${++runCounter}`;
  const base = `http://127.0.0.1:${sink.port}/r/${run}`;
  const name = `${app}-${rate}-${variant}-r${round + 1}`;
  const profiling = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`, '--trace-gc'] : [];
  const execArgv = [...APP_NODE_FLAGS, ...profiling];
  const snapshot = SNAPSHOT_DIR ? { BENCH_HEAP_SNAPSHOT: `${SNAPSHOT_DIR}/${name}.heapsnapshot`, BENCH_HEAP_SNAPSHOT_AFTER_MS: String((config.seconds * 1000) / 2) } : {};
  const appChild = fork(`${BENCH_DIR}host-app.mjs`, [app, variant, base], {
    execArgv,
    env: { ...process.env, ...snapshot },
    stdio: ['ignore', PROFILE_DIR ? 'pipe' : 'ignore', 'inherit', 'ipc'],
  });
  pin(appChild.pid, String(APP_CPU));
  if (PROFILE_DIR) appChild.stdout.pipe(createWriteStream(`${PROFILE_DIR}/${name}.gc.log`));
  let loadChild;
  try {
    const { port } = await next(appChild, 'listening', 30_000, `app ${app}/${variant}`);
    const loadMs = (config.warmupSeconds + config.seconds) * 1000;
    loadChild = fork(`${BENCH_DIR}host-load.mjs`, [`http://127.0.0.1:${port}/checkout`, String(rate), String(config.seconds), String(config.warmupSeconds), String(config.connections)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    pin(loadChild.pid, OTHER_CPUS);
    await next(loadChild, 'warm', loadMs + 30_000, 'load');
    const reset = next(appChild, 'reset', 30_000, 'app');
    appChild.send({ type: 'reset' });
    await reset;
    const loadResult = next(loadChild, 'result', loadMs + 30_000, 'load');
    loadChild.send({ type: 'go' });
    const load = await loadResult;
    const appResult = next(appChild, 'result', 60_000, 'app');
    appChild.send({ type: 'stop' });
    const self = await appResult;
    // A clean exit, so that --cpu-prof writes its profile; killed below if it does not come.
    const exited = new Promise((done) => appChild.once('exit', done));
    appChild.send({ type: 'exit' });
    await Promise.race([exited, sleep(PROFILE_DIR ? 15_000 : 2_000)]);
    await sleep(200); // bodies still in the sink's pipe
    const stats = await sink.stats(run);
    return { ok: true, app, rate, variant, load, self, delivered: stats.delivered, sinkRequests: stats.requests };
  } catch (error) {
    log(`  ${app} ${rate}/s ${variant}: FAILED: ${error.message}`);
    return { ok: false, app, rate, variant, error: error.message };
  } finally {
    appChild.kill('SIGKILL');
    loadChild?.kill('SIGKILL');
  }
}

/** Per round, each variant against the same round's no-SDK app; medians over rounds. */
function summarize(runs) {
  const groups = {};
  for (const app of config.apps) {
    for (const rate of config.rates) {
      const key = `${app}@${rate}`;
      groups[key] = { app, rate, variants: {} };
      for (const variant of config.variants) {
        const mine = runs.filter((r) => r.app === app && r.rate === rate && r.variant === variant);
        const perRound = mine.map((r) => {
          if (!r.ok) return null;
          const none = runs.find((n) => n.ok && n.app === app && n.rate === rate && n.variant === 'none' && n.round === r.round);
          const cpuPerEventUs = (r.self.cpuWithDrainMs * 1000) / Math.max(1, r.self.callsInWindow);
          const noneCpuUs = none ? (none.self.cpuWithDrainMs * 1000) / Math.max(1, none.self.callsInWindow) : null;
          return {
            cpuPerEventUs,
            addedCpuUs: noneCpuUs === null ? null : cpuPerEventUs - noneCpuUs,
            rssMb: r.self.maxRssKb / 1024,
            addedRssMb: none ? (r.self.maxRssKb - none.self.maxRssKb) / 1024 : null,
            loopP99Ms: r.self.eventLoop.p99Ms,
            loopMaxMs: r.self.eventLoop.maxMs,
            latencyP50Ms: r.load.latency.p50Ms,
            latencyP99Ms: r.load.latency.p99Ms,
            achievedRate: (r.self.callsInWindow * 1000) / r.self.windowMs,
            errors: r.load.errors + r.load.timeouts + r.load.non2xx,
            calls: r.self.calls,
            delivered: r.delivered,
            drained: r.self.drained,
          };
        });
        const ok = perRound.filter(Boolean);
        const pick = (name) => median(ok.map((x) => x[name]));
        const range = (name) => {
          const values = ok.map((x) => x[name]).filter((v) => typeof v === 'number');
          return values.length ? [Math.min(...values), Math.max(...values)] : null;
        };
        groups[key].variants[variant] = {
          rounds: perRound.length,
          failed: perRound.length - ok.length,
          ...Object.fromEntries(['cpuPerEventUs', 'addedCpuUs', 'rssMb', 'addedRssMb', 'loopP99Ms', 'loopMaxMs', 'latencyP50Ms', 'latencyP99Ms', 'achievedRate', 'errors'].map((name) => [name, pick(name)])),
          addedCpuUsRange: range('addedCpuUs'),
          addedRssMbRange: range('addedRssMb'),
          deliveredAll: ok.length > 0 && ok.every((x) => x.delivered >= x.calls),
          deliveredShare: ok.length ? median(ok.map((x) => x.delivered / Math.max(1, x.calls))) : null,
          drainedAll: ok.every((x) => x.drained),
        };
      }
    }
  }
  return groups;
}

async function versions() {
  const read = (file) => JSON.parse(readFileSync(file, 'utf8')).version;
  const out = { node: process.version, letterapp: read(`${ROOT_DIR}package.json`) };
  for (const name of ['autocannon', 'express', '@segment/analytics-node', 'posthog-node', '@amplitude/analytics-node', '@rudderstack/rudder-sdk-node']) {
    out[name] = read(`${BENCH_DIR}node_modules/${name}/package.json`);
  }
  try {
    const { execFileSync } = await import('node:child_process');
    out.commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT_DIR, encoding: 'utf8' }).trim();
  } catch {
    out.commit = 'unknown';
  }
  return out;
}

function write(results, markdown) {
  const file = `${BENCH_DIR}RESULTS.md`;
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = existing.indexOf(HOST_MARKER);
  const end = existing.indexOf(HOST_END_MARKER);
  const before = at === -1 ? existing.trimEnd() : existing.slice(0, at).trimEnd();
  // Hand-written text after the generated part (the profile findings) is kept.
  const after = end === -1 ? '' : existing.slice(end + HOST_END_MARKER.length);
  writeFileSync(file, `${before}\n\n${HOST_MARKER}\n${markdown.trim()}\n${HOST_END_MARKER}${after || '\n'}`);
  writeFileSync(`${BENCH_DIR}host.svg`, renderHostSvg(results));
}

if ('report-only' in args) {
  const results = JSON.parse(readFileSync(`${BENCH_DIR}results-host.json`, 'utf8'));
  write(results, renderHostMarkdown(results));
  log('bench:host: rewrote bench/RESULTS.md (its host section) and bench/host.svg from bench/results-host.json');
  process.exit(0);
}

const started = Date.now();
const loadStart = os.loadavg();
// Read now, not when the run ends 20 minutes later: the build measured is the one made at the start.
const versionsAtStart = await versions();
const sink = await startSink();
pin(sink.pid, OTHER_CPUS);
pin(process.pid, OTHER_CPUS);
const perRound = config.apps.length * config.rates.length * config.variants.length;
log(`bench:host: sink on 127.0.0.1:${sink.port}; ${config.rounds} round(s) × ${perRound} runs of ${config.warmupSeconds} + ${config.seconds} s`);
const runs = [];
for (let round = 0; round < config.rounds; round++) {
  for (const app of config.apps) {
    for (const rate of config.rates) {
      // Rotate the order each round so that no variant always runs first or after the same neighbour.
      const order = config.variants.map((_, i) => config.variants[(i + round) % config.variants.length]);
      for (const variant of order) {
        const r = await hostRun(sink, app, rate, variant, round);
        r.round = round;
        runs.push(r);
        if (r.ok) {
          const cpuUs = (r.self.cpuWithDrainMs * 1000) / Math.max(1, r.self.callsInWindow);
          log(`  round ${round + 1} ${app} ${rate}/s ${variant}: ${cpuUs.toFixed(1)} µs CPU/request, ${(r.self.maxRssKb / 1024).toFixed(0)} MB, loop p99 ${r.self.eventLoop.p99Ms.toFixed(1)} ms, latency p99 ${r.load.latency.p99Ms} ms, ${r.delivered}/${r.self.calls} delivered`);
        }
      }
    }
  }
}
await sink.stop();

const results = {
  date: new Date().toISOString(),
  durationS: (Date.now() - started) / 1000,
  config,
  machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memGb: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()} ${os.arch()}`, loadStart, loadEnd: os.loadavg() },
  versions: versionsAtStart,
  summary: summarize(runs),
  runs,
};
const markdown = renderHostMarkdown(results);
process.stdout.write(`${markdown}\n`);
if (WRITE) {
  write(results, markdown);
  writeFileSync(`${BENCH_DIR}results-host.json`, `${JSON.stringify(results, null, 2)}\n`);
  log(`bench:host: wrote bench/RESULTS.md (its host section), bench/host.svg, bench/results-host.json (${results.durationS.toFixed(0)} s)`);
}
