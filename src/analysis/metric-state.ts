import {
  addBuckets,
  boundAtOrAbove,
  bucketQuantile,
  countAtOrBelow,
  nearestBound,
  totalCount,
} from './histogram.js';
import {
  addLook,
  confidenceSequence,
  emptyShiftState,
  logEvidenceAbove,
  logEvidenceBelow,
  logit,
  type ShiftState,
} from './shift-e-process.js';
import type { Effect, HistogramBucket, MetricSpec, Sample, Tolerance } from './types.js';

/**
 * One metric's evidence so far. Every statistical metric is reduced to counts of "bad"
 * events (errors, misses, requests above the baseline's quantile, scores above the median)
 * tested with the shift e-process; gauge and query metrics are point checks.
 */
export interface SubTest {
  /** Key of the evidence in `data`. */
  key: string;
  kind: 'relative' | 'absolute';
  /** Which direction of θ is worse for the canary. */
  worse: 'above' | 'below';
  /** The null's edge: the tolerance (relative) or the bound (absolute, 0). */
  theta0: number;
}

export interface TrackTotals {
  numerator: number;
  denominator: number;
  buckets: HistogramBucket[];
  sum: number;
  hasSum: boolean;
  value?: number;
  looks: number;
}

export interface MetricState {
  spec: MetricSpec;
  /** This metric's share of gate.alpha. */
  alpha: number;
  data: Record<string, ShiftState>;
  tests: SubTest[];
  canary: TrackTotals;
  baseline: TrackTotals;
  failure?: { reason: string; look: number; message: string };
  /** histogram, distribution: the bucket bound of the last look's comparison. */
  threshold?: number;
  /** histogram: the bucket bound used for `max`. */
  maxBound?: number;
  note?: string;
}

export const STATISTICAL_TYPES = new Set(['ratio', 'histogram', 'distribution']);

const emptyTotals = (): TrackTotals => ({
  numerator: 0,
  denominator: 0,
  buckets: [],
  sum: 0,
  hasSum: false,
  looks: 0,
});

/** Ratio sides: `numerator` (the numerator is the bad event) and/or `complement` (denominator − numerator is). */
function ratioSides(spec: MetricSpec): Array<'numerator' | 'complement'> {
  const num = spec.max !== undefined || spec.maxIncrease !== undefined;
  const comp = spec.min !== undefined || spec.maxDecrease !== undefined;
  return num || !comp ? (comp ? ['numerator', 'complement'] : ['numerator']) : ['complement'];
}

export function initialMetricState(spec: MetricSpec, alpha: number): MetricState {
  const tests: SubTest[] = [];
  const data: Record<string, ShiftState> = {};
  const add = (test: SubTest) => {
    tests.push(test);
    data[test.key] ??= emptyShiftState();
  };
  if (spec.type === 'ratio') {
    for (const side of ratioSides(spec)) {
      add({ key: `relative:${side}`, kind: 'relative', worse: 'above', theta0: 0 });
      const bound =
        side === 'numerator' ? spec.max : spec.min === undefined ? undefined : 1 - spec.min;
      if (bound !== undefined && bound > 0 && bound < 1)
        add({ key: `absolute:${side}`, kind: 'absolute', worse: 'above', theta0: 0 });
    }
  } else if (spec.type === 'histogram') {
    add({ key: 'relative:above', kind: 'relative', worse: 'above', theta0: 0 });
    if (spec.max !== undefined)
      add({ key: 'absolute:above', kind: 'absolute', worse: 'above', theta0: 0 });
  } else if (spec.type === 'distribution') {
    add({ key: 'relative:above', kind: 'relative', worse: 'above', theta0: 0 });
    add({ key: 'relative:above', kind: 'relative', worse: 'below', theta0: 0 });
  }
  return { spec, alpha, data, tests, canary: emptyTotals(), baseline: emptyTotals() };
}

function accumulate(t: TrackTotals, s: Sample): TrackTotals {
  if (s.kind === 'counts')
    return {
      ...t,
      numerator: t.numerator + s.numerator,
      denominator: t.denominator + s.denominator,
      looks: t.looks + 1,
    };
  if (s.kind === 'buckets') {
    return {
      ...t,
      buckets: addBuckets(t.buckets, s.buckets),
      sum: t.sum + (s.sum ?? 0),
      hasSum: t.hasSum || s.sum !== undefined,
      looks: t.looks + 1,
    };
  }
  return { ...t, value: s.value, looks: t.looks + 1 };
}

