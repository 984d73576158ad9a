#!/usr/bin/env node
/**
 * Where an app's CPU went, from the profiles `node bench/host.mjs --profile DIR` writes:
 *
 *   node bench/profile-summary.mjs DIR [filter]
 *
 * For each .cpuprofile (whose name contains `filter`, if given): self time grouped by where the
 * code lives (undici, node:http, letterapp, the app, GC, …) and the top functions by self time;
 * and, from the matching .gc.log, the number of scavenges and mark-sweeps and their total pause.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, filter = ''] = process.argv.slice(2);
if (!dir) throw new Error('usage: node bench/profile-summary.mjs DIR [filter]');

function bucket(node) {
  const { url, functionName } = node.callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') return functionName;
  if (url.includes('undici')) return 'undici (fetch)';
  if (url.includes('/dist/node-http')) return 'letterapp/node-http';
  if (url.includes('/dist/')) return 'letterapp';
  if (url.includes('bench/sdks.mjs')) return 'floor (sdks.mjs)';
  if (url.includes('node_modules/express') || url.includes('node_modules/router') || url.includes('node_modules/')) return 'app dependencies (express, peers)';
  if (url.includes('bench/')) return 'app';
  if (/node:internal\/(streams|webstreams)/.test(url)) return 'node streams';
  if (/_http_|node:http|node:https|node:internal\/http/.test(url)) return 'node:http';
  if (/node:net|node:internal\/(net|stream_base|tcp)/.test(url)) return 'node:net';
  if (/timers/.test(url)) return 'timers';
  if (/abort_controller|event_target|node:events|internal\/events/.test(url)) return 'AbortController / events';
  if (url === '') return functionName.startsWith('(') ? functionName : 'native / builtins';
  return 'other node internals';
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && f.includes(filter)).sort()) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const buckets = new Map();
  const functions = new Map();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    const b = bucket(node);
    if (b === '(idle)') continue;
    busy += us;
    buckets.set(b, (buckets.get(b) ?? 0) + us);
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*\//, '')}:${node.callFrame.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  console.log(`\n${file}: ${(busy / 1000).toFixed(0)} ms busy`);
  for (const [b, us] of [...buckets].sort((a, c) => c[1] - a[1])) console.log(`  ${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${b}`);
  console.log('  top functions (self):');
  for (const [fn, us] of [...functions].sort((a, c) => c[1] - a[1]).slice(0, 15)) console.log(`  ${(us / 1000).toFixed(0).padStart(6)} ms  ${fn}`);
  const gcLog = join(dir, file.replace(/\.cpuprofile$/, '.gc.log'));
  if (existsSync(gcLog)) {
    const lines = readFileSync(gcLog, 'utf8').split('\n');
    const pauses = { Scavenge: [0, 0], 'Mark-Compact': [0, 0], 'Mark-sweep': [0, 0] };
    for (const line of lines) {
      const m = /(Scavenge|Mark-Compact|Mark-sweep)[^,]*?,? ([\d.]+) \/ [\d.]+ ms/.exec(line);
      if (m) {
        pauses[m[1]][0] += 1;
        pauses[m[1]][1] += Number(m[2]);
      }
    }
    console.log(`  GC (--trace-gc, whole run): ${Object.entries(pauses).filter(([, v]) => v[0]).map(([k, v]) => `${k} ×${v[0]} = ${v[1].toFixed(0)} ms`).join(', ')}`);
  }
}
