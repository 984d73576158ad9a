#!/usr/bin/env node
/**
 * Pools letterapp against the floor over the rounds of several `npm run bench:host` runs, from
 * what each run printed on stderr (its "round N app rate/s variant: X µs CPU/request, Y MB" lines):
 *
 *   node bench/host.mjs --apps http --variants none,letterapp,floor --no-write 2> run1.log
 *   node bench/host-pairs.mjs run1.log run2.log …
 *
 * One run's medians cannot resolve 10% on a 2-core machine: a run's CPU drifts by tens of percent
 * from one round to the next. Within a round, letterapp and the floor ran a minute apart at most,
 * so their difference is paired; pooled over many rounds, its mean has a standard error that says
 * how far the difference is resolved. The same is done for peak RSS, and for the event-loop p99
 * (letterapp's against the floor's, since that target is "no worse", not a ratio of what each adds).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const ROUND_LINE = /round (\d+) (\w+) (\d+)\/s ([\w-]+): ([\d.]+) µs CPU\/request, (\d+) MB, loop p99 ([\d.]+) ms/;
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Mean, standard deviation and standard error of letterapp − floor, and `floorMean`, the mean of
 * the floor's own figure that the ratio is taken against: what it adds (CPU, RSS), or for the event
 * loop its p99 itself.
 */
function paired(pairs) {
  const diffs = pairs.map((p) => p.diff);
  const diff = mean(diffs);
  const sd = Math.sqrt(diffs.reduce((a, d) => a + (d - diff) ** 2, 0) / (diffs.length - 1));
  const se = sd / Math.sqrt(diffs.length);
  const floorMean = mean(pairs.map((p) => p.floor));
  return { diff, sd, se, floorMean, ratio: (floorMean + diff) / floorMean, ratioSe: se / floorMean };
}

/**
 * Per app and rate, over every round (of any log) where none, letterapp and floor all ran:
 * letterapp − floor in CPU per request (µs) and in peak RSS (MB), each as `paired()` gives it.
 * `logs` is a list of `{ name, text }`, each the stderr of one bench:host run.
 */
export function pairStats(logs) {
  /** CPU per request (µs) and peak RSS (MB) by log, round, app, rate and variant. */
  const figures = new Map();
  /** Per app and rate, the rounds (log and round number) that printed anything. */
  const roundsByGroup = new Map();
  for (const { name, text } of logs) {
    for (const line of text.split('\n')) {
      const m = ROUND_LINE.exec(line);
      if (!m) continue;
      const [, round, app, rate, variant, us, mb, p99] = m;
      figures.set(`${name}|${round}|${app}|${rate}|${variant}`, { us: Number(us), mb: Number(mb), p99: Number(p99) });
      const group = `${app}|${rate}`;
      if (!roundsByGroup.has(group)) roundsByGroup.set(group, new Set());
      roundsByGroup.get(group).add(`${name}|${round}`);
    }
  }
  const out = [];
  for (const [group, keys] of [...roundsByGroup].sort()) {
    const [app, rate] = group.split('|');
    const rounds = [];
    for (const key of keys) {
      const get = (variant) => figures.get(`${key}|${app}|${rate}|${variant}`);
      const [mine, floor, none] = [get('letterapp'), get('floor'), get('none')];
      if (mine && floor && none) rounds.push({ mine, floor, none });
    }
    if (rounds.length < 2) continue;
    const of = (unit) => rounds.map(({ mine, floor, none }) => ({ diff: mine[unit] - floor[unit], floor: floor[unit] - none[unit] }));
    // The event-loop target compares the delays themselves, not what each adds: "no worse".
    const loop = paired(rounds.map(({ mine, floor }) => ({ diff: mine.p99 - floor.p99, floor: floor.p99 })));
    out.push({ app, rate: Number(rate), rounds: rounds.length, cpu: paired(of('us')), rss: paired(of('mb')), loop });
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('usage: node bench/host-pairs.mjs LOG [LOG …] (the stderr of bench:host runs)');
  const signed = (x, digits) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;
  const say = (s, unit, digits) =>
    `letterapp − floor ${signed(s.diff, digits)} ± ${s.se.toFixed(digits)} ${unit} (standard error; rounds' sd ${s.sd.toFixed(digits)}), the floor adds ${s.floorMean.toFixed(digits)} ${unit}: ×${s.ratio.toFixed(2)} ± ${s.ratioSe.toFixed(2)}`;
  for (const x of pairStats(files.map((name) => ({ name, text: readFileSync(name, 'utf8') })))) {
    const loop = `letterapp − floor ${signed(x.loop.diff, 2)} ± ${x.loop.se.toFixed(2)} ms (standard error; rounds' sd ${x.loop.sd.toFixed(2)}), the floor's is ${x.loop.floorMean.toFixed(2)} ms`;
    console.log(`${x.app} ${x.rate}/s, ${x.rounds} rounds:\n  added CPU per event: ${say(x.cpu, 'µs', 1)}\n  added peak RSS: ${say(x.rss, 'MB', 1)}\n  event-loop p99: ${loop}`);
  }
}
