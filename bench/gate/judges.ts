import type {
  HistogramBucket,
  JudgeSettings,
  LookSamples,
  MetricSpec,
  Sample,
} from '../../src/analysis/types.js';
import { toTolerance } from '../../src/gate/settings.js';
import {
  addBuckets,
  bucketQuantile,
  countAtOrBelow,
  nearestBound,
  totalCount,
} from '../../src/analysis/histogram.js';
import { runGate, type GateClock } from '../../src/gate/run-gate.js';
import type { MetricProvider } from '../../src/metrics/types.js';
import { normalQuantile } from './random.js';
import type { MetricOverride, Scenario } from './scenarios.js';
import { SIM_METRICS } from './simulator.js';

export type Outcome = { verdict: 'pass' | 'fail' | 'inconclusive'; intervals: number };

export interface BenchJudge {
  name: string;
  /** The settings as a user of that tool would write them, printed with the results. */
  settings: string;
  run(source: MetricProvider, scenario: Scenario): Promise<Outcome>;
}

/** The thresholds every judge gets: error rate ≤ 2 %, p95 ≤ 500 ms, accuracy ≥ 0.85. */
const ERROR_MAX = 0.02;
const P95_MAX = 0.5;
const ACCURACY_MIN = 0.85;

function virtualClock(): GateClock {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += Math.max(0, ms)) };
}

/** gate.alpha's default. */
export const DEFAULT_ALPHA = 0.01;

/** Applies a scenario's `gate` overrides (same keys as gate.metrics in the config) by metric name. */
function override(spec: MetricSpec, o: MetricOverride | undefined): MetricSpec {
  if (!o) return spec;
  const out: MetricSpec = { ...spec };
  for (const k of ['min', 'max', 'quantile', 'weight', 'minSamples'] as const)
    if (o[k] !== undefined) out[k] = o[k];
  if (o.critical !== undefined) out.critical = o.critical;
  for (const k of ['maxIncrease', 'maxDecrease', 'maxShift'] as const)
    if (o[k] !== undefined) out[k] = toTolerance(o[k]);
  return out;
}

/** The stable margin of the `model-delivery-stable` judge (gate.stableMargin: "10%"). */
export const BENCH_STABLE_MARGIN = 0.1;

export function modelDeliverySettings(
  s: Scenario,
  alpha = DEFAULT_ALPHA,
  stableMargin?: number,
): JudgeSettings {
  const metrics: MetricSpec[] = [
    { name: SIM_METRICS.errors, type: 'ratio', critical: true, minSamples: 100, max: ERROR_MAX },
    {
      name: SIM_METRICS.latency,
      type: 'histogram',
      critical: true,
      minSamples: 100,
      quantile: 0.95,
      max: P95_MAX,
    },
    {
      name: SIM_METRICS.accuracy,
      type: 'ratio',
      critical: false,
      minSamples: 100,
      min: ACCURACY_MIN,
    },
    { name: SIM_METRICS.drift, type: 'distribution', critical: false, minSamples: 100 },
  ];
  return {
    alpha: s.gate?.alpha ?? alpha,
    minDurationMs: s.minDurationIntervals * s.intervalSeconds * 1000,
    maxDurationMs: s.intervals * s.intervalSeconds * 1000,
    metrics: metrics.map((m) => override(m, s.gate?.metrics?.[m.name])),
    ...(stableMargin === undefined ? {} : { stableMargin: Math.log1p(stableMargin) }),
  };
}

/**
 * The real gate loop and judge, on a virtual clock. At another alpha than the default the
 * judge is named `model-delivery@<alpha>`, so its rows are never taken for the default's.
 * `model-delivery-stable` is the same gate with `gate.stableMargin: "10%"` (the stable track,
 * 8× the baseline's traffic, pooled into the ratio metrics' failing side).
 */
