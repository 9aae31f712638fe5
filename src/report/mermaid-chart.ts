import { chartData, shortNumber, type ChartData } from './chart-data.js';
import { gateMetricNames, metricSeries, type GateData } from './gate-data.js';

function quote(text: string): string {
  return `"${text.replace(/["\n\r`]/g, "'")}"`;
}

/** One metric as a mermaid `xychart-beta` block (GitHub renders it in summaries and comments). */
export function mermaidChart(data: ChartData): string {
  const palette = data.series.map((s) => s.color).join(', ');
  const lines = [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    `  title ${quote(`${data.name}: canary vs baseline`)}`,
    `  x-axis ${quote('time in gate')} [${data.labels.map(quote).join(', ')}]`,
    `  y-axis ${quote(data.name)} ${shortNumber(data.min)} --> ${shortNumber(data.max)}`,
    ...data.series.map((s) => `  line [${s.values.map(shortNumber).join(', ')}]`),
    '```',
  ];
  return lines.join('\n');
}

const COLOUR_NAME: Record<string, string> = {
  '#d62728': 'red',
  '#1f77b4': 'blue',
  '#7f7f7f': 'grey',
};

/** Mermaid's xychart has no legend: say in words which line is which. */
function legend(data: ChartData): string {
  const parts = data.series.map(
    (s) =>
      `${s.key === 'lower' || s.key === 'upper' ? 'bounds' : s.label} (${COLOUR_NAME[s.color] ?? s.color})`,
  );
  const skipped = data.skipped ? `; ${data.skipped} look(s) without data not drawn` : '';
  const off = data.offChart.length ? `; off the chart: ${data.offChart.join(', ')}` : '';
  return `_${[...new Set(parts)].join(', ')}${skipped}${off}_`;
}

/** A chart per gate metric, each under a small heading, or '' when the gate has no looks. */
export function gateMermaidCharts(gate: GateData): string {
  const charts = gateMetricNames(gate)
    .map((name) => chartData(metricSeries(gate, name)))
    .filter((d): d is ChartData => d !== undefined)
    .map((d) => `**${d.name}**\n\n${legend(d)}\n\n${mermaidChart(d)}`);
  return charts.join('\n\n');
}
