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
import { execFileSync, fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => {
  const [key, value] = arg.replace(/^--/, '').split('=');
  return [key, value ?? 'true'];
}));
const option = (name, fallback) => args[name] ?? process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
const N = Number(option('n', 100_000));
const ROUNDS = Number(option('rounds', 3));
const CHUNK = Number(option('chunk', 1000));
const IMPORT_RUNS = Number(option('import-runs', 25));
const TIMEOUT_MS = Number(option('timeout', 120)) * 1000;
const ONLY = option('only', '') ? option('only', '').split(',') : null;
const WRITE = option('write', 'true') !== 'false' && !('no-write' in args);
/** --cpu-prof=DIR: each end-to-end child writes a V8 CPU profile there (for `node --cpu-prof` analysis). */
const CPU_PROF_DIR = option('cpu-prof', '');

/** Targets from issue 4. */
const TARGETS = {
  trackVsFastestPeer: 4,
  e2eVsFastestFullPeer: 3,
  vsBaseline: 1.1,
  importMs: 5,
  entryBytes: 5 * 1024,
};

function log(message) {
  process.stderr.write(`${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Setup: the SDK's build and the bench's own dependencies.

function ensureBuilt() {
  if (existsSync(`${ROOT_DIR}dist/index.js`) && existsSync(`${ROOT_DIR}dist/index.cjs`)) return;
  if (!existsSync(`${ROOT_DIR}node_modules/.bin/tsup`)) {
    // --no-save: installing to build must not rewrite the root's package files.
    log('bench: installing the root dev dependencies (npm install --no-save) to build the SDK…');
    execFileSync(NPM, ['install', '--no-save', '--no-audit', '--no-fund'], { cwd: ROOT_DIR, stdio: ['ignore', 2, 2] });
  }
  log('bench: building the SDK (npm run build)…');
  execFileSync(NPM, ['run', 'build'], { cwd: ROOT_DIR, stdio: ['ignore', 2, 2] });
}

function ensureBenchDeps() {
  const pkg = JSON.parse(readFileSync(`${BENCH_DIR}package.json`, 'utf8'));
  const missing = Object.keys(pkg.dependencies).filter((name) => !existsSync(`${BENCH_DIR}node_modules/${name}/package.json`));
  if (missing.length === 0) return;
  log(`bench: installing the benchmark's dependencies (npm install in bench/: ${missing.join(', ')})…`);
  execFileSync(NPM, ['install', '--no-audit', '--no-fund'], { cwd: BENCH_DIR, stdio: ['ignore', 2, 2] });
}

// ---------------------------------------------------------------------------------------------
// Statistics.

function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The sink.

async function startSink() {
  const child = fork(`${BENCH_DIR}sink.mjs`, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (msg) => resolve(msg.port));
    child.once('exit', (code) => reject(new Error(`sink exited (${code})`)));
  });
  const pending = new Map();
  child.on('message', (msg) => {
    if (msg.type === 'stats') {
      pending.get(msg.run)?.(msg.stats);
      pending.delete(msg.run);
    }
  });
  return {
    port,
    stats(run) {
      return new Promise((resolve) => {
        pending.set(run, resolve);
        child.send({ type: 'stats', run });
      });
    },
    stop() {
      child.send({ type: 'stop' });
      return new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

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
  // The elapsed time is taken before touching process.stdout, whose first use costs milliseconds.
  const timed = (code) => `const t0=performance.now();${code};const ms=performance.now()-t0;process.stdout.write(String(ms))`;
  const fileEntry = (name, code) => {
    const file = `${tempDir}/${name}`;
    writeFileSync(file, `${timed(code)}\n`);
    return [file];
  };
  const targets = [
    { key: 'bare:cjs', argv: ['-e', timed('0')] },
    // An ESM entry point costs the module loader's start-up even when it imports nothing.
    { key: 'bare:esm', argv: ['--input-type=module', '-e', timed('0')] },
    { key: 'bare:cjs-file', argv: fileEntry('bare.cjs', '0') },
    { key: 'bare:esm-file', argv: fileEntry('bare.mjs', '0') },
  ];
  for (const sdk of sdks) {
    if (!sdk.cjs) continue;
    const cjsPath = sdk.pkg ? mainEntryFile(sdk, 'cjs') : sdk.cjs;
    const esmUrl = sdk.pkg ? esmEntryUrl(sdk) : pathToFileURL(sdk.esm).href;
    targets.push({ key: `${sdk.id}:cjs`, argv: ['-e', timed(`require(${JSON.stringify(sdk.cjs)})`)] });
    targets.push({ key: `${sdk.id}:esm`, argv: ['--input-type=module', '-e', timed(`await import(${JSON.stringify(sdk.esm)})`)] });
    targets.push({ key: `${sdk.id}:cjs-file`, argv: fileEntry(`${sdk.id}.cjs`, `require(${JSON.stringify(cjsPath)})`) });
    targets.push({ key: `${sdk.id}:esm-file`, argv: fileEntry(`${sdk.id}.mjs`, `await import(${JSON.stringify(esmUrl)})`) });
  }
  return targets;
}

function measureImports(sdks) {
  const tempDir = mkdtempSync(`${os.tmpdir()}/letterapp-bench-`);
  try {
    const targets = importTargets(sdks, tempDir);
    const samples = Object.fromEntries(targets.map((t) => [t.key, []]));
    for (const t of targets) timeNode(t.argv); // warm the file cache
    for (let run = 0; run < IMPORT_RUNS; run++) {
      // Interleaved, order rotated each run, so drift in machine load hits every target alike.
      for (let i = 0; i < targets.length; i++) {
        const t = targets[(i + run) % targets.length];
        samples[t.key].push(timeNode(t.argv));
      }
    }
    const bare = {};
    for (const mode of ['cjs', 'esm', 'cjs-file', 'esm-file']) bare[mode] = median(samples[`bare:${mode}`].map((x) => x.ms));
    const out = { bareMs: bare.cjs, bareEsmMs: bare.esm, bareFileMs: { cjs: bare['cjs-file'], esm: bare['esm-file'] }, runs: IMPORT_RUNS, inProcess: {} };
    for (const t of targets) {
      if (t.key.startsWith('bare:')) continue;
      out[t.key] = median(samples[t.key].map((x) => x.ms)) - bare[t.key.slice(t.key.indexOf(':') + 1)];
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

ensureBuilt();
ensureBenchDeps();
const { SDKS, mainEntryFile, esmEntryUrl } = await import('./sdks.mjs');
const { renderSvg } = await import('./chart.mjs');
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
  writeFileSync(`${BENCH_DIR}RESULTS.md`, markdown);
  writeFileSync(`${BENCH_DIR}results.svg`, renderSvg(results));
  writeFileSync(`${BENCH_DIR}results.json`, `${JSON.stringify(results, null, 2)}\n`);
  log(`bench: wrote bench/RESULTS.md, bench/results.svg, bench/results.json (${results.durationS.toFixed(0)} s)`);
}

// ---------------------------------------------------------------------------------------------
// Verdicts and the report.

function verdicts({ summary: s, config }) {
  const out = [];
  const letter = s.letterapp;
  const base = s.baseline;
  const peers = Object.entries(s).filter(([id]) => id !== 'letterapp' && id !== 'baseline').map(([id, v]) => ({ id, ...v }));
  if (!letter) return out;
  const fastestTrack = peers.filter((p) => p.trackUs !== null).sort((a, b) => a.trackUs - b.trackUs)[0];
  if (fastestTrack && letter.trackUs) {
    const ratio = fastestTrack.trackUs / letter.trackUs;
    out.push({ target: `track() ≥${TARGETS.trackVsFastestPeer}× faster than the fastest peer`, met: ratio >= TARGETS.trackVsFastestPeer,
      detail: `${ratio.toFixed(2)}× (${fmtUs(letter.trackUs)} vs ${fastestTrack.id} ${fmtUs(fastestTrack.trackUs)})` });
  }
  const fullPeers = peers.filter((p) => p.deliveredAll && p.e2eMs !== null).sort((a, b) => a.e2eMs - b.e2eMs);
  const letterNote = letter.deliveredAll ? '' : `; letterapp itself delivered ${fmtInt(letter.delivered)}/${fmtInt(config.n)}`;
  if (fullPeers[0] && letter.e2eMs) {
    const ratio = fullPeers[0].e2eMs / letter.e2eMs;
    out.push({ target: `${fmtInt(config.n)} events end to end ≥${TARGETS.e2eVsFastestFullPeer}× faster than the fastest peer that delivers everything`,
      met: ratio >= TARGETS.e2eVsFastestFullPeer && letter.deliveredAll,
      detail: `${ratio.toFixed(2)}× (${fmtMs(letter.e2eMs)} vs ${fullPeers[0].id} ${fmtMs(fullPeers[0].e2eMs)})${letterNote}` });
  }
  if (base && letter.e2eMs && base.e2eMs) {
    const ratio = letter.e2eMs / base.e2eMs;
    out.push({ target: `end-to-end wall time ≤${TARGETS.vsBaseline}× the baseline`, met: ratio <= TARGETS.vsBaseline && letter.deliveredAll,
      detail: `${ratio.toFixed(2)}× (${fmtMs(letter.e2eMs)} vs ${fmtMs(base.e2eMs)})${letterNote}` });
  }
  if (base && letter.cpuMs && base.cpuMs) {
    const ratio = letter.cpuMs / base.cpuMs;
    out.push({ target: `end-to-end CPU time ≤${TARGETS.vsBaseline}× the baseline`, met: ratio <= TARGETS.vsBaseline,
      detail: `${ratio.toFixed(2)}× (${fmtMs(letter.cpuMs)} vs ${fmtMs(base.cpuMs)})` });
  }
  if (base && letter.rssMb && base.rssMb) {
    const ratio = letter.rssMb / base.rssMb;
    out.push({ target: `peak RSS ≤${TARGETS.vsBaseline}× the baseline`, met: ratio <= TARGETS.vsBaseline,
      detail: `${ratio.toFixed(2)}× (${letter.rssMb.toFixed(0)} MB vs ${base.rssMb.toFixed(0)} MB)` });
  }
  if (letter.importCjsMs !== null && letter.importEsmMs !== null) {
    const worst = Math.max(letter.importCjsMs, letter.importEsmMs);
    out.push({ target: `import adds ≤${TARGETS.importMs} ms (ESM and CJS, \`node -e\` as issue 4 measures it)`, met: worst <= TARGETS.importMs,
      detail: `node -e: ESM ${letter.importEsmMs.toFixed(1)} ms, CJS ${letter.importCjsMs.toFixed(1)} ms; from an entry file: ESM ${results.imports['letterapp:esm-file'].toFixed(1)} ms, CJS ${results.imports['letterapp:cjs-file'].toFixed(1)} ms (in-process ${results.imports.inProcess['letterapp:esm-file'].toFixed(1)} / ${results.imports.inProcess['letterapp:cjs-file'].toFixed(1)} ms)` });
    const worstFile = Math.max(results.imports['letterapp:esm-file'], results.imports['letterapp:cjs-file']);
    out.push({ target: `import adds ≤${TARGETS.importMs} ms from an entry file (as a Lambda handler loads it)`, met: worstFile <= TARGETS.importMs,
      detail: `ESM ${results.imports['letterapp:esm-file'].toFixed(1)} ms, CJS ${results.imports['letterapp:cjs-file'].toFixed(1)} ms (in-process ${results.imports.inProcess['letterapp:esm-file'].toFixed(1)} / ${results.imports.inProcess['letterapp:cjs-file'].toFixed(1)} ms)` });
  }
  if (letter.gzipBytes !== null) {
    out.push({ target: `main entry ≤${TARGETS.entryBytes / 1024} KB minified+gzipped`, met: letter.gzipBytes <= TARGETS.entryBytes,
      detail: `${fmtKb(letter.gzipBytes)} (ESM; CJS ${fmtKb(results.sizes['letterapp:cjs']?.gzipBytes)})` });
  }
  const li = letter.idle;
  if (li) {
    const quiet = li.afterCreate?.timers === 0 && li.afterCreate?.fires === 0 && li.afterUse?.timers === 0 && li.afterUse?.fires === 0 && li.exitsByItself;
    out.push({ target: 'idle client: no timers, no wakeups', met: quiet,
      detail: `after construction ${li.afterCreate?.timers} timers/${li.afterCreate?.fires} wakeups in 1 s; after track()+flush() ${li.afterUse?.timers} timers/${li.afterUse?.fires} wakeups in 1 s; process ${li.exitsByItself ? 'exits by itself' : 'had to be killed'}` });
  }
  return out;
}

function fmtUs(us) {
  return us === null || us === undefined ? '—' : `${us < 10 ? us.toFixed(2) : us < 100 ? us.toFixed(1) : us.toFixed(0)} µs`;
}
function fmtMs(ms) {
  return ms === null || ms === undefined ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;
}
function fmtInt(n) {
  return n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-US');
}
function fmtImport(e, file) {
  if (e === null || e === undefined) return '—';
  if (e === 0 && file === 0) return '0';
  return `${e.toFixed(1)} / ${file.toFixed(1)} ms`;
}
function fmtKb(bytes) {
  return bytes === null || bytes === undefined ? '—' : `${(bytes / 1024).toFixed(1)} KB`;
}
function ratio(value, ref) {
  if (value === null || ref === null || value === undefined || ref === undefined || ref === 0) return '';
  return ` (${(value / ref).toFixed(value / ref >= 10 ? 0 : 1)}×)`;
}

function observations(res) {
  const out = [];
  for (const [id, v] of Object.entries(res.summary)) {
    const mine = res.runs.filter((r) => r.sdk === id);
    const delivered = mine.map((r) => r.delivered);
    if (!v.deliveredAll) {
      const dropped = mine.reduce((sum, r) => sum + r.droppedReported, 0);
      out.push(`${id}: delivered ${delivered.map(fmtInt).join(' / ')} of ${fmtInt(res.config.n)} events in the ${mine.length} rounds` +
        (dropped ? `; it reported ${fmtInt(dropped)} dropped messages (queue full) through onError` : '') +
        (v.failures ? `; ${v.failures} run(s) killed: ${[...new Set(mine.filter((r) => r.failure).map((r) => r.failure))].join('; ')}` : '') + '.');
    }
    if (v.idle && !v.idle.exitsByItself) out.push(`${id}: an idle client kept the process alive (${v.idle.failure}).`);
    if (v.idle && (v.idle.afterUse?.timers > 0 || v.idle.afterUse?.fires > 0)) {
      out.push(`${id}: after one track() and flush(), ${v.idle.afterUse.timers} timer(s) of its own still pending and ${v.idle.afterUse.fires} timer callback(s) fired in 1 s of idleness.`);
    }
    const over = mine.reduce((sum, r) => sum + (r.overLimitBodies ?? 0), 0);
    if (over && (id === 'letterapp' || id === 'baseline')) out.push(`${id}: ${over} request bodies exceeded the contract's 512,000-byte limit.`);
  }
  const l = res.runs.filter((r) => r.sdk === 'letterapp');
  if (l.length) {
    out.push(`letterapp's largest body was ${fmtInt(Math.max(...l.map((r) => r.maxBodyBytes)))} bytes (limit 512,000); ${fmtInt(median(l.map((r) => r.requests)))} requests per ${fmtInt(res.config.n)} events.`);
  }
  const spread = (id, key) => {
    const xs = res.runs.filter((r) => r.sdk === id && r[key] !== null).map((r) => r[key]);
    return xs.length ? `${Math.min(...xs).toFixed(key === 'trackUs' ? 2 : 0)}–${Math.max(...xs).toFixed(key === 'trackUs' ? 2 : 0)}` : '—';
  };
  if (res.summary.letterapp && res.summary.baseline) {
    out.push(`Spread over rounds (min–max): letterapp track() ${spread('letterapp', 'trackUs')} µs, end to end ${spread('letterapp', 'e2eMs')} ms; baseline track() ${spread('baseline', 'trackUs')} µs, end to end ${spread('baseline', 'e2eMs')} ms.`);
  }
  return out;
}

function renderMarkdown(res) {
  const s = res.summary;
  const l = s.letterapp ?? {};
  const rows = Object.entries(s).map(([id, v]) => {
    const isLetter = id === 'letterapp';
    const name = isLetter ? `**letterapp ${res.versions.letterapp}**` : id === 'baseline' ? 'hand-written baseline' : `${v.label} ${res.versions[id]}`;
    const e2e = v.e2eMs === null ? `killed (${v.failures}/${v.rounds} rounds)` : `${fmtMs(v.e2eMs)}${isLetter ? '' : ratio(v.e2eMs, l.e2eMs)}${v.failures ? ` (${v.failures}/${v.rounds} killed)` : ''}`;
    const idleText = v.idle ? `${v.idle.afterUse?.timers ?? '?'} / ${v.idle.afterUse?.fires ?? '?'}${v.idle.exitsByItself ? '' : ', keeps process alive'}` : '—';
    return `| ${name} | ${fmtUs(v.trackUs)}${isLetter ? '' : ratio(v.trackUs, l.trackUs)} | ${e2e} | ${fmtMs(v.cpuMs)}${isLetter ? '' : ratio(v.cpuMs, l.cpuMs)} | ${v.rssMb === null ? '—' : `${v.rssMb.toFixed(0)} MB`}${isLetter ? '' : ratio(v.rssMb, l.rssMb)} | ${fmtInt(v.delivered)}${v.deliveredAll ? ' (all)' : ''} | ${fmtInt(v.requests)} | ${fmtImport(v.importCjsMs, v.importCjsFileMs)} | ${fmtImport(v.importEsmMs, v.importEsmFileMs)} | ${fmtKb(v.gzipBytes)} | ${idleText} |`;
  });
  const table = [
    `| SDK (defaults) | track() per call | ${fmtInt(res.config.n)} events end to end | CPU time | peak RSS | events delivered | requests | import adds, CJS (\`-e\` / file) | import adds, ESM (\`-e\` / file) | main entry min+gz | idle: timers / wakeups per s |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');

  const perRound = [
    '| round | SDK | track() µs/call | calls phase | end to end | CPU | peak RSS | delivered | requests | dropped (reported) | sink CPU | note |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...res.runs.map((r) => `| ${r.round} | ${r.sdk} | ${r.trackUs?.toFixed(2) ?? '—'} | ${fmtMs(r.callsMs)} | ${r.failed ? 'killed' : fmtMs(r.e2eMs)} | ${fmtMs(r.cpuMs)} | ${r.rssMb === null ? '—' : `${r.rssMb.toFixed(0)} MB`} | ${fmtInt(r.delivered)} | ${fmtInt(r.requests)} | ${r.droppedReported ? fmtInt(r.droppedReported) : ''} | ${fmtMs(r.sinkCpuMs)} | ${(r.failure ?? '').replace(/\|/g, '/')} |`),
  ].join('\n');

  const sizeRows = Object.entries(res.sizes).map(([key, v]) => `| ${key} | \`${v.entry.replace(/^.*node_modules\//, '')}\` | ${fmtKb(v.minBytes)} | ${fmtKb(v.gzipBytes)} |`).join('\n');
  const m = res.machine;
  const markdown = `# Benchmark results: letterapp vs the peer Node analytics SDKs

Generated by \`npm run bench\` (\`bench/run.mjs\`) on ${res.date.slice(0, 10)}; do not edit by hand.

- **Machine:** ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}; load average at start ${m.loadAverageAtStart.map((x) => x.toFixed(2)).join(' / ')}, at end ${m.loadAverageAtEnd.map((x) => x.toFixed(2)).join(' / ')}
- **Node:** ${res.versions.node}
- **Versions:** letterapp ${res.versions.letterapp} (built from this repository at ${res.versions.letterappCommit}), ${Object.entries(res.versions).filter(([k]) => !['node', 'letterapp', 'letterappCommit'].includes(k)).map(([k, v]) => `${SDKS.find((x) => x.id === k)?.label ?? k} ${v}`).join(', ')}
- **Run:** N = ${fmtInt(res.config.n)} events per SDK per round, ${res.config.rounds} interleaved rounds, chunks of ${fmtInt(res.config.chunk)} calls, ${res.config.importRuns} processes per import measurement; the whole run took ${res.durationS.toFixed(0)} s

![letterapp vs peers](results.svg)

## Medians over ${res.config.rounds} rounds (ratio to letterapp in parentheses)

${table}

## Targets (issue 4)

${res.verdicts.map((v) => `- ${v.met ? '✅ met' : '❌ missed'}: ${v.target} — ${v.detail}`).join('\n')}

## Observations (from this run's data)

${observations(res).map((o) => `- ${o}`).join('\n')}

## Method

- **Sink.** A separate Node process (\`bench/sink.mjs\`) on 127.0.0.1 accepts each SDK's own batch format at the path
  it posts to (\`/v1/batch\` for letterapp, the baseline, Segment and RudderStack; \`/batch/\` for PostHog;
  \`/2/httpapi\` for Amplitude), gunzips when the body is gzip-encoded, answers 200 with one JSON body every SDK
  accepts, counts requests, and deduplicates events on their message id (\`message_id\`, \`messageId\`,
  \`uuid\`; Amplitude sends no id by default, so its events are deduplicated on the workload's unique
  \`order_id\`). Every SDK is pointed at the sink through its own host/endpoint option, under a per-run path
  prefix so that requests are attributed to the run that made them.
- **Workload.** Each SDK runs in its own child process (\`bench/workload.mjs\`) with default settings (only the key
  and the sink's address are set) and sends the same event: \`track\` of \`Order Completed\` by \`user_<i mod 5000>\`
  with ten properties (strings, numbers, a boolean, a URL; \`order_id\` unique per call). The
  hand-written baseline is \`JSON.stringify\` + \`fetch\`: one body per 500 events, at most 4 requests in flight,
  no validation, no retries, no memory bound.
- **Calls like a server's.** A single synchronous loop of ${fmtInt(res.config.n)} calls never yields, so no SDK could send
  anything before it ends and any bounded queue (letterapp's \`maxQueueSize\` is 10,000 by design) would overflow.
  Instead, every SDK gets the same pattern: ${fmtInt(res.config.chunk)} synchronous \`track()\` calls, then
  \`await new Promise(r => setImmediate(r))\`, repeated until N calls are made. **track() per call** is the
  synchronous time of the chunks (\`performance.now()\` around each chunk, summed) divided by N.
- **End to end** is from the first call (the child's clock) to the arrival of the last new event at the sink (the
  sink's clock); both processes read the same wall clock (\`performance.timeOrigin + performance.now()\`). After the
  last chunk the child calls the SDK's own drain (\`close()\`, \`closeAndFlush()\`, \`shutdown()\`, \`flush()\`)
  and must then exit by itself. A run still going after ${res.config.timeoutS} s, or whose \`track()\` calls alone are on pace
  to exceed that (checked from 10 s on), is killed and counts as a failure; a failed round counts as infinitely slow
  in the median.
- **CPU time** is \`process.cpuUsage()\` (user + system) from the first call to the end of the drain; **peak RSS**
  is the process's \`maxRSS\` (\`process.resourceUsage()\`), startup included. **Events delivered** are the distinct
  events the sink stored; **requests** are every request the run made.
- **Import time** is the median wall time of \`node -e "require(X)"\` (CJS) and
  \`node --input-type=module -e "import X"\` (ESM) minus the median of \`node -e 0\` (respectively
  \`node --input-type=module -e 0\`, since an ESM entry costs the module loader's start-up even when it imports
  nothing), ${res.config.importRuns} runs each, interleaved (bare node: ${res.imports.bareMs.toFixed(1)} ms CJS,
  ${res.imports.bareEsmMs.toFixed(1)} ms ESM). letterapp is loaded from this repository's build (\`dist/\`).
- **Main entry size** is the entry that \`require\`/\`import\` resolves, bundled with everything it can load,
  minified with esbuild (\`--bundle --minify --platform=node\`) and gzipped (level 9). For letterapp the ESM entry
  \`dist/index.js\`; for the peers their CJS main with their dependencies (RudderStack's includes its
  optional Redis queue, which it \`require\`s lazily).
- **Idle client:** a separate child counts every \`setTimeout\`/\`setInterval\` (ref'd or not) that is pending, and
  every timer callback that fires, during 1 s after construction and during 1 s after one \`track()\` + \`flush()\`;
  the table shows the latter. Timers created by Node's own fetch (undici keeps a 1 s clock while a keep-alive
  socket is open, for any caller, the baseline included) are counted apart as "runtime". The process must then exit
  by itself within 3 s.
- **Noise.** The machine is shared; rounds are interleaved (the order rotates each round) so that load drifts
  hit every SDK alike, and medians are reported. Ratios measured in the same run are more stable than absolute
  numbers.

## Main entry sizes

| entry | file | minified | min+gzip |
| --- | --- | ---: | ---: |
${sizeRows}

## Import time

Median over ${res.config.importRuns} interleaved runs of the process's wall time minus that of the same command importing
nothing ("process − bare"), and in-process: the same runs timing their own \`require\`/\`import()\` with
\`performance.now()\`. \`-e\` is the command issue 4 names; "file" starts from an entry file, as a Lambda handler
or a server does. CommonJS \`node -e\` preloads some built-ins (\`node:crypto\` among them), so the file entry
shows the full cost of a module that imports them.

| SDK | CJS \`-e\`: process − bare / in-process | CJS file: process − bare / in-process | ESM \`-e\`: process − bare / in-process | ESM file: process − bare / in-process |
| --- | ---: | ---: | ---: | ---: |
${Object.keys(res.summary).filter((id) => res.imports[`${id}:cjs`] !== undefined).map((id) => `| ${id} | ${['cjs', 'cjs-file', 'esm', 'esm-file'].map((mode) => `${res.imports[`${id}:${mode}`].toFixed(1)} / ${res.imports.inProcess[`${id}:${mode}`].toFixed(1)} ms`).join(' | ')} |`).join('\n')}

## Idle clients

| SDK | after construction: SDK timers / wakeups in 1 s | after track()+flush(): SDK timers / wakeups in 1 s | runtime (fetch keep-alive) timers / wakeups after use | process exits by itself |
| --- | ---: | ---: | ---: | --- |
${Object.entries(res.summary).map(([id, v]) => `| ${id} | ${v.idle?.afterCreate?.timers ?? '—'} / ${v.idle?.afterCreate?.fires ?? '—'} | ${v.idle?.afterUse?.timers ?? '—'} / ${v.idle?.afterUse?.fires ?? '—'} | ${v.idle?.afterUse?.runtimeTimers ?? '—'} / ${v.idle?.afterUse?.runtimeFires ?? '—'} | ${v.idle?.exitsByItself ? 'yes' : `no (${v.idle?.failure ?? 'error'})`} |`).join('\n')}

## Every run

${perRound}

## Reproduce

\`\`\`sh
npm run bench                             # from the repository root; builds dist/ and installs bench/ deps if missing
node bench/run.mjs --n=20000 --rounds=3   # a quicker run; --only=letterapp,baseline to compare two
\`\`\`

Raw numbers: \`bench/results.json\`.
`;
  return { markdown, table };
}