export function modelDeliveryJudge(alpha = DEFAULT_ALPHA, stable = false): BenchJudge {
  const name = stable ? 'model-delivery-stable' : 'model-delivery';
  return {
    name: alpha === DEFAULT_ALPHA ? name : `${name}@${alpha}`,
    settings: `alpha ${alpha} (weights 3 for critical, 1 otherwise); error_rate ratio max 0.02 critical; latency_p95 histogram q0.95 max 0.5s critical; accuracy ratio min 0.85; score_drift distribution; minSamples 100; canary vs baseline, tolerance 0 unless the scenario's gate overrides it (the *-example scenarios: the example's tolerances)${stable ? `; stableMargin ${100 * BENCH_STABLE_MARGIN}%: ratio metrics pool the stable track` : ''}`,
    async run(source, scenario) {
      const run = await runGate({
        settings: modelDeliverySettings(scenario, alpha, stable ? BENCH_STABLE_MARGIN : undefined),
        provider: source,
        intervalMs: scenario.intervalSeconds * 1000,
        clock: virtualClock(),
      });
      const v = run.decision.verdict;
      return { verdict: v === 'continue' ? 'inconclusive' : v, intervals: run.looks.length };
    },
  };
}

export const modelDelivery = modelDeliveryJudge();
export const modelDeliveryStable = modelDeliveryJudge(DEFAULT_ALPHA, true);

type Look = LookSamples | undefined;

function counts(s: Sample | undefined): { numerator: number; denominator: number } | undefined {
  return s?.kind === 'counts' ? s : undefined;
}
function buckets(s: Sample | undefined): HistogramBucket[] | undefined {
  return s?.kind === 'buckets' ? s.buckets : undefined;
}

/** The canary's value of each thresholded metric over a window of looks (a `[1m]` range = 2 looks); undefined = no series. */
function windowValues(window: Look[]) {
  const present = window.filter((l): l is LookSamples => l !== undefined);
  if (present.length === 0) return undefined;
  let err = 0;
  let req = 0;
  let correct = 0;
  let scored = 0;
  let lat: HistogramBucket[] = [];
  for (const l of present) {
    const e = counts(l.canary[SIM_METRICS.errors]);
    const a = counts(l.canary[SIM_METRICS.accuracy]);
    err += e?.numerator ?? 0;
    req += e?.denominator ?? 0;
    correct += a?.numerator ?? 0;
    scored += a?.denominator ?? 0;
    lat = addBuckets(lat, buckets(l.canary[SIM_METRICS.latency]) ?? []);
  }
  return {
    errorRate: err / req,
    p95: bucketQuantile(lat, 0.95) ?? NaN,
    accuracy: correct / scored,
  };
}

async function collectLooks(
  source: MetricProvider,
  n: number,
  each: (looks: Look[]) => 'pass' | 'fail' | undefined,
): Promise<Outcome> {
  const looks: Look[] = [];
  for (let i = 1; i <= n; i++) {
    looks.push(await source.collect().catch(() => undefined));
    const v = each(looks);
    if (v) return { verdict: v, intervals: i };
  }
  return { verdict: 'inconclusive', intervals: n };
}

/**
 * Flagger: fixed thresholds on the canary alone, each over the metric interval (1m);
 * a failed or empty check ("no values found") counts as a failed check; failed checks are
 * cumulative; rollback at `threshold`. Promotion after maxWeight/stepWeight iterations.
 */
export const flagger: BenchJudge = {
  name: 'flagger',
  settings:
    'interval 30s, threshold 5, stepWeight 5, maxWeight 100 (promotes after 20 good iterations or at the 20-interval cap), metric interval 1m; error-rate max 2%, latency p95 max 500ms, accuracy min 0.85',
  run(source, s) {
    let failed = 0;
    return collectLooks(source, s.intervals, (looks) => {
      const w = windowValues(looks.slice(-2));
      const ok =
        w !== undefined &&
        w.errorRate <= ERROR_MAX &&
        w.p95 <= P95_MAX &&
        w.accuracy >= ACCURACY_MIN;
      if (!ok) failed++;
      if (failed >= 5) return 'fail';
      return looks.length === s.intervals ? 'pass' : undefined;
    });
  },
};

