import { availableParallelism, cpus } from 'node:os';
import type { FleetRun } from './fleet.js';
import { summarize, type RunSummary } from './summary.js';

/** Targets for the new policy, from issue 10. */
export const TARGETS = {
  /** Messages lost (dropped or given up). */
  lost: 0,
  /** Highest request rate after recovery, over the steady rate. */
  recoveryPeakRatio: 2,
  /** Seconds after recovery above the API's capacity: "not more than a few". */
  secondsOverCapacity: 3,
  /** Seconds from recovery until the backlog is drained. */
  drainS: 60,
} as const;

/** RESULTS.md: the scenario, a table of old against new, and what the run cost. */
export function renderResults(runs: readonly FleetRun[], argv: readonly string[], totalWallMs: number): string {
  const scenario = runs[0]!.scenario;
  const summaries = runs.map((run) => ({ run, summary: summarize(run) }));
  const rows: [string, (summary: RunSummary, run: FleetRun) => string, string][] = [
    ['steady-state request rate (req/s)', (s) => count(s.steadyRequestsPerS), ''],
    ['attempts during the outage, × steady', (s) => s.outageLoadRatio.toFixed(2), ''],
    ['messages tracked', (s) => count(s.accepted), ''],
    ['messages delivered (stored by the API)', (s) => count(s.delivered), ''],
    ['messages lost: dropped + given up', (s) => `${count(s.lost)} (${count(s.dropped)} + ${count(s.givenUp)})`, `${TARGETS.lost}`],
    ['messages still held when the run ended', (s) => count(s.heldAtEnd), ''],
    ['peak request rate after recovery, × steady', (s) => `${s.recoveryPeakRatio.toFixed(2)} (${count(s.recoveryPeakPerS)} req/s)`, `≤ ${TARGETS.recoveryPeakRatio}`],
    ['seconds above capacity after recovery', (s) => `${s.secondsOverCapacity}`, `≤ ${TARGETS.secondsOverCapacity}`],
    ['requests refused as over capacity after recovery', (s) => count(s.overloadedAfterRecovery), ''],
    ['backlog drained, seconds after recovery', (s) => (s.drainS === undefined ? 'not within the run' : `${s.drainS}`), `≤ ${TARGETS.drainS}`],
    ['CPU time / wall time of the run (s)', (_s, run) => `${(run.cpuMs / 1000).toFixed(0)} / ${(run.wallMs / 1000).toFixed(0)}`, ''],
    ['peak RSS (MiB) / peak heap and array buffers (MiB)', (_s, run) => `${Math.round(run.peakRssBytes / 2 ** 20)} / ${Math.round(run.peakHeapBytes / 2 ** 20)}`, ''],
  ];
  const header = `| | ${summaries.map(({ run }) => (run.scenario.policy === 'old' ? 'old policy (0.1 replay)' : 'new policy')).join(' | ')} | target (new) |`;
  const divider = `| --- | ${summaries.map(() => '---:').join(' | ')} | ---: |`;
  const body = rows.map(([label, cell, target]) => `| ${label} | ${summaries.map(({ run, summary }) => cell(summary, run)).join(' | ')} | ${target} |`);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  // Where the files go does not change what they say.
  const shown = argv.filter((arg, index) => arg !== '--out' && argv[index - 1] !== '--out' && !arg.startsWith('--out='));
  return `# Fleet simulation results

Written by \`npm run simulate${shown.length > 0 ? ` -- ${shown.join(' ')}` : ''}\` (see \`sim/README.md\`); do not edit by hand.

Scenario: ${count(scenario.clients)} clients, each tracking ${scenario.ratePerS} event/s (Poisson, starting within the
first ${scenario.startSpreadS} s); API capacity ${count(scenario.capacityPerS)} requests/s (excess answered ${scenario.overloadStatus}
with \`Retry-After: ${scenario.retryAfterS}\`), median latency ${scenario.latencyMedianMs} ms (log-normal); outage from ${scenario.outageStartS} s
to ${scenario.outageStartS + scenario.outageS} s (connections refused for the first half, 503s for the second);
${scenario.seconds} virtual seconds; seed ${scenario.seed}.

![Request rate at the API over time](fleet.svg)

${header}
${divider}
${body.join('\n')}

Run on ${availableParallelism()} × ${cpu}, Node ${process.version}; ${runs.length > 1 ? 'each policy in a process of its own, side by side' : 'one process'},
${(totalWallMs / 1000).toFixed(0)} s in all. CPU time is the steadier measure: wall time depends on what else the machine runs.
`;
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
