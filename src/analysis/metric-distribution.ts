import { addBuckets, bucketQuantile, countAbove, totalCount } from './histogram.js';
import {
  addBucketSample,
  asBuckets,
  claimOf,
  emptyBucketTotals,
  fmt,
  relativeEffect,
  type BucketTotals,
  type MetricBase,
} from './metric-common.js';
import { addSubTestLook, newSubTest, type LookContext, type SubTest } from './sub-test.js';
import type { Claim, Effect, MetricSpec, Sample } from './types.js';

/**
 * distribution (drift): the share of canary scores above the baseline's median (from the
 * previous looks, interpolated) against the baseline's share, both ways: `up` fails when the
 * canary's share is more than (1 + maxShift) times the baseline's, `down` when it is less
 * than 1 / (1 + maxShift) times.
 */
export interface DistributionState extends MetricBase {
  type: 'distribution';
  canary: BucketTotals;
  baseline: BucketTotals;
  up: SubTest;
  down: SubTest;
}

export function initialDistribution(spec: MetricSpec, alpha: number): DistributionState {
  const s = spec.maxShift;
  const shift = s ? Math.log1p(s.percent ? s.value / 100 : s.value) : 0;
  const side = (worse: 'above' | 'below') =>
    newSubTest({
      kind: 'relative',
      worse,
      theta0: worse === 'above' ? shift : -shift,
      required: shift > 0,
      alpha: alpha / 2,
    });
  return {
    spec,
    alpha,
    type: 'distribution',
    canary: emptyBucketTotals(),
    baseline: emptyBucketTotals(),
    up: side('above'),
    down: side('below'),
  };
}

const whole = (x: number) => Math.max(0, Math.round(x));

export function updateDistribution(
  prev: DistributionState,
  c: Sample | undefined,
  b: Sample | undefined,
  ctx: LookContext,
): DistributionState {
  const canary = asBuckets(c);
  const baseline = asBuckets(b);
  const state: DistributionState = {
    ...prev,
    canary: canary ? addBucketSample(prev.canary, canary) : prev.canary,
    baseline: baseline ? addBucketSample(prev.baseline, baseline) : prev.baseline,
  };
  if (!canary || !baseline) return state;
  const nC = totalCount(canary.buckets);
  const nB = totalCount(baseline.buckets);
  const median =
    totalCount(prev.baseline.buckets) > 0
      ? bucketQuantile(prev.baseline.buckets, 0.5)
      : bucketQuantile(addBuckets(canary.buckets, baseline.buckets), 0.5);
  if (median === undefined || !(nC > 0 && nB > 0)) return state;
  const aboveC = whole(countAbove(canary.buckets, median));
  const aboveB = whole(countAbove(baseline.buckets, median));
  const look = { bad: aboveC, trials: aboveC + aboveB, offset: Math.log(nC / nB) };
  state.up = addSubTestLook(prev.up, look, ctx);
  state.down = addSubTestLook(prev.down, look, ctx);
  return state;
}

export const distributionSubTests = (s: DistributionState): SubTest[] => [s.up, s.down];

export function distributionDisplay(t: BucketTotals): number | undefined {
  const n = totalCount(t.buckets);
  return t.hasSum && n > 0 ? t.sum / n : bucketQuantile(t.buckets, 0.5);
}

export function distributionClaims(s: DistributionState, alpha: number, detail = true): Claim[] {
  const name = s.spec.name;
  const f = Math.exp(s.up.theta0);
  const what = "share of canary scores above the baseline's median";
  return [
    claimOf(
      s.up,
      { alpha, detail },
      {
        claim: `${name}: ${what} ≤ ${fmt(f)} × the baseline's`,
        supported: (th) => `${what} ≤ ${fmt(Math.exp(th))} × the baseline's`,
      },
    ),
    claimOf(
      s.down,
      { alpha, detail },
      {
        claim: `${name}: ${what} ≥ ${fmt(1 / f)} × the baseline's`,
        supported: (th) => `${what} ≥ ${fmt(Math.exp(th))} × the baseline's`,
      },
    ),
  ];
}

export function distributionEffect(s: DistributionState, level: number): Effect | undefined {
  return relativeEffect(s.up, level, {
    measure: "share of scores above the baseline's median, canary / baseline − 1",
  });
}
