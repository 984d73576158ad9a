#!/usr/bin/env node
/**
 * letterapp vs the peer Node analytics SDKs, side by side (issue 4).
 *
 *   npm run bench                      from the repository root
 *   node bench/run.mjs [options]       the same
 *
 * Options (also as environment variables BENCH_N, BENCH_ROUNDS, …):
 *   --n=100000          events per end-to-end run
 *   --rounds=3          interleaved rounds (every SDK once per round, order rotated)
 *   --chunk=1000        synchronous track() calls between two yields to the event loop
 *   --import-runs=25    node processes per import-time measurement
 *   --timeout=120       seconds before a run is killed (a killed run is a failure)
 *   --only=a,b          only these SDKs (ids: letterapp, baseline, segment, posthog, amplitude, rudderstack)
 *   --no-write          print the table but leave RESULTS.md and results.svg alone
 *
 * Uses nothing but Node itself until the bench's own dependencies are installed; builds the SDK
 * (`npm run build` in the root) when dist/ is missing and installs bench/ dependencies when
 * bench/node_modules is missing.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { isPositiveInteger, numberOption, timedSource } from './options.mjs';
import { renderMarkdown, TARGETS, verdicts } from './report.mjs';
import { ensureBenchDeps, ensureBuilt } from './setup.mjs';
import { startSink } from './sink-client.mjs';
import { median } from './stats.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));

const args = Object.fromEntries(process.argv.slice(2).map((arg) => {
  const [key, value] = arg.replace(/^--/, '').split('=');
  return [key, value ?? 'true'];
}));
const KNOWN_OPTIONS = ['n', 'rounds', 'chunk', 'import-runs', 'timeout', 'only', 'no-write', 'write', 'cpu-prof'];
// A mistyped option must not start a six-minute run that rewrites RESULTS.md with the defaults.
for (const key of Object.keys(args)) {
  if (!KNOWN_OPTIONS.includes(key)) {
    throw new Error(`unknown option --${key}; known: ${KNOWN_OPTIONS.map((k) => `--${k}`).join(', ')} (see the top of bench/run.mjs)`);
  }
}
const option = (name, fallback) => args[name] ?? process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
const positiveInteger = (name, fallback) => numberOption(name, option(name, fallback), isPositiveInteger, 'a whole number > 0');
const N = positiveInteger('n', 100_000);
const ROUNDS = positiveInteger('rounds', 3);
const CHUNK = positiveInteger('chunk', 1000);
const IMPORT_RUNS = positiveInteger('import-runs', 25);
const TIMEOUT_MS = positiveInteger('timeout', 120) * 1000;
const ONLY = option('only', '') ? option('only', '').split(',') : null;
const WRITE = option('write', 'true') !== 'false' && !('no-write' in args);
/** --cpu-prof=DIR: each end-to-end child writes a V8 CPU profile there (for `node --cpu-prof` analysis). */
const CPU_PROF_DIR = option('cpu-prof', '');
/** Where the section written by `npm run bench:host` (bench/host.mjs) starts in RESULTS.md. */
const HOST_MARKER = '<!-- bench:host -->';


