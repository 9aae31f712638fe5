/** Benchmark scenarios: what each track serves, and how long the gate may run. */
import { normalQuantile } from './random.js';

export interface TrackModel {
  /** Requests per second (Poisson arrivals). */
  rps: number;
  /** Share of requests that fail. */
  errorRate: number;
  /**
   * Log-normal latency, given by its median and 95th percentile; `p99Ms` stretches (or
   * shrinks) only the tail above the p95, so that the tail can move while the p95 stays.
   */
  latency: { medianMs: number; p95Ms: number; p99Ms?: number };
  /** Share of successful requests that carry their true label (gate.load sends labels). */
  labelledFraction: number;
  /** Share of labelled predictions that are right. */
  accuracy: number;
  /** Prediction scores: normal, clamped to [0, 1]. */
  scores: { mean: number; sd: number };
}

export interface Scenario {
  name: string;
  baseline: TrackModel;
  canary: TrackModel;
  intervals: number;
  intervalSeconds: number;
  minDurationIntervals: number;
  runs: number;
  seed: number;
  /** The source returns nothing for either track. */
  noData: boolean;
  /** The canary is worse than a tolerance: its pass rate is a false-pass rate. */
  beyondMargin: boolean;
  /** Overrides of model-delivery's gate settings (alpha, and bounds by metric name). */
  gate?: GateOverrides;
  /** The stable track, when the source reads it (the baseline's release, most of the traffic). */
  stable?: TrackModel;
}

/** The keys of a `gate.metrics` entry a scenario may override (same spelling as the config). */
export interface MetricOverride {
  min?: number;
  max?: number;
  maxIncrease?: number | string;
  maxDecrease?: number | string;
  maxShift?: number | string;
  quantile?: number;
  weight?: number;
  critical?: boolean;
  minSamples?: number;
}

export interface GateOverrides {
  alpha?: number;
  metrics?: Record<string, MetricOverride>;
}

export const DEFAULT_TRACK: TrackModel = {
  rps: 5,
  errorRate: 0.01,
  latency: { medianMs: 80, p95Ms: 200 },
  labelledFraction: 1,
  accuracy: 0.92,
  scores: { mean: 0.5, sd: 0.2 },
};

/** The stable track's traffic as a multiple of the baseline's (80 % against 10 %). */
export const STABLE_TRAFFIC = 8;

export const DEFAULTS = {
  intervals: 20,
  intervalSeconds: 30,
  minDurationIntervals: 2,
  runs: 1000,
  seed: 1,
};

/** A scenario as written in a --scenarios file: every field optional except the name. */
export interface ScenarioInput {
  name: string;
  /** Applies to both tracks. */
  tracks?: Partial<TrackModel>;
  baseline?: Partial<TrackModel>;
  canary?: Partial<TrackModel>;
  /**
   * The stable track: by default the baseline's model at `STABLE_TRAFFIC` × its rps (a 10 %
   * canary and a 10 % baseline leave the stable 80 %); fields override it (a stable that
   * differs from the baseline); `false` when the source does not read it.
   */
  stable?: Partial<TrackModel> | false;
  intervals?: number;
  intervalSeconds?: number;
  minDurationIntervals?: number;
  runs?: number;
  seed?: number;
  noData?: boolean;
  beyondMargin?: boolean;
  gate?: GateOverrides;
}

const shifted = (by: number) => ({
  mean: DEFAULT_TRACK.scores.mean + by * DEFAULT_TRACK.scores.sd,
  sd: DEFAULT_TRACK.scores.sd,
});

/**
 * The example's gate (examples/classifier/.github/model-delivery.yml) as overrides: the
 * tolerances a team would write. Without overrides the bench judges with tolerance 0.
 */
export const EXAMPLE_GATE: GateOverrides = {
  metrics: {
    error_rate: { max: 0.02, maxIncrease: '100%' },
    latency_p95: { max: 0.5, maxIncrease: '20%' },
    accuracy: { min: 0.85, maxDecrease: 0.02 },
    score_drift: { maxShift: '10%' },
  },
};

const busy = { rps: 50 };
const example = { gate: EXAMPLE_GATE, tracks: busy };
/** Scores whose share above the baseline's median (0.5) is `share`. */
const aboveMedian = (share: number) => shifted(normalQuantile(share));

