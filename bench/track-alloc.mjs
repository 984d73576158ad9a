#!/usr/bin/env node
/**
 * What one `track()` of the bench's event allocates on the JS heap: the growth of
 * `v8.getHeapStatistics().used_heap_size` over 10,000 calls, in a process whose young generation
 * is too large to be collected meanwhile (256 MB semi-spaces), so nothing allocated is freed
 * before it is counted. Nothing is sent: the queue holds every message.
 *
 *   node bench/track-alloc.mjs [--runs 3] [DIST …]
 *
 * DIST is a build's `dist/` directory (default: this checkout's); several are measured in turn,
 * one fresh process per run. An older build (0.1) is measured from its own checkout's dist, built
 * there, e.g. `git worktree add /tmp/v01 4eb6e77 && (cd /tmp/v01 && npm install && npm run build)`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { makeEvent } from './event.mjs';
import { ensureBuilt } from './setup.mjs';

const CALLS = 10_000;
const WARM_CALLS = 2_000;

async function child(dist) {
  const { Letter } = await import(pathToFileURL(`${dist}/index.js`).href);
  const base = { apiKey: 'lt_test_bench', baseUrl: 'http://127.0.0.1:9', flushAt: 1e9, flushInterval: 1e9, onError() {} };
  let letter;
  try {
    letter = new Letter({ ...base, maxQueueBytes: 1e9 });
  } catch {
    // 0.1 bounded its queue by count (maxQueueSize), not bytes.
    letter = new Letter({ ...base, maxQueueSize: 1e6 });
  }
  const events = Array.from({ length: WARM_CALLS + CALLS }, (_, index) => makeEvent(index));
  for (let index = 0; index < WARM_CALLS; index += 1) letter.track(events[index]);
  const before = v8.getHeapStatistics().used_heap_size;
  for (let index = WARM_CALLS; index < WARM_CALLS + CALLS; index += 1) letter.track(events[index]);
  const after = v8.getHeapStatistics().used_heap_size;
  console.log(Math.round((after - before) / CALLS));
  process.exit(0);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]);
} else {
  const args = process.argv.slice(2);
  let runs = 3;
  const dists = [];
  for (let index = 0; index < args.length; index += 1) {
    if (args[index] === '--runs') runs = Number(args[++index]);
    else dists.push(args[index].replace(/\/$/, ''));
  }
  if (dists.length === 0) {
    ensureBuilt(['index.js']);
    dists.push(fileURLToPath(new URL('../dist', import.meta.url)));
  }
  const script = fileURLToPath(import.meta.url);
  const flags = ['--min-semi-space-size=256', '--max-semi-space-size=256'];
  for (const dist of dists) {
    const bytes = Array.from({ length: runs }, () => Number(execFileSync(process.execPath, [...flags, script, '--child', dist], { encoding: 'utf8' })));
    console.log(`${dist}: ${Math.min(...bytes)}–${Math.max(...bytes)} bytes of JS heap per track() (${runs} runs: ${bytes.join(', ')})`);
  }
}