/** Baseline rate with a half-event of smoothing, so that zero counts give a finite tolerance. */
const smoothedRate = (bad: number, n: number) => (bad + 0.5) / (n + 1);

function relativeTheta(tol: Tolerance | undefined, badRate: number, scale = badRate): number {
  if (!tol) return 0;
  // Percent of the metric's value (scale), turned into a ratio of bad-event rates.
  const absolute = tol.percent ? (tol.value / 100) * scale : tol.value;
  return Math.log1p(absolute / badRate);
}

/**
 * The bucket bound compared at this look: the baseline's q-quantile from the previous
 * looks (known before this look's data, so the test stays valid), or, at the first look,
 * the pooled one (under H0 the pooled data say nothing about which track is which).
 */
function threshold(
  prev: MetricState,
  canary: HistogramBucket[],
  baseline: HistogramBucket[],
  q: number,
): number | undefined {
  if (totalCount(prev.baseline.buckets) > 0) return nearestBound(prev.baseline.buckets, q);
  return nearestBound(addBuckets(canary, baseline), q);
}

/** Adds one look of samples; returns the new state (the old one is not changed). */
export function updateMetric(
  prev: MetricState,
  canary: Sample | undefined,
  baseline: Sample | undefined,
): MetricState {
  const state: MetricState = {
    ...prev,
    data: { ...prev.data },
    tests: prev.tests.map((t) => ({ ...t })),
  };
  if (canary) state.canary = accumulate(prev.canary, canary);
  if (baseline) state.baseline = accumulate(prev.baseline, baseline);
  if (!canary || !baseline || canary.kind !== baseline.kind) return state;
  const { spec } = state;
  const look = (key: string, bad: number, trials: number, offset: number) => {
    state.data[key] = addLook(state.data[key] as ShiftState, { bad, trials, offset });
  };
  if (canary.kind === 'counts' && baseline.kind === 'counts') {
    const offset = Math.log(canary.denominator / baseline.denominator);
    const b = state.baseline;
    for (const side of ratioSides(spec)) {
      const badC = side === 'numerator' ? canary.numerator : canary.denominator - canary.numerator;
      const badB =
        side === 'numerator' ? baseline.numerator : baseline.denominator - baseline.numerator;
      if (canary.denominator > 0 && baseline.denominator > 0)
        look(`relative:${side}`, badC, badC + badB, offset);
      const bound =
        side === 'numerator' ? spec.max : spec.min === undefined ? undefined : 1 - spec.min;
      if (`absolute:${side}` in state.data && bound !== undefined)
        look(`absolute:${side}`, badC, canary.denominator, logit(bound));
      const cumBad = side === 'numerator' ? b.numerator : b.denominator - b.numerator;
      const rate = smoothedRate(cumBad, b.denominator);
      const test = state.tests.find((t) => t.key === `relative:${side}`) as SubTest;
      test.theta0 =
        side === 'numerator'
          ? relativeTheta(spec.maxIncrease, rate)
          : relativeTheta(spec.maxDecrease, rate, 1 - rate);
    }
  } else if (canary.kind === 'buckets' && baseline.kind === 'buckets') {
    const q = spec.type === 'distribution' ? 0.5 : (spec.quantile ?? 0.95);
    const t = threshold(prev, canary.buckets, baseline.buckets, q);
    state.threshold = t;
    if (t !== undefined && canary.count > 0 && baseline.count > 0) {
      const aboveC = canary.count - countAtOrBelow(canary.buckets, t);
      const aboveB = baseline.count - countAtOrBelow(baseline.buckets, t);
      look('relative:above', aboveC, aboveC + aboveB, Math.log(canary.count / baseline.count));
    }
    if (spec.type === 'histogram' && spec.max !== undefined && canary.count > 0) {
      state.maxBound ??= boundAtOrAbove(canary.buckets, spec.max);
      if (state.maxBound === undefined) {
        state.note = `no finite bucket bound ≥ max ${spec.max}; the absolute bound cannot be tested`;
      } else {
        look(
          'absolute:above',
          canary.count - countAtOrBelow(canary.buckets, state.maxBound),
          canary.count,
          logit(1 - q),
        );
      }
    }
    const rel = state.tests.filter((x) => x.kind === 'relative');
    if (spec.type === 'histogram') {
      const qb = bucketQuantile(state.baseline.buckets, q);
      const tol = spec.maxIncrease;
      const pct = !tol ? 0 : tol.percent ? tol.value / 100 : qb ? tol.value / qb : 0;
      for (const x of rel) x.theta0 = Math.log1p(pct);
    } else {
      const s = spec.maxShift ? spec.maxShift.value / (spec.maxShift.percent ? 100 : 1) : 0;
      for (const x of rel) x.theta0 = x.worse === 'above' ? Math.log1p(s) : -Math.log1p(s);
    }
  }
  return state;
}

