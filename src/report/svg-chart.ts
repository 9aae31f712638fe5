import { shortNumber, type ChartData } from './chart-data.js';

/** Escapes text for HTML and SVG (element content and quoted attributes). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const W = 640;
const H = 280;
const M = { top: 28, right: 16, bottom: 56, left: 64 };

/** Round tick values (1, 2 or 5 × 10^k apart) inside [min, max]. */
export function niceTicks(min: number, max: number, target = 5): number[] {
  const raw = (max - min) / Math.max(1, target - 1);
  if (!(raw > 0) || !Number.isFinite(raw)) return [min];
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9 && out.length < 20; t += step)
    out.push(shortNumber(t));
  return out;
}

/**
 * One metric's gate chart as a standalone inline SVG (no script, no external reference):
 * a line and a dot per look for canary and baseline, dashed bounds, axes and a legend.
 * Points carry data-series / data-value so a test (or a reader's devtools) can check them.
 */
export function svgChart(data: ChartData): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const n = data.labels.length;
  const x = (i: number) => M.left + (n === 1 ? pw / 2 : (pw * i) / (n - 1));
  const y = (v: number) => M.top + ph - ((v - data.min) / (data.max - data.min || 1)) * ph;
  const f = (v: number) => v.toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="gate-chart" data-metric="${escapeHtml(data.name)}" viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W * 1.4}px" role="img" aria-label="${escapeHtml(`${data.name}: canary against baseline over the gate's looks`)}">`,
    `<title>${escapeHtml(`${data.name}: canary against baseline`)}</title>`,
    `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="#fafafa" stroke="#ddd"/>`,
  ];
  for (const t of niceTicks(data.min, data.max)) {
    out.push(
      `<line x1="${M.left}" x2="${M.left + pw}" y1="${f(y(t))}" y2="${f(y(t))}" stroke="#e5e5e5"/>`,
      `<text x="${M.left - 6}" y="${f(y(t) + 4)}" text-anchor="end" font-size="11" fill="#555">${shortNumber(t)}</text>`,
    );
  }
  const every = Math.max(1, Math.ceil(n / 8));
  data.labels.forEach((label, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    out.push(
      `<text x="${f(x(i))}" y="${M.top + ph + 16}" text-anchor="middle" font-size="11" fill="#555">${escapeHtml(label)}</text>`,
    );
  });
  out.push(
    `<text x="${M.left + pw / 2}" y="${H - 24}" text-anchor="middle" font-size="11" fill="#555">time in gate</text>`,
  );
  for (const s of data.series) {
    const bound = s.key === 'lower' || s.key === 'upper';
    const pts = s.values.map((v, i) => `${f(x(i))},${f(y(v))}`).join(' ');
    out.push(
      `<polyline class="series series-${s.key}" data-series="${s.key}" fill="none" stroke="${s.color}" stroke-width="${bound ? 1.5 : 2}"${bound ? ' stroke-dasharray="6 4"' : ''} points="${pts}"/>`,
    );
    if (!bound) {
      s.values.forEach((v, i) => {
        out.push(
          `<circle class="point point-${s.key}" data-series="${s.key}" data-value="${v}" cx="${f(x(i))}" cy="${f(y(v))}" r="3" fill="${s.color}"><title>${escapeHtml(`${s.label} at ${data.labels[i] ?? ''}: ${v}`)}</title></circle>`,
        );
      });
    }
  }
  let lx = M.left;
  const seen = new Set<string>();
  for (const s of data.series) {
    const label = s.key === 'lower' || s.key === 'upper' ? 'bounds' : s.label;
    if (seen.has(label)) continue;
    seen.add(label);
    out.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${H - 8}" y2="${H - 8}" stroke="${s.color}" stroke-width="2"${label === 'bounds' ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${lx + 22}" y="${H - 4}" font-size="11" fill="#333">${escapeHtml(label)}</text>`,
    );
    lx += 30 + label.length * 7;
  }
  out.push(
    `<text x="${M.left}" y="${M.top - 10}" font-size="13" font-weight="600" fill="#222">${escapeHtml(data.name)}</text>`,
    '</svg>',
  );
  return out.join('\n');
}
