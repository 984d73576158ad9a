#!/usr/bin/env node
/**
 * This build against an earlier one, in the same minutes on the same machine: `npm run bench`'s
 * letterapp run (100,000 track() calls in turns of 1,000, then close()), alternating the two builds
 * round by round, and each figure as this build's over the other's, round by round. On a shared
 * machine a figure moves 20-30% from one run of `npm run bench` to the next, so comparing with a
 * figure measured on another day says little; the two builds side by side say which is faster.
 *
 *   node bench/versus.mjs [REV] [--rounds=8] [--n=100000] [--node-flags="--trace-gc ..."]
 *   node bench/versus.mjs [REV] --import [--rounds=40]
 *
 * --node-flags go to both builds' processes. With --trace-gc among them, each build's scavenges
 * (count and total pause) are reported too.
 *
 * --import compares instead how long each build's main entry takes to load, timed inside a fresh
 * process (`require` of dist/index.cjs and `import` of dist/index.js from an entry file), the two
 * builds alternating: the in-process figure of `npm run bench`'s import column, without the
 * process start-up whose swings hide differences under a millisecond.
 *
 * REV defaults to 4eb6e77, the 0.1 build RESULTS.md measured when issue 11 was filed. It is built
 * in a temporary git worktree with this checkout's node_modules (after `npm install`), and this
 * checkout's dist/ is built first. Loopback only.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPositiveInteger, numberOption, timedSource } from './options.mjs';
import { startSink } from './sink-client.mjs';
import { median } from './stats.mjs';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const WORKLOAD = fileURLToPath(new URL('workload.mjs', import.meta.url));
const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
// Split at the first `=` only: --node-flags=--max-semi-space-size=64 keeps its own.
const flags = Object.fromEntries(process.argv.slice(2).filter((arg) => arg.startsWith('--')).map((arg) => {
  const at = arg.indexOf('=');
  return at < 0 ? [arg.slice(2), 'true'] : [arg.slice(2, at), arg.slice(at + 1)];
}));
for (const key of Object.keys(flags)) {
  if (!['rounds', 'n', 'node-flags', 'import'].includes(key)) throw new Error(`unknown option --${key}; known: --rounds, --n, --node-flags, --import`);
}
const positiveInteger = (name, fallback) => numberOption(name, flags[name] ?? fallback, isPositiveInteger, 'a whole number > 0');
const REV = positional[0] ?? '4eb6e77';
const IMPORT = flags.import === 'true';
if (flags.import !== undefined && !IMPORT) throw new Error(`--import takes no value, got ${JSON.stringify(flags.import)}`);
const ROUNDS = positiveInteger('rounds', IMPORT ? 40 : 8);
const N = positiveInteger('n', 100_000);
const NODE_FLAGS = (flags['node-flags'] ?? '').split(' ').filter(Boolean);
const TRACE_GC = NODE_FLAGS.includes('--trace-gc');

function build(dir) {
  execFileSync(join(ROOT_DIR, 'node_modules', '.bin', 'tsup'), ['--silent'], { cwd: dir, stdio: 'inherit' });
}

/** One workload process; resolves to its RESULT line's figures. */
function runOnce(distDir, base) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, WORKLOAD, 'letterapp', String(N), base, '1000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_LETTERAPP_DIST: distDir },
    });
    let out = '';
    child.stdout.on('data', (data) => (out += data));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) return reject(new Error(`workload exited ${code} without a result`));
      const r = JSON.parse(line.slice('RESULT '.length));
      // --trace-gc lines: "[pid:addr] 123 ms: Scavenge 5.1 (6.2) -> 4.3 (7.2) MB, 1.23 / 0.00 ms ..."
      const scavenges = [...out.matchAll(/: Scavenge[^,]*, ([\d.]+) \/ [\d.]+ ms/g)].map((m) => Number(m[1]));
      resolve({
        trackUs: (r.syncMs * 1000) / r.calls,
        cpuMs: r.cpuMs,
        rssMb: r.maxRssKb / 1024,
        drainedMs: r.drainedWall - r.startWall,
        scavenges: scavenges.length,
        scavengeMs: scavenges.reduce((sum, ms) => sum + ms, 0),
      });
    });
  });
}

/** Entry files that time their own require/import of a build's main entry, as `npm run bench` does. */
function importEntries(dir) {
  writeFileSync(join(dir, 'load.cjs'), `${timedSource('require(process.argv[2])')}\n`);
  // The URL is made before the clock starts: node:url is loaded already, but not free to import.
  writeFileSync(join(dir, 'load.mjs'), `import { pathToFileURL } from 'node:url';const url=pathToFileURL(process.argv[2]).href;${timedSource('await import(url)')}\n`);
  return { cjs: join(dir, 'load.cjs'), esm: join(dir, 'load.mjs') };
}