export const BUILTIN_SCENARIOS: ScenarioInput[] = [
  { name: 'aa' },
  { name: 'aa-unbalanced', canary: { rps: 2 }, baseline: { rps: 8 } },
  { name: 'aa-50rps-example', ...example },
  {
    name: 'improvement-50rps-example',
    ...example,
    canary: { errorRate: 0.005, latency: { medianMs: 70, p95Ms: 170 }, accuracy: 0.93 },
  },
  { name: 'errors-inside-tolerance', ...example, canary: { errorRate: 0.015 } },
  { name: 'errors-beyond-tolerance', ...example, canary: { errorRate: 0.025 }, beyondMargin: true },
  {
    name: 'latency-inside-tolerance',
    ...example,
    canary: { latency: { medianMs: 88, p95Ms: 220 } },
  },
  {
    name: 'latency-beyond-tolerance',
    ...example,
    canary: { latency: { medianMs: 104, p95Ms: 260 } },
    beyondMargin: true,
  },
  { name: 'accuracy-inside-tolerance', ...example, canary: { accuracy: 0.91 } },
  {
    name: 'accuracy-beyond-tolerance',
    ...example,
    canary: { accuracy: 0.895 },
    beyondMargin: true,
  },
  { name: 'drift-inside-tolerance', ...example, canary: { scores: aboveMedian(0.52) } },
  {
    name: 'drift-beyond-tolerance',
    ...example,
    canary: { scores: aboveMedian(0.575) },
    beyondMargin: true,
  },
  {
    name: 'latency-p99-only',
    gate: EXAMPLE_GATE,
    baseline: { latency: { medianMs: 80, p95Ms: 250, p99Ms: 400 } },
    canary: { latency: { medianMs: 80, p95Ms: 250, p99Ms: 800 } },
  },
  {
    name: 'labelled-5pct-accuracy-minus-3pts',
    ...example,
    tracks: { ...busy, labelledFraction: 0.05 },
    canary: { accuracy: 0.89 },
    beyondMargin: true,
  },
  { name: 'error-rate-1pct-to-5pct', canary: { errorRate: 0.05 } },
  { name: 'error-rate-1pct-to-2pct', tracks: { rps: 20 }, canary: { errorRate: 0.02 } },
  { name: 'latency-p95-plus-50pct', canary: { latency: { medianMs: 120, p95Ms: 300 } } },
  { name: 'accuracy-minus-5pts', canary: { accuracy: 0.87 } },
  { name: 'prediction-drift', canary: { scores: shifted(0.5) } },
  { name: 'low-traffic-aa', tracks: { rps: 0.2 } },
  { name: 'no-data', noData: true },
];

const TRACK_KEYS = new Set(Object.keys(DEFAULT_TRACK));
const SCENARIO_KEYS = new Set([
  'name',
  'tracks',
  'baseline',
  'canary',
  'stable',
  'intervals',
  'intervalSeconds',
  'minDurationIntervals',
  'runs',
  'seed',
  'noData',
  'beyondMargin',
  'gate',
]);

const METRIC_NAMES = ['error_rate', 'latency_p95', 'accuracy', 'score_drift'];
const OVERRIDE_KEYS = new Set([
  'min',
  'max',
  'maxIncrease',
  'maxDecrease',
  'maxShift',
  'quantile',
  'weight',
  'critical',
  'minSamples',
]);

function checkGate(g: unknown): string[] {
  if (g === undefined) return [];
  if (typeof g !== 'object' || g === null) return ['gate: expected an object'];
  const problems = Object.keys(g)
    .filter((k) => k !== 'alpha' && k !== 'metrics')
    .map((k) => `gate.${k}: unknown field; fields: alpha, metrics`);
  const v = g as GateOverrides;
  if (v.alpha !== undefined && !(typeof v.alpha === 'number' && v.alpha > 0 && v.alpha < 1))
    problems.push('gate.alpha: expected a number between 0 and 1');
  for (const [name, o] of Object.entries(v.metrics ?? {})) {
    if (!METRIC_NAMES.includes(name))
      problems.push(`gate.metrics.${name}: unknown metric; metrics: ${METRIC_NAMES.join(', ')}`);
    for (const k of Object.keys(o))
      if (!OVERRIDE_KEYS.has(k))
        problems.push(
          `gate.metrics.${name}.${k}: unknown field; fields: ${[...OVERRIDE_KEYS].join(', ')}`,
        );
    for (const k of ['maxIncrease', 'maxDecrease', 'maxShift'] as const) {
      const x = o[k];
      if (x !== undefined && !(typeof x === 'number' || /^\d+(\.\d+)?%$/.test(x)))
        problems.push(`gate.metrics.${name}.${k}: expected a number or a percentage such as "20%"`);
    }
  }
  return problems;
}

