import { addBuckets, bucketQuantile, totalCount } from './histogram.js';
import { confidenceSequence, estimateTheta } from './shift-e-process.js';
import { moreTraffic, shownInside, supportedTheta, type SubTest } from './sub-test.js';
import type { Claim, Effect, HistogramBucket, MetricSpec, Sample } from './types.js';

/** What every metric's state holds besides its own totals and sub-tests. */
export interface MetricBase {
  spec: MetricSpec;
  /** This metric's share of gate.alpha for failing. */
  alpha: number;
  failure?: { reason: string; look: number; message: string };
  note?: string;
}

export interface CountTotals {
  numerator: number;
  denominator: number;
  looks: number;
}

export interface BucketTotals {
  buckets: HistogramBucket[];
  sum: number;
  hasSum: boolean;
  looks: number;
}

export type CountSample = Extract<Sample, { kind: 'counts' }>;
export type BucketSample = Extract<Sample, { kind: 'buckets' }>;

export const emptyCounts = (): CountTotals => ({ numerator: 0, denominator: 0, looks: 0 });
export const emptyBucketTotals = (): BucketTotals => ({
  buckets: [],
  sum: 0,
  hasSum: false,
  looks: 0,
});

export const addCounts = (t: CountTotals, s: CountSample): CountTotals => ({
  numerator: t.numerator + s.numerator,
  denominator: t.denominator + s.denominator,
  looks: t.looks + 1,
});

export const addBucketSample = (t: BucketTotals, s: BucketSample): BucketTotals => ({
  buckets: addBuckets(t.buckets, s.buckets),
  sum: t.sum + (s.sum ?? 0),
  hasSum: t.hasSum || s.sum !== undefined,
  looks: t.looks + 1,
});

export const asCounts = (s: Sample | undefined): CountSample | undefined =>
  s?.kind === 'counts' ? s : undefined;
export const asBuckets = (s: Sample | undefined): BucketSample | undefined =>
  s?.kind === 'buckets' ? s : undefined;

/** A number as the report prints it: three significant digits. */
export const fmt = (x: number): string =>
  Number.isFinite(x) ? String(Number(x.toPrecision(3))) : x > 0 ? '∞' : '−∞';

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const logit = (p: number): number => Math.log(p / (1 - p));

/** A sub-test's claim: `supported` turns the supported θ into the user's units. */
export function claimOf(
  test: SubTest,
  { alpha, detail }: { alpha: number; detail: boolean },
  text: { claim: string; supported: (theta: number) => string },
): Claim {
  const shown = shownInside(test, alpha);
  // The supported margin costs a search: the judge asks for it only with a decision.
  if (!detail) return { claim: text.claim, required: test.required, shown, supported: '' };
  const theta = supportedTheta(test, alpha);
  const more = shown ? undefined : moreTraffic(test, alpha);
  return {
    claim: text.claim,
    required: test.required,
    shown,
    supported: Number.isFinite(theta) ? text.supported(theta) : 'nothing yet',
    ...(more === undefined ? {} : { moreTraffic: Number(more.toPrecision(2)) }),
  };
}

/** The canary-against-baseline effect (rates of bad events) with its two-sided interval. */
export function relativeEffect(
  test: SubTest,
  level: number,
  o: { measure: string; canaryRate?: number; baselineRate?: number },
): Effect | undefined {
  if (test.data.looks.length === 0) return undefined;
  const ci = confidenceSequence(test.data, level);
  // Without both rates (histograms, drift), the estimate is the test's own maximum likelihood.
  const estimate =
    o.canaryRate !== undefined && o.baselineRate !== undefined
      ? o.baselineRate > 0
        ? o.canaryRate / o.baselineRate - 1
        : NaN
      : Math.expm1(estimateTheta(test.data));
  return {
    measure: o.measure,
    estimate,
    lower: Math.expm1(ci.lower),
    upper: Math.expm1(ci.upper),
  };
}

/** Counts are whole events for the binomial tests; interpolation makes fractions. */
export const whole = (x: number): number => Math.max(0, Math.round(x));

/** One look of a histogram-based metric, when both tracks have observations. */
export interface BucketLook {
  canary: BucketSample;
  baseline: BucketSample;
  nC: number;
  nB: number;
  /**
   * The baseline's q-quantile from the previous looks (known before this look's data); at
   * the first look the pooled look's (under the null the pooled data say nothing about which
   * track is which).
   */
  reference: number | undefined;
}

/** Adds a look's buckets to both tracks' totals, and returns the look when both have data. */
export function addBucketLook<T extends { canary: BucketTotals; baseline: BucketTotals }>(
  prev: T,
  o: { canary: Sample | undefined; baseline: Sample | undefined; quantile: number },
): { state: T; look?: BucketLook } {
  const canary = asBuckets(o.canary);
  const baseline = asBuckets(o.baseline);
  const state: T = {
    ...prev,
    canary: canary ? addBucketSample(prev.canary, canary) : prev.canary,
    baseline: baseline ? addBucketSample(prev.baseline, baseline) : prev.baseline,
  };
  if (!canary || !baseline) return { state };
  const nC = totalCount(canary.buckets);
  const nB = totalCount(baseline.buckets);
  if (!(nC > 0 && nB > 0)) return { state };
  const reference =
    totalCount(prev.baseline.buckets) > 0
      ? bucketQuantile(prev.baseline.buckets, o.quantile)
      : bucketQuantile(addBuckets(canary.buckets, baseline.buckets), o.quantile);
  return { state, look: { canary, baseline, nC, nB, reference } };
}