/** Each build's import, in-process, `ROUNDS` times, alternating builds and modes. */
function compareImports(builds, entryDir) {
  const entries = importEntries(entryDir);
  const file = { cjs: 'index.cjs', esm: 'index.js' };
  const times = { now: { cjs: [], esm: [] }, then: { cjs: [], esm: [] } };
  const load = (id, mode) => Number(execFileSync(process.execPath, [...NODE_FLAGS, entries[mode], join(builds[id], file[mode])]));
  for (const id of ['now', 'then']) for (const mode of ['cjs', 'esm']) load(id, mode); // warm the file cache
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? ['then', 'now'] : ['now', 'then'];
    for (const mode of ['cjs', 'esm']) for (const id of order) times[id][mode].push(load(id, mode));
  }
  console.log(`This build's main entry against ${REV}'s, loaded in ${ROUNDS} alternating rounds, timed inside each process (median; this build's minus ${REV}'s per round, median and middle half):`);
  for (const mode of ['cjs', 'esm']) {
    const differences = times.now[mode].map((ms, round) => ms - times.then[mode][round]).sort((a, b) => a - b);
    const quartile = (q) => differences[Math.floor(q * (differences.length - 1))].toFixed(2);
    console.log(`- ${mode === 'cjs' ? 'require (CommonJS)' : 'import (ES module)'}: ${median(times.now[mode]).toFixed(2)} ms against ${median(times.then[mode]).toFixed(2)} ms; ` +
      `${median(differences) >= 0 ? '+' : ''}${median(differences).toFixed(2)} ms (${quartile(0.25)} to ${quartile(0.75)}), this build faster in ${differences.filter((x) => x < 0).length} of ${ROUNDS} rounds`);
  }
}

const worktree = mkdtempSync(join(os.tmpdir(), 'letterapp-versus-'));
execFileSync('git', ['worktree', 'add', '--detach', '--force', worktree, REV], { cwd: ROOT_DIR, stdio: 'ignore' });
// Load times need no sink: nothing is sent.
const sink = IMPORT ? undefined : await startSink();
try {
  symlinkSync(join(ROOT_DIR, 'node_modules'), join(worktree, 'node_modules'), 'dir');
  build(ROOT_DIR);
  build(worktree);
  const builds = { now: join(ROOT_DIR, 'dist/'), then: join(worktree, 'dist/') };
  if (IMPORT) {
    const entryDir = mkdtempSync(join(os.tmpdir(), 'letterapp-versus-import-'));
    try {
      compareImports(builds, entryDir);
    } finally {
      rmSync(entryDir, { recursive: true, force: true });
    }
  } else {
    const rounds = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate which goes first, so that neither always runs on a warmer (or busier) machine.
      const order = round % 2 === 0 ? ['then', 'now'] : ['now', 'then'];
      const result = {};
      for (const id of order) result[id] = await runOnce(builds[id], `http://127.0.0.1:${sink.port}/r/versus-${id}-${round}`);
      rounds.push(result);
      const ratio = (key) => (result.now[key] / result.then[key]).toFixed(2);
      console.error(`versus: round ${round + 1}/${ROUNDS} track ${result.now.trackUs.toFixed(2)} vs ${result.then.trackUs.toFixed(2)} µs (${ratio('trackUs')}x), ` +
        `CPU ${ratio('cpuMs')}x, RSS ${ratio('rssMb')}x, drained ${ratio('drainedMs')}x`);
    }
    console.log(`This build against ${REV}, ${ROUNDS} alternating rounds of ${N.toLocaleString('en-US')} track() calls each (median; ratio per round, min-max):`);
    for (const [key, label, unit, digits] of [['trackUs', 'track() per call', 'µs', 2], ['cpuMs', 'CPU to the end of close()', 'ms', 0], ['rssMb', 'peak RSS', 'MB', 0], ['drainedMs', 'first call to the end of close()', 'ms', 0]]) {
      const ratios = rounds.map((r) => r.now[key] / r.then[key]);
      console.log(`- ${label}: ${median(rounds.map((r) => r.now[key])).toFixed(digits)} ${unit} against ${median(rounds.map((r) => r.then[key])).toFixed(digits)} ${unit}; ` +
        `${median(ratios).toFixed(2)}x (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}), this build lower in ${ratios.filter((x) => x < 1).length} of ${ROUNDS} rounds`);
    }
    if (TRACE_GC) {
      for (const id of ['now', 'then']) {
        console.log(`- ${id === 'now' ? 'this build' : REV}: ${median(rounds.map((r) => r[id].scavenges))} scavenges, ${median(rounds.map((r) => r[id].scavengeMs)).toFixed(0)} ms of scavenge pauses (medians)`);
      }
    }
  }
} finally {
  await sink?.stop();
  execFileSync('git', ['worktree', 'remove', '--force', worktree], { cwd: ROOT_DIR, stdio: 'ignore' });
  rmSync(worktree, { recursive: true, force: true });
}
