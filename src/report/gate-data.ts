import { z } from 'zod';
import { formatNumber } from './markdown.js';
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

/** One statement a metric's pass certifies (the judge's Claim, as the report keeps it). */
export interface GateClaim {
  claim: string;
  shown: boolean;
  supported?: string;
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
  /** What a pass certifies, and where the evidence stands on each claim. */
  claims: GateClaim[];
  /** The confidence the claims hold at (1 − gate.alpha). */
  certifiedAt?: number;
  /** histogram: the bucket holding the baseline's quantile. */
  resolution?: { quantile: number; value: number; lower: number; upper?: number };
}

/** The parts of a metric's result that say what its verdict certifies. */
export type Certifiable = Pick<GateMetricRow, 'claims' | 'certifiedAt' | 'note' | 'resolution'>;

/**
 * What a metric's verdict certifies, in the words of the job summary and the HTML report:
 * "certifies at 99%: …", "not shown: … (the data support …)", the note, the bucket resolution.
 */
export function certifiedParts(m: Certifiable): string[] {
  const shown = m.claims.filter((c) => c.shown).map((c) => c.claim);
  const open = m.claims
    .filter((c) => !c.shown)
    .map((c) => `${c.claim}${c.supported ? ` (the data support ${c.supported})` : ''}`);
  const level =
    m.certifiedAt === undefined
      ? ''
      : ` at ${formatNumber(Math.round(m.certifiedAt * 1000) / 10)}%`;
  const r = m.resolution;
  return [
    shown.length ? `certifies${level}: ${shown.join('; ')}` : 'certifies nothing',
    ...(open.length ? [`not shown: ${open.join('; ')}`] : []),
    ...(m.note ? [m.note] : []),
    ...(r
      ? [
          `baseline p${formatNumber(r.quantile * 100)} ${formatNumber(r.value)} lies in the bucket (${r.lower}, ${r.upper ?? '+Inf'}]: interpolated inside it, as histogram_quantile does`,
        ]
      : []),
  ];
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

const claim = z.looseObject({
  claim: z.string(),
  shown: z.boolean().catch(false),
  supported: z.string().optional().catch(undefined),
});

const resolution = z
  .looseObject({ quantile: z.number(), value: z.number(), lower: z.number(), upper: num })
  .optional()
  .catch(undefined);

const metricRow = z.looseObject({
  name: z.string(),
  claims: z
    .array(claim.nullable().catch(null))
    .catch([])
    .optional()
    .transform((cs) => (cs ?? []).filter((c): c is z.output<typeof claim> => c !== null)),
  certifiedAt: num,
  resolution,
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
      .map((m) => ({
        name: m.name,
        status: m.status,
        reason: m.reason,
        critical: m.critical,
        canary: m.canary,
        baseline: m.baseline,
        bounds: m.bounds,
        note: m.note,
        claims: m.claims.map(({ claim: c, shown, supported }) => ({
          claim: c,
          shown,
          ...(supported === undefined ? {} : { supported }),
        })),
        certifiedAt: m.certifiedAt,
        resolution: m.resolution && {
          quantile: m.resolution.quantile,
          value: m.resolution.value,
          lower: m.resolution.lower,
          ...(m.resolution.upper === undefined ? {} : { upper: m.resolution.upper }),
        },
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
