// `letterapp import` throughput and memory: node bench/import.mjs [lines] [runs]
//
// Writes an NDJSON file of typical track events (call and wire shape mixed; default 1,000,000
// lines) to the system temp directory, starts the contract test server from letterapp/testing in
// this process (it forgets what it stored after each request, so its own memory stays flat), runs
// the built bin (`npm run build` first) against it `runs` times (default 3), and prints each
// run's wall time, lines per second and the importer's peak RSS (VmHWM, read from /proc while it
// runs: Linux only). Every run must deliver every line, or the script fails. IMPORT_NODE_OPTIONS
// is passed to the importer as NODE_OPTIONS, e.g. IMPORT_NODE_OPTIONS=--max-semi-space-size=4.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../dist/testing.js';

const lines = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const file = join(tmpdir(), `letterapp-import-bench-${lines}.ndjson`);

if (!existsSync(file)) {
  const out = createWriteStream(file);
  for (let index = 0; index < lines; index += 1) {
    const user = `user_${index % 5000}`;
    const properties = { plan: index % 3 ? 'pro' : 'free', workspace_id: `ws_${index % 700}`, seats: index % 50, source: 'import-bench' };
    const line = index % 2
      ? { type: 'track', userId: user, event: 'Workspace Created', properties, timestamp: '2026-11-22T10:15:30.123Z' }
      : { type: 'track', user_id: user, event: 'Document Opened', properties, timestamp: '2026-11-22T10:15:30.123Z' };
    if (!out.write(`${JSON.stringify(line)}\n`)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve) => out.end(resolve));
}

let received = 0;
const baseline = [];
for (let run = 1; run <= runs; run += 1) {
  // A server per run: the ids are derived from the file, so a shared server would only count
  // duplicates from the second run on. Stored messages are dropped as they arrive.
  const runServer = await startTestServer({
    onRequest: (request, body) => {
      received += typeof body?.received === 'number' ? body.received : 0;
      runServer.messages.splice(0);
      runServer.requests.splice(0);
    },
  });
  received = 0;
  const startedAt = performance.now();
  const child = spawn(process.execPath, [cli, 'import', file, '--progress-interval', '60'], {
    env: { PATH: process.env.PATH, NODE_OPTIONS: process.env.IMPORT_NODE_OPTIONS ?? '', LETTER_API_KEY: 'lt_test_bench', LETTER_BASE_URL: runServer.url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      peakKb = Math.max(peakKb, kb);
    } catch {
      // exited between two polls
    }
  }, 50);
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(poll);
  const seconds = (performance.now() - startedAt) / 1000;
  await runServer.close();
  if (code !== 0 || received !== lines) throw new Error(`run ${run}: exit ${code}, ${received} of ${lines} stored\n${stdout}`);
  const rate = Math.round(lines / seconds);
  baseline.push({ seconds, rate, peakMb: Math.round(peakKb / 1024) });
  console.log(`run ${run}: ${lines} lines in ${seconds.toFixed(2)} s = ${rate} lines/s, importer peak RSS ${Math.round(peakKb / 1024)} MB`);
}
const rates = baseline.map((result) => result.rate);
const peaks = baseline.map((result) => result.peakMb);
console.log(`range over ${runs} runs: ${Math.min(...rates)}-${Math.max(...rates)} lines/s, peak RSS ${Math.min(...peaks)}-${Math.max(...peaks)} MB`);