/**
 * Argo Rollouts: an AnalysisTemplate, one measurement per interval of each metric with a
 * `[1m]` query; successCondition per metric; the metric fails when failed > failureLimit,
 * errors (empty result) when consecutive errors > consecutiveErrorLimit (4); NaN fails.
 */
export const argo: BenchJudge = {
  name: 'argo',
  settings:
    'interval 30s, count 20, failureLimit 3, consecutiveErrorLimit 4, queries over [1m]; successCondition result[0] <= 0.02 (errors), <= 0.5 (p95), >= 0.85 (accuracy)',
  run(source, s) {
    const failed = [0, 0, 0];
    let consecutiveErrors = 0;
    return collectLooks(source, s.intervals, (looks) => {
      const w = windowValues(looks.slice(-2));
      if (!w) {
        consecutiveErrors++;
        return consecutiveErrors > 4 ? 'fail' : looks.length === s.intervals ? 'pass' : undefined;
      }
      consecutiveErrors = 0;
      // NaN compares false: a failed measurement, as in Argo's expr evaluation.
      const results = [w.errorRate <= ERROR_MAX, w.p95 <= P95_MAX, w.accuracy >= ACCURACY_MIN];
      results.forEach((ok, i) => {
        if (!ok) failed[i] = (failed[i] as number) + 1;
      });
      if (failed.some((f) => f > 3)) return 'fail';
      return looks.length === s.intervals ? 'pass' : undefined;
    });
  },
};

/** Per-look values of a track for Kayenta's time series; NaN when there are no events. */
function lookValues(l: LookSamples, track: 'canary' | 'baseline'): number[] {
  const e = counts(l[track][SIM_METRICS.errors]);
  const a = counts(l[track][SIM_METRICS.accuracy]);
  const lat = buckets(l[track][SIM_METRICS.latency]) ?? [];
  const sc = buckets(l[track][SIM_METRICS.drift]) ?? [];
  return [
    e && e.denominator > 0 ? e.numerator / e.denominator : NaN,
    bucketQuantile(lat, 0.95) ?? NaN,
    a && a.denominator > 0 ? a.numerator / a.denominator : NaN,
    bucketQuantile(sc, 0.5) ?? NaN,
  ];
}

const Z98 = normalQuantile(0.99);

/** Mann-Whitney 98 % confidence interval of the location shift (experiment − control), normal approximation. */
export function mannWhitneyInterval(
  experiment: number[],
  control: number[],
): { lower: number; upper: number } {
  const n = experiment.length;
  const m = control.length;
  const diffs: number[] = [];
  for (const x of experiment) for (const y of control) diffs.push(x - y);
  diffs.sort((a, b) => a - b);
  const k = Math.floor((n * m) / 2 - Z98 * Math.sqrt((n * m * (n + m + 1)) / 12));
  if (k < 0) return { lower: -Infinity, upper: Infinity };
  return { lower: diffs[k] as number, upper: diffs[n * m - 1 - k] as number };
}

const KAYENTA_DIRECTIONS = ['increase', 'increase', 'decrease', 'either'] as const;

/**
 * Kayenta (NetflixACAJudge) in a standalone canary analysis: every interval a judgment over
 * the growing lookback; per metric Mann-Whitney at 98 % → Pass/High/Low (NaN removed,
 * Nodata excluded, ≥ 50 % Nodata → score 0); score = Pass share × 100; fail fast when
 * score ≤ marginal 75; at the end pass when the last score ≥ 95.
 */
