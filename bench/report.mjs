/**
 * The report half of the benchmark: verdicts against issue 4's targets, and RESULTS.md.
 * Pure functions of the results object that run.mjs measures.
 */
import { SDKS } from './sdks.mjs';
import { median } from './stats.mjs';

/** Targets from issue 4. */
export const TARGETS = {
  trackVsFastestPeer: 4,
  e2eVsFastestFullPeer: 3,
  vsBaseline: 1.1,
  importMs: 5,
  entryBytes: 5 * 1024,
};

export function verdicts(results) {
  const { summary: s, config } = results;
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

export function renderMarkdown(res) {
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
  anything before it ends, and a bounded queue could overflow (letterapp 0.1 held 10,000 messages; 0.2's 64 MiB budget holds such a loop).
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
- **Import time** is the wall time of \`node -e "require(X)"\` (CJS) and
  \`node --input-type=module -e "import X"\` (ESM) minus that of \`node -e 0\` (respectively
  \`node --input-type=module -e 0\`, since an ESM entry costs the module loader's start-up even when it imports
  nothing) run beside it, a second or so apart: the median of ${res.config.importRuns} such differences, interleaved
  (bare node, median: ${res.imports.bareMs.toFixed(1)} ms CJS, ${res.imports.bareEsmMs.toFixed(1)} ms ESM). letterapp is loaded from this repository's build (\`dist/\`).
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
nothing, run in the same block of commands a second or so apart ("process − bare"), and in-process: the same runs timing their own \`require\`/\`import()\` with
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
