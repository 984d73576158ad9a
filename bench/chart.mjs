/**
 * The results as an SVG bar chart, drawn by hand: six small panels (one per measure), one bar
 * per SDK, lower is better in every panel. No plotting dependency.
 */

const COLORS = { letterapp: '#2563eb', baseline: '#6b7280', peer: '#f59e0b' };
const SHORT = {
  letterapp: 'letterapp',
  baseline: 'baseline',
  segment: 'segment',
  posthog: 'posthog-node',
  amplitude: 'amplitude',
  rudderstack: 'rudderstack',
};

function esc(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fmt(value, unit) {
  if (value >= 100) return `${value.toFixed(0)} ${unit}`;
  if (value >= 10) return `${value.toFixed(1)} ${unit}`;
  return `${value.toFixed(2)} ${unit}`;
}

export function renderSvg(results) {
  const s = results.summary;
  const ids = Object.keys(s);
  const n = results.config.n.toLocaleString('en-US');
  const panels = [
    { title: 'track() per call', unit: 'µs', get: (v) => v.trackUs },
    { title: `${n} events end to end`, unit: 's', get: (v) => (v.e2eMs === null ? null : v.e2eMs / 1000), failed: (v) => v.e2eMs === null, note: (v) => (v.deliveredAll ? '' : ` (${Math.round((100 * v.delivered) / results.config.n)}% delivered)`) },
    { title: 'CPU time (user + system)', unit: 's', get: (v) => (v.cpuMs === null ? null : v.cpuMs / 1000), failed: (v) => v.cpuMs === null },
    { title: 'peak RSS', unit: 'MB', get: (v) => v.rssMb, failed: (v) => v.rssMb === null },
    // In-process timing of require() from an entry file: the process-minus-bare difference is
    // within the noise of Node's ~100 ms start-up for a module this small, and can even go negative.
    { title: 'import adds (require() from an entry file, timed in-process)', unit: 'ms', get: (v, id) => results.imports?.inProcess?.[`${id}:cjs-file`] ?? (id === 'baseline' ? 0 : null) },
    { title: 'main entry, minified + gzipped', unit: 'KB', get: (v) => (v.gzipBytes === null ? null : v.gzipBytes / 1024) },
  ];

  const width = 980;
  const cols = 2;
  const panelW = width / cols;
  const labelW = 96;
  const barH = 18;
  const gap = 6;
  const headerH = 30;
  const panelH = headerH + ids.length * (barH + gap) + 16;
  const top = 64;
  const height = top + Math.ceil(panels.length / cols) * panelH + 28;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">`);
  out.push('<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fee2e2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#dc2626" stroke-width="2"/></pattern></defs>');
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="16" y="26" font-size="17" font-weight="600" fill="#111827">letterapp vs peer Node analytics SDKs — lower is better</text>`);
  const m = results.machine;
  out.push(`<text x="16" y="46" fill="#4b5563">Medians of ${results.config.rounds} interleaved rounds · Node ${esc(results.versions.node)} · ${esc(m.cpu)}, ${m.cores} cores · ${results.date.slice(0, 10)} · default settings, loopback sink</text>`);

  panels.forEach((panel, index) => {
    const x0 = (index % cols) * panelW + 16;
    const y0 = top + Math.floor(index / cols) * panelH;
    const values = ids.map((id) => panel.get(s[id], id));
    const finite = values.filter((v) => v !== null && Number.isFinite(v)).sort((a, b) => b - a);
    // One outlier far beyond the rest would flatten every other bar: its bar is broken instead.
    const clip = finite.length > 2 && finite[0] > 4 * finite[1];
    const max = Math.max(clip ? finite[1] * 1.25 : finite[0] ?? 0, 1e-9);
    const barMax = panelW - labelW - 120;
    out.push(`<text x="${x0}" y="${y0 + 18}" font-size="13" font-weight="600" fill="#111827">${esc(panel.title)} (${esc(panel.unit)})</text>`);
    ids.forEach((id, row) => {
      const v = s[id];
      const y = y0 + headerH + row * (barH + gap);
      const color = id === 'letterapp' ? COLORS.letterapp : id === 'baseline' ? COLORS.baseline : COLORS.peer;
      out.push(`<text x="${x0 + labelW - 8}" y="${y + barH - 5}" text-anchor="end" fill="#374151"${id === 'letterapp' ? ' font-weight="600"' : ''}>${esc(SHORT[id] ?? id)}</text>`);
      const value = values[row];
      if (panel.failed?.(v)) {
        out.push(`<rect x="${x0 + labelW}" y="${y}" width="${barMax}" height="${barH}" fill="url(#hatch)" stroke="#dc2626" stroke-width="1"/>`);
        out.push(`<text x="${x0 + labelW + barMax + 6}" y="${y + barH - 5}" fill="#dc2626">killed</text>`);
        return;
      }
      if (value === null || value === undefined) {
        out.push(`<text x="${x0 + labelW + 4}" y="${y + barH - 5}" fill="#9ca3af">n/a</text>`);
        return;
      }
      const broken = value > max;
      const w = broken ? barMax * 0.8 : Math.max(1.5, (value / max) * barMax);
      out.push(`<rect x="${x0 + labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" rx="2" fill="${color}"/>`);
      if (broken) {
        // A white zigzag across the bar: the bar is not to scale.
        const bx = x0 + labelW + barMax * 0.55;
        out.push(`<path d="M${bx} ${y - 1} l6 ${(barH + 2) / 3} l-6 ${(barH + 2) / 3} l6 ${(barH + 2) / 3}" fill="none" stroke="#ffffff" stroke-width="3"/>`);
      }
      const label = id === 'baseline' && value === 0 ? '0 (nothing to load)' : `${fmt(value, panel.unit)}${broken ? ' (off scale)' : ''}${panel.note?.(v) ?? ''}`;
      out.push(`<text x="${(x0 + labelW + w + 6).toFixed(1)}" y="${y + barH - 5}" fill="#111827">${esc(label)}</text>`);
    });
  });
  out.push(`<text x="16" y="${height - 10}" fill="#6b7280">baseline = hand-written JSON.stringify + fetch, 500-event bodies, 4 in flight. Reproduce: npm run bench (bench/RESULTS.md has the method).</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