export const kayenta: BenchJudge = {
  name: 'kayenta',
  settings:
    'lifetime 20 intervals, judgment every 30s over the growing lookback; Mann-Whitney 98%; metrics error rate (increase), p95 (increase), accuracy (decrease), median score (either); thresholds pass 95, marginal 75',
  run(source, s) {
    return collectLooks(source, s.intervals, (looks) => {
      const present = looks.filter((l): l is LookSamples => l !== undefined);
      let pass = 0;
      let bad = 0;
      let nodata = 0;
      KAYENTA_DIRECTIONS.forEach((dir, i) => {
        const exp = present
          .map((l) => lookValues(l, 'canary')[i] as number)
          .filter((v) => !Number.isNaN(v));
        const ctl = present
          .map((l) => lookValues(l, 'baseline')[i] as number)
          .filter((v) => !Number.isNaN(v));
        if (exp.length === 0 || ctl.length === 0) return void nodata++;
        const ci = mannWhitneyInterval(exp, ctl);
        const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
        const ratio = mean(ctl) === 0 ? Infinity : mean(exp) / mean(ctl);
        const high = dir !== 'decrease' && ci.lower > 0 && ratio >= 1;
        const low = dir !== 'increase' && ci.upper < 0 && ratio <= 1;
        if (high || low) bad++;
        else pass++;
      });
      const score =
        nodata * 2 >= KAYENTA_DIRECTIONS.length || pass + bad === 0
          ? 0
          : (100 * pass) / (pass + bad);
      if (score <= 75) return 'fail';
      if (looks.length === s.intervals) return score >= 95 ? 'pass' : 'fail';
      return undefined;
    });
  },
};

/** One-sided two-proportion z statistic (canary share above baseline share). */
function zTwoProportion(k1: number, n1: number, k2: number, n2: number): number {
  if (!(n1 > 0 && n2 > 0)) return NaN;
  const p = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  return se > 0 ? (k1 / n1 - k2 / n2) / se : 0;
}

/**
 * An ordinary fixed-sample test repeated at every look on the data so far: two-proportion
 * z tests at α = 0.01 split over the 4 metrics (the same split as model-delivery), with no
 * correction for looking again: the peeking that Netflix measured.
 */
export const repeatedTest: BenchJudge = {
  name: 'repeated-test',
  settings:
    'two-proportion z tests on cumulative counts at every look, alpha 0.01 / 4 metrics per look; errors, misses, share above pooled p95 bucket, share above pooled median score (two-sided)',
  run(source, s) {
    const zc = normalQuantile(1 - 0.01 / 4);
    const zc2 = normalQuantile(1 - 0.01 / 8);
    return collectLooks(source, s.intervals, (looks) => {
      const present = looks.filter((l): l is LookSamples => l !== undefined);
      const sum = (track: 'canary' | 'baseline', name: string) =>
        present.reduce(
          (acc, l) => {
            const c = counts(l[track][name]);
            return { k: acc.k + (c?.numerator ?? 0), n: acc.n + (c?.denominator ?? 0) };
          },
          { k: 0, n: 0 },
        );
      const hist = (track: 'canary' | 'baseline', name: string) =>
        present.reduce<HistogramBucket[]>(
          (acc, l) => addBuckets(acc, buckets(l[track][name]) ?? []),
          [],
        );
      const ec = sum('canary', SIM_METRICS.errors);
      const eb = sum('baseline', SIM_METRICS.errors);
      const ac = sum('canary', SIM_METRICS.accuracy);
      const ab = sum('baseline', SIM_METRICS.accuracy);
      const above = (name: string, q: number) => {
        const c = hist('canary', name);
        const b = hist('baseline', name);
        const t = nearestBound(addBuckets(c, b), q);
        if (t === undefined) return NaN;
        const nc = totalCount(c);
        const nb = totalCount(b);
        return zTwoProportion(nc - countAtOrBelow(c, t), nc, nb - countAtOrBelow(b, t), nb);
      };
      const zs = [
        zTwoProportion(ec.k, ec.n, eb.k, eb.n),
        zTwoProportion(ac.n - ac.k, ac.n, ab.n - ab.k, ab.n),
        above(SIM_METRICS.latency, 0.95),
      ];
      const drift = above(SIM_METRICS.drift, 0.5);
      if (zs.some((z) => z >= zc) || Math.abs(drift) >= zc2) return 'fail';
      if (looks.length === s.intervals) return ec.n > 0 && eb.n > 0 ? 'pass' : undefined;
      return undefined;
    });
  },
};

export const JUDGES: BenchJudge[] = [
  modelDelivery,
  modelDeliveryStable,
  flagger,
  argo,
  kayenta,
  repeatedTest,
];
