#!/usr/bin/env node
// The runtime matrix, run for real: `npm run test:runtimes`.
//
// Installs runtimes from npm packages that carry their binaries (node-<os>-<arch>@18/@22/@24,
// @oven/bun-<os>-<arch>, deno, miniflare with its workerd, edge-runtime) into a cache folder,
// packs letterapp, installs the tarball into a throwaway project, and runs the smoke scripts in
// ./smoke on Node 18, 20, 22, 24, Bun and Deno, and the Worker-shaped ones (smoke/worker-*.mjs) in
// Cloudflare's workerd (without nodejs_compat) and Vercel's Edge runtime through ./hosts.
// Each script sends identify/group/track through the packed package to a contract-following test
// server (letterapp/testing, run here on 127.0.0.1) and this script checks what arrived.
//
// Prints a Markdown table for the README, a note per degradation, and `N passed, M failed`.
// Exits 1 when a required check fails, or when something the matrix says works stops working;
// an expected degradation is reported as such ("not supported (expected)"), never as a failure.
//
//   node test/runtimes/run.mjs [--only node18,bun,workerd,edge] [--refresh] [--json results.json]
//
// Cache: $LETTER_RUNTIMES_CACHE, else node_modules/.cache/letterapp-runtimes (about 900 MB for all
// eight; the first run downloads them, later runs reuse them; --refresh reinstalls the newest
// release of each major).

import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cleanEnv, expectSuccess, installTarball, packTarball, ROOT, run } from '../consumers/pack.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SMOKE = join(HERE, 'smoke');
const HOSTS = join(HERE, 'hosts');
/** A guard against a runtime that never exits, not a wait: every case normally ends in well under a second. */
const CASE_TIMEOUT_MS = 60_000;
const API_KEY = 'lt_test_runtime_matrix';

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string' },
    refresh: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

const log = (line) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// Runtimes

const os = process.platform === 'darwin' ? 'darwin' : 'linux';
const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
const hostNodeMajor = Number(process.versions.node.split('.')[0]);

/** Each runtime: how to install it (npm package and range), where its binary lands, how to run a file. */
const RUNTIMES = [
  ...[18, 20, 22, 24].map((major) => ({
    id: `node${major}`,
    name: `Node ${major}`,
    kind: 'node',
    major,
    // The Node running this script is used as is when it is of that major.
    host: hostNodeMajor === major ? process.execPath : undefined,
    pkg: `node-${os}-${arch}`,
    range: String(major),
    binary: (dir) => join(dir, 'node_modules', `node-${os}-${arch}`, 'bin', 'node'),
    command: (bin, file) => [bin, [file]],
  })),
  {
    id: 'bun',
    name: 'Bun',
    kind: 'bun',
    pkg: `@oven/bun-${os}-${arch === 'arm64' ? 'aarch64' : 'x64'}`,
    range: '1',
    binary: (dir) => join(dir, 'node_modules', '@oven', `bun-${os}-${arch === 'arm64' ? 'aarch64' : 'x64'}`, 'bin', 'bun'),
    command: (bin, file) => [bin, [file]],
  },
  {
    id: 'deno',
    name: 'Deno',
    kind: 'deno',
    pkg: 'deno',
    range: '2',
    // The `deno` package's binary comes in a platform package, @deno/<os>-<arch>[-glibc].
    binary: (dir) => join(dir, 'node_modules', '@deno', `${os}-${arch}${os === 'linux' ? '-glibc' : ''}`, 'deno'),
    // Least privilege: loopback only, and only the two variables the SDK reads.
    command: (bin, file, { allowEnv = true } = {}) => [
      bin,
      ['run', '--no-prompt', '--allow-net=127.0.0.1', ...(allowEnv ? ['--allow-env=LETTER_API_KEY,LETTER_BASE_URL'] : []), file],
    ],
  },
  // The edge runtimes run Worker-shaped modules (smoke/worker-*.mjs) under a host script on this
  // Node (hosts/), which drives one request into the Worker and routes its outbound fetch.
  {
    id: 'workerd',
    name: 'Cloudflare Workers (workerd)',
    kind: 'workerd',
    edge: true,
    // Miniflare brings workerd as its dependency, binary included.
    pkg: 'miniflare',
    range: '4',
    binary: (dir) => join(dir, 'node_modules', '@cloudflare', `workerd-${os}-${arch === 'arm64' ? 'arm64' : '64'}`, 'bin', 'workerd'),
    command: (bin, file, { hostArgs = [] } = {}) => [process.execPath, [join(HOSTS, 'workerd.mjs'), file, ...hostArgs]],
  },
  {
    id: 'edge',
    name: 'Vercel Edge (edge-runtime)',
    kind: 'edge-runtime',
    edge: true,
    pkg: 'edge-runtime',
    range: '4',
    binary: (dir) => join(dir, 'node_modules', 'edge-runtime', 'package.json'),
    // A library, not a binary: its version is its package's.
    version: async (bin) => JSON.parse(await readFile(bin, 'utf8')).version,
    command: (bin, file, { hostArgs = [] } = {}) => [process.execPath, [join(HOSTS, 'edge-runtime.mjs'), file, ...hostArgs]],
  },
];

