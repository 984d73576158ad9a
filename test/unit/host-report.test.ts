import { describe, expect, it } from 'vitest';
// @ts-expect-error: the bench is plain JavaScript, without type declarations.
import { floorVerdicts, renderHostMarkdown } from '../../bench/host-report.mjs';

interface VariantFigures {
  addedCpuUs: number | null;
  addedRssMb: number | null;
  loopP99Ms: number;
}

function results(letterapp: VariantFigures, floor: VariantFigures) {
  const none = { addedCpuUs: null, addedRssMb: null, loopP99Ms: 12, cpuPerEventUs: 40, rssMb: 60, loopMaxMs: 20, latencyP50Ms: 1, latencyP99Ms: 8, achievedRate: 2990, rounds: 3, failed: 0, deliveredAll: true, deliveredShare: 1, drainedAll: true };
  const variant = (figures: VariantFigures) => ({ ...none, ...figures, addedCpuUsRange: [0, 0], addedRssMbRange: [0, 0] });
  return {
    date: '2026-11-24T00:00:00.000Z',
    durationS: 1,
    config: { seconds: 8, rounds: 3, warmupSeconds: 1, connections: 20, rates: [3000], apps: ['http'], pin: false, variants: ['none', 'letterapp', 'floor'] },
    machine: { cpu: 'cpu', cores: 2, memGb: 24, os: 'Linux', loadStart: [0.1, 0.1, 0.1], loadEnd: [0.1, 0.1, 0.1] },
    versions: { node: 'v20', letterapp: '0.1.0', commit: 'abc' },
    summary: { 'http@3000': { app: 'http', rate: 3000, variants: { none, letterapp: variant(letterapp), floor: variant(floor) } } },
    runs: [],
  };
}

describe('bench:host: letterapp against the floor', () => {
  it.each([
    // [letterapp CPU, floor CPU, letterapp RSS, floor RSS, letterapp p99, floor p99, cpu met, rss met, loop met]
    [44, 40, 50, 50, 13, 13, true, true, true],
    [44.1, 40, 55, 50, 13.1, 13, false, true, false],
    [30, 40, 55.1, 50, 12.9, 13, true, false, true],
  ])('letterapp %s µs against %s µs, %s MB against %s MB, p99 %s against %s ms', (cpu, floorCpu, rss, floorRss, p99, floorP99, cpuMet, rssMet, loopMet) => {
    const [verdict] = floorVerdicts(results({ addedCpuUs: cpu, addedRssMb: rss, loopP99Ms: p99 }, { addedCpuUs: floorCpu, addedRssMb: floorRss, loopP99Ms: floorP99 }));
    expect(verdict).toMatchObject({ cpuMet, rssMet, loopMet });
  });

  it('gives no ratio, and no pass, when the floor added nothing', () => {
    const [verdict] = floorVerdicts(results({ addedCpuUs: 5, addedRssMb: 5, loopP99Ms: 13 }, { addedCpuUs: -1, addedRssMb: 0, loopP99Ms: 13 }));
    expect(verdict).toMatchObject({ cpuRatio: null, rssRatio: null, cpuMet: false, rssMet: false });
  });

  it('states each verdict in the report', () => {
    const markdown = renderHostMarkdown(results({ addedCpuUs: 46, addedRssMb: 50, loopP99Ms: 13 }, { addedCpuUs: 40, addedRssMb: 50, loopP99Ms: 13 }));
    expect(markdown).toContain('node:http app, 3,000/s: added CPU +46.0 against +40.0 µs per event, ×1.15 (not met); added peak RSS +50 against +50 MB, ×1.00 (met); event-loop p99 13.0 against 13.0 ms (met)');
  });
});
