import type { MetricSeries } from './gate-data.js';

/** The series a chart draws, in drawing order, with the colours both renderers use. */
export const CHART_SERIES = [
  { key: 'canary', label: 'canary', color: '#d62728' },
  { key: 'baseline', label: 'baseline', color: '#1f77b4' },
  { key: 'lower', label: 'lower bound', color: '#7f7f7f' },
  { key: 'upper', label: 'upper bound', color: '#7f7f7f' },
] as const;
export type SeriesKey = (typeof CHART_SERIES)[number]['key'];

export interface ChartData {
  name: string;
  labels: string[];
  /** Only series with a value at every kept look; bounds appear only when reported. */
  series: { key: SeriesKey; label: string; color: string; values: number[] }[];
  min: number;
  max: number;
  /** Looks left out because canary or baseline had no value there. */
  skipped: number;
  /** Bounds too far from the data to draw, in words ("upper bound 0.5"). */
  offChart: string[];
}

/** Most points a chart draws; longer gates are thinned evenly (the last look always kept). */
export const MAX_POINTS = 60;

/**
 * What to draw for one metric: the looks where both canary and baseline have a value
 * (nothing is invented for the others), thinned to MAX_POINTS, and the y range with a
 * margin. Undefined when there is nothing to draw.
 */
export function chartData(s: MetricSeries): ChartData | undefined {
  let idx = s.labels
    .map((_, i) => i)
    .filter((i) => s.canary[i] !== undefined && s.baseline[i] !== undefined);
  const skipped = s.labels.length - idx.length;
  if (idx.length === 0) return undefined;
  if (idx.length > MAX_POINTS) {
    const step = idx.length / MAX_POINTS;
    const thinned = Array.from(
      { length: MAX_POINTS - 1 },
      (_, k) => idx[Math.floor(k * step)] as number,
    );
    idx = [...thinned, idx.at(-1) as number];
  }
  const complete = CHART_SERIES.map((c) => ({ ...c, values: idx.map((i) => s[c.key][i]) })).filter(
    (c): c is typeof c & { values: number[] } => c.values.every((v) => v !== undefined),
  );
  // A bound far from the data (p95 of 5 ms against a max of 500 ms) would flatten the
  // lines into the axis: leave it out and name it instead.
  const data = complete
    .filter((c) => c.key === 'canary' || c.key === 'baseline')
    .flatMap((c) => c.values);
  const lo = Math.min(...data);
  const hi = Math.max(...data);
  const span = Math.max(hi - lo, Math.abs(hi) * 0.25, 1e-9);
  const near = (v: number) => v >= lo - 2 * span && v <= hi + 2 * span;
  const series = complete.filter(
    (c) => c.key === 'canary' || c.key === 'baseline' || c.values.every(near),
  );
  const offChart = complete
    .filter((c) => !series.includes(c))
    .map((c) => `${c.label} ${shortNumber(c.values.at(-1) as number)}`);
  const all = series.flatMap((c) => c.values);
  let min = Math.min(...all);
  let max = Math.max(...all);
  const pad = max === min ? Math.abs(max) * 0.1 || 1 : (max - min) * 0.1;
  min -= pad;
  max += pad;
  // Rates and ratios do not go below zero; do not draw an axis that suggests they do.
  if (all.every((v) => v >= 0) && min < 0) min = 0;
  return {
    name: s.name,
    labels: idx.map((i) => s.labels[i] as string),
    series,
    min,
    max,
    skipped,
    offChart,
  };
}

/** A number short enough for an axis or a mermaid series. */
export function shortNumber(v: number): number {
  return Number(v.toPrecision(5));
}