const cacheDir = process.env.LETTER_RUNTIMES_CACHE || join(ROOT, 'node_modules', '.cache', 'letterapp-runtimes');

/** Installs (or finds in the cache) one runtime; resolves with its binary and version. */
async function installRuntime(runtime) {
  if (runtime.host) return { bin: runtime.host, version: process.version, source: 'this Node', ms: 0 };
  const dir = join(cacheDir, runtime.id);
  const bin = runtime.binary(dir);
  const manifest = { name: `letterapp-runtime-${runtime.id}`, private: true, dependencies: { [runtime.pkg]: runtime.range } };
  const manifestPath = join(dir, 'package.json');
  const cached = existsSync(bin) && existsSync(manifestPath) && (await readFile(manifestPath, 'utf8')) === `${JSON.stringify(manifest)}\n`;
  let ms = 0;
  if (!cached || flags.refresh) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(manifestPath, `${JSON.stringify(manifest)}\n`);
    // --ignore-scripts: the binaries are in the tarballs (workerd's in its platform package);
    // deno's and workerd's postinstalls only re-link or re-check their own.
    const result = await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--prefer-offline'], {
      cwd: dir,
      timeoutMs: 600_000,
    });
    expectSuccess(result, `npm install ${runtime.pkg}@${runtime.range}`);
    ms = result.ms;
    if (!existsSync(bin)) throw new Error(`${runtime.pkg}@${runtime.range} installed, but ${bin} is missing`);
  }
  const version = runtime.version
    ? await runtime.version(bin)
    : expectSuccess(await run(bin, ['--version'], { timeoutMs: 30_000 }), `${bin} --version`).stdout.trim().split('\n')[0];
  return { bin, dir, version: version.replace(/^(deno|workerd) /, '').replace(/ \(.*$/, ''), source: cached && !flags.refresh ? 'cache' : 'npm', ms };
}

// ---------------------------------------------------------------------------------------------
// Checks

const EXPECTED = [
  { type: 'identify', user_id: '42', email: 'ada@example.com', traits: { name: 'Ada' } },
  { type: 'group', user_id: '42', account_id: 'ws_9', name: 'Acme' },
  { type: 'track', user_id: '42', event: 'Workspace Created', properties: { workspace_id: 'ws_9' } },
];

/** Why the server's messages and requests are not the three calls, or undefined when they are. */
function deliveryProblem(server) {
  const got = server.messages.map(({ message_id, timestamp, ...rest }) => rest);
  if (JSON.stringify(got) !== JSON.stringify(EXPECTED)) return `server stored ${JSON.stringify(got)}`;
  if (!server.messages.every((m) => /^[0-9a-f-]{36}$/.test(m.message_id) && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(m.timestamp))) {
    return 'message_id or timestamp malformed';
  }
  const bad = server.requests.find((r) => r.reply !== 200 || !/^letterapp-node\/\d/.test(String(r.headers['user-agent'])));
  if (bad) return `request answered ${bad.reply}, user-agent ${bad.headers['user-agent']}`;
  return undefined;
}

