import { bucketQuantile, countAbove, totalCount } from './histogram.js';
import {
  addBucketLook,
  whole,
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

export function updateDistribution(
  prev: DistributionState,
  canary: Sample | undefined,
  baseline: Sample | undefined,
  ctx: LookContext,
): DistributionState {
  const { state, look } = addBucketLook(prev, { canary, baseline, quantile: 0.5 });
  if (!look || look.reference === undefined) return state;
  const aboveC = whole(countAbove(look.canary.buckets, look.reference));
  const aboveB = whole(countAbove(look.baseline.buckets, look.reference));
  const counts = { bad: aboveC, trials: aboveC + aboveB, offset: Math.log(look.nC / look.nB) };
  state.up = addSubTestLook(prev.up, counts, ctx);
  state.down = addSubTestLook(prev.down, counts, ctx);
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
