import { describe, expect, it } from 'vitest';
// @ts-expect-error: the bench is plain JavaScript, without type declarations.
import { pairStats } from '../../bench/host-pairs.mjs';

const line = (round: number, app: string, rate: number, variant: string, us: number, mb = 95, p99 = 13) =>
  `  round ${round} ${app} ${rate}/s ${variant}: ${us} µs CPU/request, ${mb} MB, loop p99 ${p99.toFixed(1)} ms, latency p99 10 ms, 9000/9000 delivered`;

describe('bench:host rounds pooled across runs', () => {
  it('pairs letterapp with the floor of the same round of the same run', () => {
    const one = [line(1, 'http', 1000, 'none', 60, 60), line(1, 'http', 1000, 'letterapp', 110, 95), line(1, 'http', 1000, 'floor', 100, 90)].join('\n');
    // Round 1 of a second run: same round number, a different run, paired on its own.
    const two = [line(1, 'http', 1000, 'none', 80, 60), line(1, 'http', 1000, 'letterapp', 120, 95), line(1, 'http', 1000, 'floor', 130, 90)].join('\n');
    const [stats] = pairStats([{ name: 'a', text: one }, { name: 'b', text: two }]);
    // The event-loop p99 is letterapp's against the floor's own (13.0 ms in both here), not what each adds.
    expect(stats.loop).toMatchObject({ diff: 0, floorMean: 13, sd: 0, se: 0 });
    expect(stats).toMatchObject({ app: 'http', rate: 1000, rounds: 2, cpu: { diff: 0, floorMean: 45, ratio: 1 }, rss: { diff: 5, floorMean: 30, sd: 0, se: 0 } });
    expect(stats.rss.ratio).toBeCloseTo(35 / 30, 9);
    // CPU differences +10 and −10: sd 14.14, standard error 10.
    expect(stats.cpu.se).toBeCloseTo(10, 6);
  });

  it('pairs the event-loop p99s of the same round', () => {
    const text = [
      line(1, 'http', 3000, 'none', 50, 60, 12), line(1, 'http', 3000, 'letterapp', 100, 95, 14.5), line(1, 'http', 3000, 'floor', 100, 95, 14),
      line(2, 'http', 3000, 'none', 50, 60, 12), line(2, 'http', 3000, 'letterapp', 100, 95, 15), line(2, 'http', 3000, 'floor', 100, 95, 16),
    ].join('\n');
    const [stats] = pairStats([{ name: 'a', text }]);
    // Differences +0.5 and −1.0 ms: mean −0.25, sd 1.06, standard error 0.75; the floor's mean 15 ms.
    expect(stats.loop.diff).toBeCloseTo(-0.25, 9);
    expect(stats.loop.se).toBeCloseTo(0.75, 9);
    expect(stats.loop.floorMean).toBe(15);
  });

  it('leaves out rounds missing a variant, and groups with fewer than two rounds', () => {
    const text = [line(1, 'express', 3000, 'none', 100), line(1, 'express', 3000, 'letterapp', 150), line(2, 'express', 3000, 'letterapp', 150)].join('\n');
    expect(pairStats([{ name: 'a', text }])).toEqual([]);
  });
});