/** The first line of stderr that says what went wrong (a SyntaxError, an Error), for the notes. */
function stderrGist(stderr) {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  return (lines.find((line) => /^(\w*Error|error|Uncaught|NotCapable)\b/.test(line)) ?? lines[0] ?? '').slice(0, 160);
}

/**
 * The cases, one column each. `required`: must pass on every runtime it applies to. Otherwise
 * `expect(runtime)` says whether the runtime is expected to support it: an expected one that fails
 * is a failure; an unsupported one that fails the known way (`degradedIf`) is a degradation,
 * reported with its note, and any other failure is a failure. `applies(runtime)`: where the case
 * means something (by default the process runtimes, not the edge ones); `edgeFile` is the case's
 * Worker-shaped script for the edge runtimes.
 */
const CASES = [
  {
    id: 'esm',
    column: 'ESM `import`',
    file: 'esm.mjs',
    edgeFile: 'worker-close.mjs',
    applies: () => true,
    required: true,
    describe: 'import, identify/group/track, await close(), then process.exit(0) (in a Worker: the response)',
  },
  {
    id: 'cjs',
    column: 'CJS `require`',
    file: 'cjs.cjs',
    required: true,
    describe: 'the same through require()',
  },
  {
    id: 'node-http',
    column: '`letterapp/node-http`',
    file: 'node-http.mjs',
    required: true,
    describe: 'the opt-in node:http transport: the same calls sent through `nodeHttpFetch`',
  },
  {
    id: 'node-http-env-proxy',
    column: '`node-http` under `NODE_USE_ENV_PROXY`',
    file: 'node-http.mjs',
    applies: (runtime) => runtime.kind === 'node',
    required: false,
    // Node 22.21+ and 24.5+ send fetch and node:http's global agent through HTTP_PROXY when this
    // is set; node-http must not be the one transport that bypasses it.
    expect: (runtime) => runtime.major >= 22,
    degradedIf: /went direct/,
    degraded: 'Node 18 and 20 have no `NODE_USE_ENV_PROXY`: there `fetch` and `letterapp/node-http` both go direct.',
    proxy: true,
    describe: 'with `NODE_USE_ENV_PROXY=1` and `HTTP_PROXY` set, `nodeHttpFetch` sends through that proxy, as `fetch` does',
    async check({ result, server, proxied }) {
      if (result.code !== 0) return `exit ${result.code}: ${stderrGist(result.stderr)}`;
      const problem = deliveryProblem(server);
      if (problem) return problem;
      return proxied() > 0 ? { ok: true, detail: `${proxied()} request(s) through the proxy` } : 'delivered, but went direct: the proxy saw nothing';
    },
  },
  {
    id: 'natural-exit',
    column: 'natural exit (`beforeExit`)',
    file: 'natural-exit.mjs',
    required: true,
    describe: 'no close(): the beforeExit hook delivers when the event loop empties',
  },
  {
    id: 'await-using-native',
    column: '`await using` (native)',
    file: 'await-using.mjs',
    required: false,
    expect: (runtime) => runtime.kind !== 'node' || runtime.major >= 24,
    degradedIf: /SyntaxError/,
    degraded: 'Node 18, 20 and 22 do not parse `await using` (SyntaxError); call `await letter.close()`, or let TypeScript compile `await using` (next column).',
    describe: 'native `await using` closes the client at the end of the block',
  },
  {
    id: 'await-using-ts',
    column: '`await using` (TS output)',
    file: 'await-using-ts.mjs',
    required: true,
    describe: '`await using` compiled by TypeScript for ES2022 (needs Symbol.asyncDispose)',
  },
  {
    id: 'redirect',
    column: 'redirect refused',
    file: 'redirect.mjs',
    edgeFile: 'worker-redirect.mjs',
    applies: () => true,
    required: true,
    describe: 'a 307 is reported to onError and not followed (the key never reaches the target)',
    async check({ result, server, target }) {
      if (result.code !== 0) return `exit ${result.code}: ${stderrGist(result.stderr)}`;
      if (target.requests.length > 0) return `the redirect was followed: the target got ${target.requests.length} request(s)`;
      if (server.requests.length !== 1) return `the API got ${server.requests.length} requests, expected 1`;
      const errors = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '[]');
      if (errors.length !== 1 || errors[0].code !== 'http_error' || !(errors[0].status >= 300 && errors[0].status < 400)) {
        return `onError got ${JSON.stringify(errors)}`;
      }
      return { ok: true, detail: `reported as ${errors[0].status}` };
    },
  },
  {
    id: 'testing-server',
    column: '`letterapp/testing`',
    file: 'testing-server.mjs',
    required: true,
    describe: 'the test server itself (node:http) runs in this runtime and receives the calls',
    async check({ result }) {
      return result.code === 0 ? { ok: true } : `exit ${result.code}: ${stderrGist(result.stderr)}`;
    },
  },
  {
    id: 'wait-until',
    column: '`waitUntil(flush())`',
    edgeFile: 'worker-wait-until.mjs',
    applies: (runtime) => runtime.edge === true,
    required: true,
    // The host holds outbound requests until it has the response, and checks delivery once the
    // waitUntil promises have settled.
    hostArgs: ['--respond-first', String(EXPECTED.length)],
    describe: 'a Worker tracks, calls `ctx.waitUntil(letter.flush())` and responds at once; delivery completes within waitUntil',
  },
  {
    id: 'deno-no-env',
    column: 'no env permission',
    file: 'no-env-permission.mjs',
    // The SDK reads LETTER_API_KEY/LETTER_BASE_URL defensively (src/env.ts), so a client with an
    // explicit apiKey is created even where the environment is off limits.
    required: true,
    applies: (runtime) => runtime.kind === 'deno',
    // Its outcome is a note on the runtime's name, not a column.
    noColumn: true,
    denoAllowEnv: false,
    describe: 'Deno without --allow-env: new Letter({ apiKey }) is created',
    async check({ result }) {
      if (result.code !== 0) return `exit ${result.code}: ${stderrGist(result.stderr)}`;
      const outcome = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
      return outcome.constructed ? { ok: true } : outcome.error;
    },
  },
];

