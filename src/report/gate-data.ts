import { z } from 'zod';
import type { StageReport } from './stage-report.js';

/**
 * The gate's report details as the renderers read them. The gate stage owns the shape;
 * this is a lenient reading of it (a renderer must never fail on a report), and it never
 * re-derives a verdict: statuses and reasons are taken as written.
 */
export interface GatePoint {
  canary?: number;
  baseline?: number;
}

export interface GateLook {
  /** Seconds since the gate started (as the gate records it), or a label. */
  t: number | string;
  /** With deploy.steps: the share (percent) canary and baseline each had during the look. */
  step?: number;
  metrics: Record<string, GatePoint>;
}

export interface GateMetricRow {
  name: string;
  status: string;
  reason?: string;
  critical?: boolean;
  canary?: number;
  baseline?: number;
  bounds: Record<string, number | string>;
  note?: string;
}

export interface GateData {
  verdict?: string;
  /** With deploy.steps: the ramp, and the share at which the verdict came. */
  steps?: number[];
  step?: number;
  looks: GateLook[];
  metrics: GateMetricRow[];
}

// JSON turns NaN and ±Infinity into null: read them as "no value".
const num = z
  .union([z.number(), z.null(), z.string()])
  .optional()
  .transform((v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined))
  .catch(undefined);

const point = z.looseObject({ canary: num, baseline: num });

const look = z.looseObject({
  t: z.union([z.number(), z.string()]).catch(''),
  step: z.number().optional().catch(undefined),
  metrics: z.record(z.string(), point.catch({ canary: undefined, baseline: undefined })).catch({}),
});

const metricRow = z.looseObject({
  name: z.string(),
  status: z.string().catch('unknown'),
  reason: z.string().optional().catch(undefined),
  critical: z.boolean().optional().catch(undefined),
  canary: num,
  baseline: num,
  bounds: z.record(z.string(), z.union([z.number(), z.string()])).catch({}),
  note: z.string().optional().catch(undefined),
});

const gateDetails = z.looseObject({
  verdict: z.string().optional().catch(undefined),
  steps: z.array(z.number()).optional().catch(undefined),
  step: z.number().optional().catch(undefined),
  looks: z.array(look.nullable().catch(null)).catch([]),
  metrics: z
    .union([
      z.array(metricRow.nullable().catch(null)),
      // Also accept `{ name: row }`.
      z.record(z.string(), z.looseObject({}).catch({})).transform((m) =>
        Object.entries(m).map(([name, row]) =>
          metricRow
            .nullable()
            .catch(null)
            .parse({ ...row, name }),
        ),
      ),
    ])
    .catch([]),
});

/** The gate's data from its report, or undefined when no gate ran. */
export function readGateData(report: StageReport | undefined): GateData | undefined {
  if (!report) return undefined;
  const parsed = gateDetails.parse(report.details ?? {});
  return {
    verdict: parsed.verdict,
    ...(parsed.steps ? { steps: parsed.steps } : {}),
    ...(parsed.step === undefined ? {} : { step: parsed.step }),
    looks: parsed.looks.filter((l): l is z.output<typeof look> => l !== null),
    metrics: parsed.metrics
      .filter((m): m is z.output<typeof metricRow> => m !== null)
      .map(({ name, status, reason, critical, canary, baseline, bounds, note }) => ({
        name,
        status,
        reason,
        critical,
        canary,
        baseline,
        bounds,
        note,
      })),
  };
}

/** Metric names in the order the gate reported them, then any that only appear in looks. */
export function gateMetricNames(gate: GateData): string[] {
  const names = gate.metrics.map((m) => m.name);
  for (const l of gate.looks)
    for (const n of Object.keys(l.metrics)) if (!names.includes(n)) names.push(n);
  return names;
}

export interface MetricSeries {
  name: string;
  /** One label per look (elapsed time). */
  labels: string[];
  canary: (number | undefined)[];
  baseline: (number | undefined)[];
  /** The bounds in the metric's unit at each look: min/max, and the baseline ± its tolerance. */
  lower: (number | undefined)[];
  upper: (number | undefined)[];
}

/** "20%" → relative 0.2; "0.05" or 0.05 → absolute 0.05. */
function tolerance(
  v: number | string | undefined,
): { percent: boolean; value: number } | undefined {
  if (v === undefined) return undefined;
  const text = String(v).trim();
  const percent = text.endsWith('%');
  const value = Number(percent ? text.slice(0, -1) : text);
  return Number.isFinite(value) ? { percent, value: percent ? value / 100 : value } : undefined;
}

const tightest = (pick: (a: number, b: number) => number, values: (number | undefined)[]) => {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return known.length ? known.reduce((a, b) => pick(a, b)) : undefined;
};

/**
 * One metric's values over the gate's looks, for the charts. The bound lines are drawn from
 * the bounds the gate reported (a picture of the limits; the verdict is the gate's own).
 */
export function metricSeries(gate: GateData, name: string): MetricSeries {
  const points = gate.looks.map((l) => l.metrics[name] ?? {});
  const bounds = gate.metrics.find((m) => m.name === name)?.bounds ?? {};
  const num = (v: number | string | undefined) => (typeof v === 'number' ? v : undefined);
  const inc = tolerance(bounds.maxIncrease);
  const dec = tolerance(bounds.maxDecrease);
  const relative = (b: number | undefined, t: typeof inc, sign: 1 | -1) =>
    b === undefined || !t ? undefined : t.percent ? b * (1 + sign * t.value) : b + sign * t.value;
  return {
    name,
    labels: gate.looks.map(
      (l, i) => lookLabel(l.t, i) + (l.step === undefined ? '' : ` @${l.step}%`),
    ),
    canary: points.map((p) => p.canary),
    baseline: points.map((p) => p.baseline),
    upper: points.map((p) => tightest(Math.min, [num(bounds.max), relative(p.baseline, inc, 1)])),
    lower: points.map((p) => tightest(Math.max, [num(bounds.min), relative(p.baseline, dec, -1)])),
  };
}

function lookLabel(t: number | string, index: number): string {
  if (typeof t === 'string') return t || `#${index + 1}`;
  const s = Math.round(t);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}` : `${s}s`;
}
