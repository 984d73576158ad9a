/**
 * `npm run simulate`: a fleet of clients against one modelled API, under virtual time, with the
 * old (0.1) and the new retry policy side by side. Writes RESULTS.md and fleet.svg to `--out`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderChart } from './chart.js';
import { runFleet, steadyRequestsPerS, type FleetRun, type Policy, type Scenario } from './fleet.js';
import { renderResults } from './results.js';
import { summarize } from './summary.js';

const USAGE = `Usage: npm run simulate -- [flags]

  --clients N      clients in the fleet (default 10000)
  --rate R         events per second per client, Poisson (default 1)
  --outage S       outage length in seconds: refused connections, then 503s (default 60)
  --capacity C     API capacity: requests/s, or a multiple of the steady rate like 2x (default 2x)
  --seconds S      virtual seconds to run (default 150)
  --policy P       new, old or both (default both)
  --out DIR        where RESULTS.md and fleet.svg go (default sim/)
  --seed N         random seed (default 1)`;

function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '10000' },
      rate: { type: 'string', default: '1' },
      outage: { type: 'string', default: '60' },
      capacity: { type: 'string', default: '2x' },
      seconds: { type: 'string', default: '150' },
      policy: { type: 'string', default: 'both' },
      out: { type: 'string', default: 'sim' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
      // Internal: run one policy and print its FleetRun as JSON, for the parent to chart.
      child: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return Promise.resolve();
  }
  const clients = integer('clients', values.clients, 1);
  const ratePerS = positive('rate', values.rate);
  const outageS = positive('outage', values.outage);
  const seconds = integer('seconds', values.seconds, 1);
  const steadyPerS = steadyRequestsPerS(clients, ratePerS);
  const capacityPerS = values.capacity.endsWith('x') ? positive('capacity', values.capacity.slice(0, -1)) * steadyPerS : positive('capacity', values.capacity);
  if (!['new', 'old', 'both'].includes(values.policy)) fail(`Expected \`--policy\` to be new, old or both, got \`${values.policy}\``);
  const policies: Policy[] = values.policy === 'both' ? ['old', 'new'] : [values.policy as Policy];
  const outageStartS = 20;
  if (seconds <= outageStartS + outageS) fail(`Expected \`--seconds\` to be more than ${outageStartS + outageS} (the outage ends at ${outageStartS} + ${outageS} s), got \`${seconds}\``);
  const base: Omit<Scenario, 'policy'> = {
    clients,
    ratePerS,
    seconds,
    startSpreadS: 5,
    outageStartS,
    outageS,
    capacityPerS,
    overloadStatus: 429,
    retryAfterS: 1,
    latencyMedianMs: 40,
    seed: integer('seed', values.seed, 0),
  };
  if (values.child) return runFleet({ ...base, policy: policies[0]! }).then((run) => writeOut(JSON.stringify(run)));
  return runAll(base, policies, values.out);
}

/**
 * Runs each policy and writes the results. The runs are independent, so with both policies each
 * goes to a child process of its own: on two cores they take the time of one.
 */
async function runAll(base: Omit<Scenario, 'policy'>, policies: Policy[], outDir: string): Promise<void> {
  const startedAt = performance.now();
  process.stderr.write(`${policies.join(' and ')} policy: ${base.clients} clients, ${base.seconds} virtual seconds...\n`);
  const runs = policies.length === 1 ? [await runFleet({ ...base, policy: policies[0]! })] : await Promise.all(policies.map(runInChild));
  for (const run of runs) {
    const summary = summarize(run);
    process.stderr.write(`${run.scenario.policy}: ${(run.wallMs / 1000).toFixed(1)} s (CPU ${(run.cpuMs / 1000).toFixed(1)} s), peak RSS ${Math.round(run.peakRssBytes / 2 ** 20)} MiB; `);
    process.stderr.write(`lost ${summary.lost} of ${summary.accepted}; recovery peak ${summary.recoveryPeakRatio.toFixed(2)}x steady; ${summary.drainS === undefined ? 'not drained within the run' : `drained ${summary.drainS} s after recovery`}\n`);
  }
  process.stderr.write(`all done in ${((performance.now() - startedAt) / 1000).toFixed(1)} s\n`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'RESULTS.md'), renderResults(runs, process.argv.slice(2), performance.now() - startedAt));
  writeFileSync(join(outDir, 'fleet.svg'), renderChart(runs));
  process.stderr.write(`wrote ${join(outDir, 'RESULTS.md')} and ${join(outDir, 'fleet.svg')}\n`);
}

/** This script again, for one policy, with the same flags. */
function runInChild(policy: Policy): Promise<FleetRun> {
  const args = [process.argv[1]!, ...process.argv.slice(2), '--policy', policy, '--child'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`The ${policy} policy's run failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as FleetRun);
    });
  });
}

/** Writes to stdout and resolves once it is flushed, so that process.exit() does not cut a pipe short. */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}

function integer(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) fail(`Expected \`--${name}\` to be an integer >= ${min}, got \`${text}\``);
  return value;
}

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) fail(`Expected \`--${name}\` to be a number > 0, got \`${text}\``);
  return value;
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

main().then(
  // Exit at once: the fake clock is gone, and nothing of the run should linger.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