/** Whether `testCase` means something on `runtime`. */
function applies(testCase, runtime) {
  return testCase.applies ? testCase.applies(runtime) : !runtime.edge;
}

/**
 * What one outcome means: `pass`; `degraded` (an unsupported feature failing the known way: the
 * expected outcome, with its note); `unexpected-pass` (works where the matrix says it does not:
 * the expectation is out of date); `fail`; `n/a` (the case does not apply to the runtime).
 */
function judge(runtime, testCase, result) {
  if (result.status === 'n/a') return 'n/a';
  const expected = testCase.required || testCase.expect(runtime);
  if (result.status === 'pass') return expected ? 'pass' : 'unexpected-pass';
  return !expected && testCase.degradedIf.test(String(result.detail)) ? 'degraded' : 'fail';
}

/** How the progress lines name each verdict: only a real failure reads as one. */
const VERDICT_LABELS = {
  pass: 'pass',
  'unexpected-pass': 'pass (unexpected: update the matrix)',
  degraded: 'not supported (expected)',
  fail: 'FAIL',
  'n/a': 'n/a',
};

/** The legend for a "—" cell. */
const NOT_APPLICABLE =
  '— does not apply: the edge runtimes run a Worker module per request (no CommonJS, no process to exit, no `node:http` for `letterapp/testing` or `letterapp/node-http`; native `await using` is left to the others), and `waitUntil` is theirs alone.';

