import { describe, expect, it } from 'vitest';
// @ts-expect-error: the bench is plain JavaScript, without type declarations.
import { pairStats } from '../../bench/host-pairs.mjs';

const line = (round: number, app: string, rate: number, variant: string, us: number, mb = 95) =>
  `  round ${round} ${app} ${rate}/s ${variant}: ${us} µs CPU/request, ${mb} MB, loop p99 13.0 ms, latency p99 10 ms, 9000/9000 delivered`;

describe('bench:host rounds pooled across runs', () => {
  it('pairs letterapp with the floor of the same round of the same run', () => {
    const one = [line(1, 'http', 1000, 'none', 60, 60), line(1, 'http', 1000, 'letterapp', 110, 95), line(1, 'http', 1000, 'floor', 100, 90)].join('\n');
    // Round 1 of a second run: same round number, a different run, paired on its own.
    const two = [line(1, 'http', 1000, 'none', 80, 60), line(1, 'http', 1000, 'letterapp', 120, 95), line(1, 'http', 1000, 'floor', 130, 90)].join('\n');
    const [stats] = pairStats([{ name: 'a', text: one }, { name: 'b', text: two }]);
    expect(stats).toMatchObject({ app: 'http', rate: 1000, rounds: 2, cpu: { diff: 0, floorAdded: 45, ratio: 1 }, rss: { diff: 5, floorAdded: 30, sd: 0, se: 0 } });
    expect(stats.rss.ratio).toBeCloseTo(35 / 30, 9);
    // CPU differences +10 and −10: sd 14.14, standard error 10.
    expect(stats.cpu.se).toBeCloseTo(10, 6);
  });

  it('leaves out rounds missing a variant, and groups with fewer than two rounds', () => {
    const text = [line(1, 'express', 3000, 'none', 100), line(1, 'express', 3000, 'letterapp', 150), line(2, 'express', 3000, 'letterapp', 150)].join('\n');
    expect(pairStats([{ name: 'a', text }])).toEqual([]);
  });
});