function logEvidenceWorse(state: MetricState, test: SubTest): number {
  const data = state.data[test.key] as ShiftState;
  return test.worse === 'above'
    ? logEvidenceAbove(data, test.theta0)
    : logEvidenceBelow(data, test.theta0);
}

function logEvidenceInside(state: MetricState, test: SubTest): number {
  const data = state.data[test.key] as ShiftState;
  return test.worse === 'above'
    ? logEvidenceBelow(data, test.theta0)
    : logEvidenceAbove(data, test.theta0);
}

/** log of the mean of the sub-tests' e-values: itself an e-value for the metric's null. */
export function failureEvidence(state: MetricState): { logE: number; strongest?: SubTest } {
  if (state.tests.length === 0) return { logE: 0 };
  const logs = state.tests.map((t) => logEvidenceWorse(state, t));
  const top = Math.max(...logs);
  const logE = top + Math.log(logs.reduce((s, l) => s + Math.exp(l - top), 0) / logs.length);
  return { logE, strongest: state.tests[logs.indexOf(top)] };
}

/** Whether every sub-test shows, at this metric's alpha, that the canary is inside its bounds. */
export function insideBounds(state: MetricState): boolean {
  const limit = Math.log(1 / state.alpha);
  return state.tests.length > 0 && state.tests.every((t) => logEvidenceInside(state, t) >= limit);
}

export function sampleCount(state: MetricState): { canary: number; baseline: number } {
  const { spec, canary, baseline } = state;
  if (spec.type === 'ratio') return { canary: canary.denominator, baseline: baseline.denominator };
  if (spec.type === 'histogram' || spec.type === 'distribution') {
    return { canary: totalCount(canary.buckets), baseline: totalCount(baseline.buckets) };
  }
  return { canary: canary.looks, baseline: baseline.looks };
}

/** The displayed value of a track: a ratio, a quantile, a mean score, a gauge value. */
export function displayValue(state: MetricState, t: TrackTotals): number | undefined {
  const { spec } = state;
  if (spec.type === 'ratio') return t.denominator > 0 ? t.numerator / t.denominator : undefined;
  if (spec.type === 'histogram') return bucketQuantile(t.buckets, spec.quantile ?? 0.95);
  if (spec.type === 'distribution') {
    const n = totalCount(t.buckets);
    return t.hasSum && n > 0 ? t.sum / n : bucketQuantile(t.buckets, 0.5);
  }
  return t.value;
}

const MEASURES: Record<string, string> = {
  'ratio:relative:numerator': 'rate, canary / baseline − 1',
  'ratio:relative:complement': '1 − rate, canary / baseline − 1',
  'histogram:relative:above': 'share above the baseline quantile, canary / baseline − 1',
  'distribution:relative:above': 'share of scores above the median, canary / baseline − 1',
};

/** The canary-against-baseline effect with its anytime-valid interval, or undefined before data. */
export function effectOf(state: MetricState): Effect | undefined {
  const test = state.tests.find((t) => t.kind === 'relative');
  if (!test) return undefined;
  const data = state.data[test.key] as ShiftState;
  if (data.looks.length === 0) return undefined;
  const ci = confidenceSequence(data, state.alpha);
  const side = test.key.split(':')[1];
  const badC = sideBad(state, state.canary, side);
  const badB = sideBad(state, state.baseline, side);
  const estimate = badC !== undefined && badB !== undefined && badB > 0 ? badC / badB - 1 : NaN;
  return {
    measure: MEASURES[`${state.spec.type}:${test.key}`] ?? test.key,
    estimate,
    lower: Math.expm1(ci.lower),
    upper: Math.expm1(ci.upper),
  };
}

/** The rate of bad events of a side, from the totals (for the effect's point estimate). */
function sideBad(state: MetricState, t: TrackTotals, side: string | undefined): number | undefined {
  if (state.spec.type === 'ratio') {
    if (!(t.denominator > 0)) return undefined;
    const r = t.numerator / t.denominator;
    return side === 'complement' ? 1 - r : r;
  }
  const data = state.data['relative:above'] as ShiftState;
  const n = totalCount(t.buckets);
  if (!(n > 0) || data.looks.length === 0) return undefined;
  // Shares above the last look's threshold, over the whole gate.
  const th = state.threshold;
  return th === undefined ? undefined : (n - countAtOrBelow(t.buckets, th)) / n;
}