async function runCase(runtime, installed, testCase, project, startTestServer) {
  if (!applies(testCase, runtime)) return { status: 'n/a' };
  const server = await startTestServer({ apiKey: API_KEY });
  const target = await startTestServer({ apiKey: API_KEY });
  const proxy = testCase.proxy ? await startForwardProxy() : undefined;
  if (testCase.id === 'redirect') server.reply({ status: 307, headers: { location: `${target.url}/v1/batch` } });
  try {
    const file = join(project, runtime.edge ? testCase.edgeFile : testCase.file);
    const [command, args] = runtime.command(installed.bin, file, { allowEnv: testCase.denoAllowEnv ?? true, hostArgs: testCase.hostArgs });
    const env = cleanEnv({
      LETTER_API_KEY: API_KEY,
      LETTER_BASE_URL: server.url,
      LETTER_RUNTIME_DIR: installed.dir ?? '',
      DENO_DIR: join(cacheDir, 'deno-dir'),
      DENO_NO_UPDATE_CHECK: '1',
      ...(proxy ? { NODE_USE_ENV_PROXY: '1', HTTP_PROXY: proxy.url, http_proxy: proxy.url, NO_PROXY: '', no_proxy: '' } : {}),
    });
    let result;
    try {
      result = await run(command, args, { cwd: project, env, timeoutMs: CASE_TIMEOUT_MS });
    } catch (error) {
      return { status: 'fail', detail: String(error.message).split('\n')[0] };
    }
    const verdict = testCase.check
      ? await testCase.check({ result, server, target, proxied: () => proxy?.requests ?? 0 })
      : result.code !== 0
        ? `exit ${result.code}: ${stderrGist(result.stderr)}`
        : (deliveryProblem(server) ?? { ok: true });
    const warnings = stderrGist(result.stderr);
    if (typeof verdict === 'object' && verdict.ok) return { status: 'pass', detail: verdict.detail, ms: result.ms, stderr: warnings || undefined };
    return { status: 'fail', detail: verdict, ms: result.ms };
  } finally {
    await Promise.all([server.close(), target.close(), proxy?.close()]);
  }
}

/**
 * A forward proxy on 127.0.0.1 for `HTTP_PROXY`: it passes each request on to the absolute URL it
 * names (`http:` only, which is all the local test server speaks), or tunnels a CONNECT, and
 * counts both.
 */
