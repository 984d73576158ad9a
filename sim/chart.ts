import type { FleetRun } from './fleet.js';

const WIDTH = 800;
const HEIGHT = 360;
const MARGIN = { left: 70, right: 20, top: 30, bottom: 50 };
const COLOURS: Record<string, string> = { old: '#d95f02', new: '#1b66c9' };

/**
 * An SVG line chart of requests per second at the API over time, one line per run, with the
 * outage shaded and the API's capacity dashed. Hand-written SVG: no dependency for one chart.
 */
export function renderChart(runs: readonly FleetRun[]): string {
  const scenario = runs[0]!.scenario;
  const seconds = scenario.seconds;
  let maxRate = scenario.capacityPerS;
  for (const run of runs) for (const rate of run.series.attempts.slice(0, seconds)) maxRate = Math.max(maxRate, rate);
  const yMax = niceCeiling(maxRate * 1.05);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (second: number): number => MARGIN.left + (second / seconds) * plotWidth;
  const y = (rate: number): number => MARGIN.top + plotHeight - (rate / yMax) * plotHeight;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`);
  const outageFrom = x(scenario.outageStartS);
  const outageTo = x(scenario.outageStartS + scenario.outageS);
  parts.push(`<rect x="${fixed(outageFrom)}" y="${MARGIN.top}" width="${fixed(outageTo - outageFrom)}" height="${plotHeight}" fill="#eee"/>`);
  parts.push(`<text x="${fixed((outageFrom + outageTo) / 2)}" y="${MARGIN.top + 16}" text-anchor="middle" fill="#666">outage (refused, then 503)</text>`);
  for (let tick = 0; tick <= 5; tick += 1) {
    const rate = (yMax / 5) * tick;
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${fixed(y(rate))}" y2="${fixed(y(rate))}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${fixed(y(rate) + 4)}" text-anchor="end">${Math.round(rate).toLocaleString('en-US')}</text>`);
  }
  const step = seconds > 60 ? 30 : 5;
  for (let second = 0; second <= seconds; second += step) {
    parts.push(`<text x="${fixed(x(second))}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${second}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 10}" text-anchor="middle">virtual seconds</text>`);
  parts.push(`<text transform="rotate(-90)" x="${-(MARGIN.top + plotHeight / 2)}" y="16" text-anchor="middle">requests/s at the API</text>`);
  const capacityY = fixed(y(scenario.capacityPerS));
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${capacityY}" y2="${capacityY}" stroke="#333" stroke-dasharray="6 4"/>`);
  parts.push(`<text x="${WIDTH - MARGIN.right - 4}" y="${fixed(y(scenario.capacityPerS) - 5)}" text-anchor="end" fill="#333">API capacity</text>`);
  for (const run of runs) {
    const points = run.series.attempts.slice(0, seconds).map((rate, second) => `${fixed(x(second + 0.5))},${fixed(y(rate))}`);
    parts.push(`<polyline fill="none" stroke="${COLOURS[run.scenario.policy]}" stroke-width="2" points="${points.join(' ')}"/>`);
  }
  runs.forEach((run, index) => {
    const legendY = MARGIN.top - 12;
    const legendX = MARGIN.left + index * 220;
    const label = run.scenario.policy === 'old' ? 'old policy (0.1 replay)' : 'new policy (this SDK)';
    parts.push(`<line x1="${legendX}" x2="${legendX + 24}" y1="${legendY}" y2="${legendY}" stroke="${COLOURS[run.scenario.policy]}" stroke-width="3"/>`);
    parts.push(`<text x="${legendX + 30}" y="${legendY + 4}">${label}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function fixed(value: number): string {
  return value.toFixed(1);
}

/** 1, 2 or 5 times a power of ten, at least `value`: round numbers on the axis. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= value) return factor * power;
  return 10 * power;
}