function log(message) {
  process.stderr.write(`${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// The sink.

let runCounter = 0;

/** Spawns workload.mjs and collects its PROGRESS/RESULT lines; kills it at the deadline. */
function runChild(argv, { timeoutMs, earlyKill, exitGraceMs, nodeFlags = [] }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeFlags, `${BENCH_DIR}workload.mjs`, ...argv], {
      cwd: BENCH_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let progress = null;
    let result = null;
    let killed = null;
    let exitedAt = null;
    let grace = null;
    const kill = (reason) => {
      if (killed || exitedAt !== null) return;
      killed = reason;
      child.kill('SIGKILL');
    };
    child.stdout.on('data', (data) => {
      stdout += data;
      let newline;
      while ((newline = stdout.indexOf('\n')) >= 0) {
        const line = stdout.slice(0, newline);
        stdout = stdout.slice(newline + 1);
        if (line.startsWith('PROGRESS ')) progress = JSON.parse(line.slice(9));
        else if (line.startsWith('RESULT ')) {
          result = JSON.parse(line.slice(7));
          if (exitGraceMs) grace = setTimeout(() => kill(`still alive ${exitGraceMs / 1000} s after its work was done`), exitGraceMs);
        }
      }
    });
    child.stderr.on('data', (data) => {
      stderr = (stderr + data).slice(-4000);
    });
    const deadline = setTimeout(() => kill(`still running after ${timeoutMs / 1000} s`), timeoutMs);
    // A run whose track() calls alone are on pace to overrun the deadline is killed early,
    // to keep the whole benchmark within minutes; it would have been killed anyway.
    const pace = earlyKill
      ? setInterval(() => {
          const elapsed = performance.now() - started;
          if (!progress || result || elapsed < 10_000) return;
          const projected = (elapsed * earlyKill.calls) / progress.calls;
          if (projected > timeoutMs) {
            kill(`on pace to take ${(projected / 1000).toFixed(0)} s for the ${earlyKill.calls.toLocaleString('en-US')} track() calls alone (limit ${timeoutMs / 1000} s): killed after ${(elapsed / 1000).toFixed(0)} s`);
          }
        }, 1000)
      : null;
    child.on('exit', (code, signal) => {
      exitedAt = performance.now();
      clearTimeout(deadline);
      if (grace) clearTimeout(grace);
      if (pace) clearInterval(pace);
      resolve({ code, signal, killed, progress, result, stderr, wallMs: exitedAt - started });
    });
  });
}

async function endToEndRun(sink, sdk) {
  const run = `${sdk}-${++runCounter}`;
  const base = `http://127.0.0.1:${sink.port}/r/${run}`;
  const child = await runChild([sdk, String(N), base, String(CHUNK)], {
    timeoutMs: TIMEOUT_MS,
    earlyKill: { calls: N },
    exitGraceMs: 10_000,
    nodeFlags: CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`, `--cpu-prof-name=${run}.cpuprofile`] : [],
  });
  await sleep(200); // requests still in the sink's pipe
  const stats = await sink.stats(run);
  const r = child.result;
  const calls = r?.calls ?? child.progress?.calls ?? 0;
  const syncMs = r?.syncMs ?? child.progress?.syncMs ?? null;
  const failed = child.killed !== null || child.code !== 0;
  const dropped = /dropped (\d+)/g;
  let droppedReported = 0;
  for (const m of child.stderr.matchAll(dropped)) droppedReported += Number(m[1]);
  return {
    sdk,
    failed,
    failure: child.killed ?? (child.code !== 0 ? `exit ${child.code ?? child.signal}: ${child.stderr.trim().split('\n').slice(-3).join(' / ')}` : null),
    calls,
    trackUs: syncMs !== null && calls > 0 ? (syncMs * 1000) / calls : null,
    // The sink's clock stamps the last new event; the start is the child's first call.
    e2eMs: !failed && r && stats.lastNewArrival !== null ? stats.lastNewArrival - r.startWall : null,
    callsMs: r ? r.callsDoneWall - r.startWall : null,
    drainMs: r ? r.drainedWall - r.startWall : null,
    cpuMs: r?.cpuMs ?? null,
    rssMb: r ? r.maxRssKb / 1024 : null,
    delivered: stats.delivered,
    requests: stats.requests,
    duplicates: stats.duplicates,
    overLimitBodies: stats.overLimitBodies,
    maxBodyBytes: stats.maxBodyBytes,
    gzipBodies: stats.gzipBodies,
    sinkCpuMs: stats.sinkCpuMs,
    paths: stats.paths,
    droppedReported,
    processWallMs: child.wallMs,
    stderrTail: child.stderr.trim().split('\n').slice(-2).join(' / ').slice(0, 300),
  };
}

async function idleRun(sink, sdk) {
  const run = `${sdk}-idle-${++runCounter}`;
  const base = `http://127.0.0.1:${sink.port}/r/${run}`;
  const child = await runChild([sdk, 'idle', base], { timeoutMs: 30_000, exitGraceMs: 3000 });
  await sink.stats(run);
  const r = child.result;
  return {
    sdk,
    afterCreate: r?.afterCreate ?? null,
    afterUse: r?.afterUse ?? null,
    // After its report the child has nothing of its own left: only the SDK can keep it alive.
    exitsByItself: child.killed === null && child.code === 0,
    failure: child.killed ?? (child.code !== 0 ? `exit ${child.code ?? child.signal}` : null),
  };
}

// ---------------------------------------------------------------------------------------------
// Import time and main-entry size.

function timeNode(argv) {
  const t0 = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { cwd: BENCH_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (result.status !== 0) throw new Error(`node ${argv.join(' ')} failed: ${result.stderr}`);
  return { ms, inProcessMs: Number(String(result.stdout)) };
}

/**
 * `node -e "require(X)"` and `node --input-type=module -e "import X"`, as issue 4 asks, and the same from
 * a file entry (`node entry.cjs` / `node entry.mjs`), as a Lambda handler or a server starts: the CJS
 * `-e` mode preloads some built-ins (node:crypto among them), which hides their cost. Every command
 * also times its own require/import with performance.now(), a far less noisy second opinion.
 */
function importTargets(sdks, tempDir) {
  const fileEntry = (name, code) => {
    const file = `${tempDir}/${name}`;
    writeFileSync(file, `${timedSource(code)}\n`);
    return [file];
  };
  const targets = [
    { key: 'bare:cjs', argv: ['-e', timedSource('0')] },
    // An ESM entry point costs the module loader's start-up even when it imports nothing.
    { key: 'bare:esm', argv: ['--input-type=module', '-e', timedSource('0')] },
    { key: 'bare:cjs-file', argv: fileEntry('bare.cjs', '0') },
    { key: 'bare:esm-file', argv: fileEntry('bare.mjs', '0') },
  ];
  for (const sdk of sdks) {
    if (!sdk.cjs) continue;
    const cjsPath = sdk.pkg ? mainEntryFile(sdk, 'cjs') : sdk.cjs;
    const esmUrl = sdk.pkg ? esmEntryUrl(sdk) : pathToFileURL(sdk.esm).href;
    targets.push({ key: `${sdk.id}:cjs`, argv: ['-e', timedSource(`require(${JSON.stringify(sdk.cjs)})`)] });
    targets.push({ key: `${sdk.id}:esm`, argv: ['--input-type=module', '-e', timedSource(`await import(${JSON.stringify(sdk.esm)})`)] });
    targets.push({ key: `${sdk.id}:cjs-file`, argv: fileEntry(`${sdk.id}.cjs`, `require(${JSON.stringify(cjsPath)})`) });
    targets.push({ key: `${sdk.id}:esm-file`, argv: fileEntry(`${sdk.id}.mjs`, `await import(${JSON.stringify(esmUrl)})`) });
  }
  return targets;
}

function measureImports(sdks) {
  const tempDir = mkdtempSync(`${os.tmpdir()}/letterapp-bench-`);
  try {
    const targets = importTargets(sdks, tempDir);
    const modeOf = (key) => key.slice(key.indexOf(':') + 1);
    // One block per mode: the bare command and every SDK's import in that mode. Each SDK's cost is
    // the median, over runs, of its time minus the bare command's in the same block of the same
    // run, a second or so apart. Subtracting two medians taken over the whole measurement instead
    // let the machine's load swings through: one run on a busy day put the bare CJS command 21 ms
    // above the bare ESM one, and letterapp's CJS import at -9.1 ms.
    const blocks = ['cjs', 'esm', 'cjs-file', 'esm-file'].map((mode) => targets.filter((t) => modeOf(t.key) === mode));
    const samples = Object.fromEntries(targets.map((t) => [t.key, []]));
    const paired = Object.fromEntries(targets.map((t) => [t.key, []]));
    for (const t of targets) timeNode(t.argv); // warm the file cache
    for (let run = 0; run < IMPORT_RUNS; run++) {
      // Interleaved, order rotated each run (of the blocks, and inside each), so drift in machine
      // load hits every target alike.
      for (let b = 0; b < blocks.length; b++) {
        const block = blocks[(b + run) % blocks.length];
        const times = {};
        for (let i = 0; i < block.length; i++) {
          const t = block[(i + run) % block.length];
          times[t.key] = timeNode(t.argv);
          samples[t.key].push(times[t.key]);
        }
        const bareMs = times[`bare:${modeOf(block[0].key)}`].ms;
        for (const t of block) if (!t.key.startsWith('bare:')) paired[t.key].push(times[t.key].ms - bareMs);
      }
    }
    const bare = {};
    for (const mode of ['cjs', 'esm', 'cjs-file', 'esm-file']) bare[mode] = median(samples[`bare:${mode}`].map((x) => x.ms));
    const out = { bareMs: bare.cjs, bareEsmMs: bare.esm, bareFileMs: { cjs: bare['cjs-file'], esm: bare['esm-file'] }, runs: IMPORT_RUNS, inProcess: {} };
    for (const t of targets) {
      if (t.key.startsWith('bare:')) continue;
      out[t.key] = median(paired[t.key]);
      out.inProcess[t.key] = median(samples[t.key].map((x) => x.inProcessMs));
    }
    return out;
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

async function measureSizes(sdks, mainEntryFile) {
  const esbuild = (await import(`${BENCH_DIR}node_modules/esbuild/lib/main.js`)).default;
  const sizes = {};
  for (const sdk of sdks) {
    if (!sdk.cjs) continue;
    const formats = sdk.id === 'letterapp' ? ['esm', 'cjs'] : ['cjs'];
    for (const format of formats) {
      const entry = mainEntryFile(sdk, format);
      const built = await esbuild.build({
        entryPoints: [entry],
        bundle: true,
        minify: true,
        format,
        platform: 'node',
        target: 'node18',
        write: false,
        logLevel: 'silent',
        // Native addons cannot be bundled; they are counted as zero.
        external: ['*.node'],
      });
      const code = built.outputFiles[0].contents;
      sizes[`${sdk.id}:${format}`] = {
        entry: entry.replace(ROOT_DIR, ''),
        minBytes: code.length,
        gzipBytes: gzipSync(code, { level: 9 }).length,
      };
    }
  }
  return sizes;
}

// ---------------------------------------------------------------------------------------------
// Main.

ensureBuilt(['index.js', 'index.cjs']);
ensureBenchDeps();
const { SDKS, mainEntryFile, esmEntryUrl } = await import('./sdks.mjs');
const { renderSvg } = await import('./chart.mjs');
for (const id of ONLY ?? []) {
  if (!SDKS.some((s) => s.id === id)) throw new Error(`Expected --only to name SDKs among ${SDKS.map((s) => s.id).join(', ')}, got ${JSON.stringify(id)}`);
}
const sdks = SDKS.filter((s) => !ONLY || ONLY.includes(s.id));
const started = performance.now();
const loadStart = os.loadavg();

const versions = { node: process.version };
for (const sdk of SDKS) {
  if (sdk.pkg) versions[sdk.id] = JSON.parse(readFileSync(`${BENCH_DIR}node_modules/${sdk.pkg}/package.json`, 'utf8')).version;
}
versions.letterapp = JSON.parse(readFileSync(`${ROOT_DIR}package.json`, 'utf8')).version;
versions.letterappCommit = gitDescribe();

/** The commit the SDK was built from, and whether src/ had uncommitted changes (read only). */
function gitDescribe() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head} + uncommitted src/ changes` : head;
  } catch {
    return 'unknown';
  }
}

log(`bench: N=${N}, ${ROUNDS} rounds, chunks of ${CHUNK}, ${IMPORT_RUNS} import runs, timeout ${TIMEOUT_MS / 1000} s`);
log('bench: main-entry sizes (esbuild minify + gzip -9)…');
const sizes = await measureSizes(sdks, mainEntryFile);

log(`bench: import times (${IMPORT_RUNS} interleaved runs each)…`);
const imports = measureImports(sdks);

const sink = await startSink();
log(`bench: sink on 127.0.0.1:${sink.port}; idle-client checks…`);
const idle = {};
for (const sdk of sdks) idle[sdk.id] = await idleRun(sink, sdk.id);

const runs = [];
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < sdks.length; i++) {
    const sdk = sdks[(i + round) % sdks.length];
    const r = await endToEndRun(sink, sdk.id);
    r.round = round + 1;
    runs.push(r);
    log(`bench: round ${round + 1}/${ROUNDS} ${sdk.id.padEnd(11)} track ${r.trackUs?.toFixed(2) ?? '—'} µs, ` +
      `e2e ${r.e2eMs !== null ? `${r.e2eMs.toFixed(0)} ms` : 'failed'}, cpu ${r.cpuMs?.toFixed(0) ?? '—'} ms, ` +
      `rss ${r.rssMb?.toFixed(0) ?? '—'} MB, delivered ${r.delivered}/${N}, ${r.requests} requests` +
      (r.failure ? ` [${r.failure}]` : ''));
    await sleep(300);
  }
}
await sink.stop();

// Medians per SDK.
const summary = {};
for (const sdk of sdks) {
  const mine = runs.filter((r) => r.sdk === sdk.id);
  const failures = mine.filter((r) => r.failed).length;
  summary[sdk.id] = {
    label: sdk.label,
    trackUs: median(mine.map((r) => r.trackUs)),
    // A failed round counts as infinitely slow: the median is a failure when most rounds failed.
    e2eMs: median(mine.map((r) => (r.failed ? Infinity : r.e2eMs))) ?? null,
    cpuMs: failures * 2 > mine.length ? null : median(mine.filter((r) => !r.failed).map((r) => r.cpuMs)),
    rssMb: failures * 2 > mine.length ? null : median(mine.filter((r) => !r.failed).map((r) => r.rssMb)),
    delivered: median(mine.map((r) => r.delivered)),
    deliveredAll: mine.every((r) => !r.failed && r.delivered === N),
    requests: median(mine.map((r) => r.requests)),
    failures,
    rounds: mine.length,
    importCjsMs: imports[`${sdk.id}:cjs`] ?? (sdk.id === 'baseline' ? 0 : null),
    importEsmMs: imports[`${sdk.id}:esm`] ?? (sdk.id === 'baseline' ? 0 : null),
    importCjsFileMs: imports[`${sdk.id}:cjs-file`] ?? (sdk.id === 'baseline' ? 0 : null),
    importEsmFileMs: imports[`${sdk.id}:esm-file`] ?? (sdk.id === 'baseline' ? 0 : null),
    gzipBytes: sizes[`${sdk.id}:esm`]?.gzipBytes ?? sizes[`${sdk.id}:cjs`]?.gzipBytes ?? (sdk.id === 'baseline' ? 0 : null),
    idle: idle[sdk.id],
  };
  if (summary[sdk.id].e2eMs === Infinity) summary[sdk.id].e2eMs = null;
}

const results = {
  date: new Date().toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: loadStart,
    loadAverageAtEnd: os.loadavg(),
  },
  versions,
  config: { n: N, rounds: ROUNDS, chunk: CHUNK, importRuns: IMPORT_RUNS, timeoutS: TIMEOUT_MS / 1000 },
  targets: TARGETS,
  summary,
  sizes,
  imports,
  runs,
  durationS: (performance.now() - started) / 1000,
};
results.verdicts = verdicts(results);

const { markdown, table } = renderMarkdown(results);
process.stdout.write(`\n${table}\n\n${results.verdicts.map((v) => `${v.met ? 'MET ' : 'MISS'}  ${v.target}: ${v.detail}`).join('\n')}\n`);
if (WRITE) {
  writeFileSync(`${BENCH_DIR}RESULTS.md`, `${markdown.trimEnd()}\n${hostSection()}`);
  writeFileSync(`${BENCH_DIR}results.svg`, renderSvg(results));
  writeFileSync(`${BENCH_DIR}results.json`, `${JSON.stringify(results, null, 2)}\n`);
  log(`bench: wrote bench/RESULTS.md, bench/results.svg, bench/results.json (${results.durationS.toFixed(0)} s)`);
}

/** The part of RESULTS.md that `npm run bench:host` owns, kept as it is when this bench rewrites the rest. */
function hostSection() {
  const file = `${BENCH_DIR}RESULTS.md`;
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(HOST_MARKER);
  return at === -1 ? '' : `\n${text.slice(at)}`;
}