async function startForwardProxy() {
  const proxy = { requests: 0, url: '', close: undefined };
  const server = createHttpServer((request, response) => {
    proxy.requests += 1;
    const upstream = httpRequest(request.url, { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  server.on('connect', (request, socket, head) => {
    proxy.requests += 1;
    const [host, port] = request.url.split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${server.address().port}`;
  proxy.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return proxy;
}

// ---------------------------------------------------------------------------------------------
// Main

const started = Date.now();
const only = flags.only ? new Set(flags.only.split(',')) : undefined;
const runtimes = RUNTIMES.filter((runtime) => !only || only.has(runtime.id));
if (runtimes.length === 0) throw new Error(`--only ${flags.only}: no such runtime (${RUNTIMES.map((r) => r.id).join(', ')})`);

const work = await realpath(await mkdtemp(join(tmpdir(), 'letterapp-runtimes-')));
let exitCode = 0;
try {
  log(`runtimes: cache ${cacheDir}`);
  const installStarted = Date.now();
  const [installs, packed] = await Promise.all([
    Promise.all(runtimes.map((runtime) => installRuntime(runtime).then(
      (installed) => {
        log(`  ${runtime.name}: ${installed.version} (${installed.source}${installed.ms ? `, ${(installed.ms / 1000).toFixed(1)} s` : ''})`);
        return installed;
      },
      (error) => {
        log(`  ${runtime.name}: install failed: ${error.message}`);
        return { error: error.message.split('\n')[0] };
      },
    ))),
    (async () => {
      const { tarball } = await packTarball(work);
      const project = join(work, 'project');
      await mkdir(project);
      await installTarball(project, tarball);
      for (const file of await readdir(SMOKE)) await copyFile(join(SMOKE, file), join(project, file));
      // `await using` as TypeScript users ship it: compiled down for ES2022.
      const ts = createRequire(join(ROOT, 'package.json'))('typescript');
      const source = await readFile(join(SMOKE, 'await-using.mjs'), 'utf8');
      const compiled = ts.transpileModule(source, {
        fileName: 'await-using.mts',
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      });
      await writeFile(join(project, 'await-using-ts.mjs'), compiled.outputText);
      return { tarball, project };
    })(),
  ]);
  log(`runtimes: installed and packed in ${((Date.now() - installStarted) / 1000).toFixed(1)} s`);

  // The harness's test server is the packed one, as a user would import it.
  const { startTestServer } = await import(pathToFileURL(join(packed.project, 'node_modules', 'letterapp', 'dist', 'testing.js')).href);

  const results = new Map();
  const queue = runtimes.map((runtime, index) => ({ runtime, installed: installs[index] }));
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const { runtime, installed } = item;
      const row = {};
      for (const testCase of CASES) {
        row[testCase.id] = installed.error
          ? { status: 'fail', detail: `not installed: ${installed.error}` }
          : await runCase(runtime, installed, testCase, packed.project, startTestServer);
        row[testCase.id].verdict = judge(runtime, testCase, row[testCase.id]);
      }
      results.set(runtime.id, row);
      log(`  ${runtime.name}: ${CASES.map((c) => `${c.id} ${VERDICT_LABELS[row[c.id].verdict]}`).join(', ')}`);
    }
  };
  // Two at a time: two cores, and each case is a short process start.
  await Promise.all([worker(), worker()]);

  // Verdicts: a required case must pass; an optional one must pass where the matrix expects it to.
  let passed = 0;
  let failed = 0;
  let notApplicable = false;
  const notes = [];
  const noteIndex = new Map();
  const footnote = (text) => {
    if (!noteIndex.has(text)) {
      notes.push(text);
      noteIndex.set(text, notes.length);
    }
    return noteIndex.get(text);
  };
  const superscript = (n) => String(n).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[d]);
  const columns = CASES.filter((testCase) => !testCase.noColumn && runtimes.some((runtime) => applies(testCase, runtime)));
  const table = [];
  for (const runtime of runtimes) {
    const row = results.get(runtime.id);
    const installed = installs[runtimes.indexOf(runtime)];
    // A case without a column: its outcome is a note on the runtime's name.
    const nameMarks = [];
    const cells = [];
    for (const testCase of CASES) {
      const result = row[testCase.id];
      let cell;
      switch (result.verdict) {
        case 'n/a':
          cell = '—';
          break;
        case 'pass':
          passed += 1;
          cell = '✅';
          break;
        case 'unexpected-pass':
          passed += 1;
          cell = `✅${superscript(footnote(`${testCase.describe}: now works on ${runtime.name}; update the matrix's expectation.`))}`;
          break;
        case 'degraded':
          passed += 1;
          cell = `⚠️${superscript(footnote(testCase.degraded))}`;
          log(`  ${runtime.name}, ${testCase.id}: not supported (expected): ${result.detail}`);
          break;
        default:
          failed += 1;
          exitCode = 1;
          cell = `❌${superscript(footnote(`${runtime.name}, ${testCase.column}: FAILED: ${result.detail}`))}`;
          log(`  ${runtime.name}, ${testCase.id}: FAILED: ${result.detail}`);
      }
      if (result.stderr) footnote(`${runtime.name}, ${testCase.column}: printed to stderr: ${result.stderr}`);
      if (testCase.noColumn) {
        if (result.verdict !== 'n/a' && cell !== '✅') nameMarks.push(cell.replace(/^[✅⚠️❌]+/u, ''));
      } else if (columns.includes(testCase)) {
        if (cell === '—') notApplicable = true;
        cells.push(cell);
      }
    }
    table.push([`${runtime.name}${nameMarks.join('')}`, installed.error ? '—' : installed.version, ...cells]);
  }
  if (notApplicable) notes.push(NOT_APPLICABLE);

  const header = ['Runtime', 'Version', ...columns.map((c) => c.column)];
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...table.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    ...notes.map((note, index) => (note === NOT_APPLICABLE ? note : `${superscript(index + 1)} ${note}`)),
    ...(notes.length ? [''] : []),
    ...columns.map((c) => `- ${c.column}: ${c.describe}.`),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (flags.json) await writeFile(flags.json, `${JSON.stringify({ runtimes: Object.fromEntries(results), installs }, null, 2)}\n`);
  process.stdout.write(`\nruntimes: ${((Date.now() - started) / 1000).toFixed(1)} s\n${passed} passed, ${failed} failed\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
process.exitCode = exitCode;