function checkTrack(where: string, t: unknown): string[] {
  if (t === undefined) return [];
  if (typeof t !== 'object' || t === null) return [`${where}: expected an object`];
  const problems = Object.keys(t)
    .filter((k) => !TRACK_KEYS.has(k))
    .map((k) => `${where}.${k}: unknown field; fields: ${[...TRACK_KEYS].join(', ')}`);
  const v = t as Partial<TrackModel>;
  const share = (k: 'errorRate' | 'labelledFraction' | 'accuracy') => {
    const x = v[k];
    if (x !== undefined && !(typeof x === 'number' && x >= 0 && x <= 1))
      problems.push(`${where}.${k}: expected a number in [0, 1]`);
  };
  share('errorRate');
  share('labelledFraction');
  share('accuracy');
  if (v.rps !== undefined && !(typeof v.rps === 'number' && v.rps >= 0))
    problems.push(`${where}.rps: expected a number ≥ 0`);
  if (v.latency && !(v.latency.medianMs > 0 && v.latency.p95Ms > v.latency.medianMs)) {
    problems.push(`${where}.latency: expected { medianMs > 0, p95Ms > medianMs }`);
  }
  if (v.latency?.p99Ms !== undefined && !(v.latency.p99Ms > v.latency.p95Ms))
    problems.push(`${where}.latency.p99Ms: expected a number > p95Ms`);
  if (v.scores && !(typeof v.scores.mean === 'number' && v.scores.sd > 0))
    problems.push(`${where}.scores: expected { mean, sd > 0 }`);
  return problems;
}

/** Validates and fills one scenario; `overrides` (from --runs/--seed) win over the file. */
export function resolveScenario(
  input: ScenarioInput,
  overrides: { runs?: number; seed?: number } = {},
): Scenario {
  const problems: string[] = [];
  if (typeof input.name !== 'string' || !input.name) problems.push('name: required');
  for (const k of Object.keys(input))
    if (!SCENARIO_KEYS.has(k))
      problems.push(`${k}: unknown field; fields: ${[...SCENARIO_KEYS].join(', ')}`);
  problems.push(
    ...checkTrack('tracks', input.tracks),
    ...checkTrack('baseline', input.baseline),
    ...checkTrack('canary', input.canary),
    ...(input.stable === false ? [] : checkTrack('stable', input.stable)),
    ...checkGate(input.gate),
  );
  for (const k of ['intervals', 'runs'] as const) {
    const x = input[k];
    if (x !== undefined && !(Number.isInteger(x) && x >= 1))
      problems.push(`${k}: expected an integer ≥ 1`);
  }
  if (problems.length)
    throw new Error(`scenario ${input.name ?? '(unnamed)'}:\n  - ${problems.join('\n  - ')}`);
  const both = { ...DEFAULT_TRACK, ...input.tracks };
  const baseline = { ...both, ...input.baseline };
  return {
    name: input.name,
    baseline,
    canary: { ...both, ...input.canary },
    intervals: input.intervals ?? DEFAULTS.intervals,
    intervalSeconds: input.intervalSeconds ?? DEFAULTS.intervalSeconds,
    minDurationIntervals: input.minDurationIntervals ?? DEFAULTS.minDurationIntervals,
    runs: overrides.runs ?? input.runs ?? DEFAULTS.runs,
    seed: overrides.seed ?? input.seed ?? DEFAULTS.seed,
    noData: input.noData ?? false,
    beyondMargin: input.beyondMargin ?? false,
    ...(input.gate ? { gate: input.gate } : {}),
    ...(input.stable === false
      ? {}
      : { stable: { ...baseline, rps: baseline.rps * STABLE_TRAFFIC, ...input.stable } }),
  };
}
