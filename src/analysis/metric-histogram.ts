import { bucketAround, bucketQuantile, countAbove, largestFiniteBound } from './histogram.js';
import {
  addBucketLook,
  whole,
  claimOf,
  emptyBucketTotals,
  fmt,
  logit,
  relativeEffect,
  sigmoid,
  type BucketTotals,
  type MetricBase,
} from './metric-common.js';
import { addSubTestLook, newSubTest, type LookContext, type SubTest } from './sub-test.js';
import type { Claim, Effect, MetricSpec, Sample } from './types.js';

/**
 * histogram: the q-quantile in the user's units, as histogram_quantile computes it.
 * - `maxIncrease` (tolerance t; 0 compares the quantiles themselves): the null "canary's
 *   quantile ≤ (1 + t) × baseline's" holds exactly when the canary's share above
 *   (1 + t) × Q_b is at most the baseline's share above Q_b (= 1 − q). Q_b is the
 *   baseline's quantile from the previous looks; both shares are read by interpolating
 *   inside the bucket, and the two counts go to the conditional-binomial test (θ0 = 0).
 * - `max`: the canary's share above `max` (interpolated) against 1 − q, alone.
 * A change in the tail beyond the quantile's bucket moves neither count.
 */
export interface HistogramState extends MetricBase {
  type: 'histogram';
  quantile: number;
  canary: BucketTotals;
  baseline: BucketTotals;
  relative: SubTest;
  absolute?: SubTest;
  /** The baseline quantile the last look compared at. */
  reference?: number;
}

export function initialHistogram(spec: MetricSpec, alpha: number): HistogramState {
  const tol = spec.maxIncrease;
  const share = alpha / (spec.max === undefined ? 1 : 2);
  return {
    spec,
    alpha,
    type: 'histogram',
    quantile: spec.quantile ?? 0.95,
    canary: emptyBucketTotals(),
    baseline: emptyBucketTotals(),
    relative: newSubTest({
      kind: 'relative',
      worse: 'above',
      theta0: 0,
      required: (tol?.value ?? 0) > 0,
      alpha: share,
    }),
    absolute:
      spec.max === undefined
        ? undefined
        : newSubTest({
            kind: 'absolute',
            worse: 'above',
            theta0: 0,
            required: false,
            alpha: share,
          }),
  };
}

/** (1 + t) for a percent tolerance; for an absolute one (seconds), relative to the reference. */
function factorOf(spec: MetricSpec, reference: number): number {
  const tol = spec.maxIncrease;
  if (!tol) return 1;
  return tol.percent ? 1 + tol.value / 100 : (reference + tol.value) / reference;
}

export function updateHistogram(
  prev: HistogramState,
  canary: Sample | undefined,
  baseline: Sample | undefined,
  ctx: LookContext,
): HistogramState {
  const q = prev.quantile;
  const { state, look } = addBucketLook(prev, { canary, baseline, quantile: q });
  if (!look) return state;
  const { reference, nC, nB } = look;
  if (reference !== undefined && reference > 0) {
    state.reference = reference;
    const aboveC = whole(
      countAbove(look.canary.buckets, factorOf(prev.spec, reference) * reference),
    );
    const aboveB = whole(countAbove(look.baseline.buckets, reference));
    state.relative = addSubTestLook(
      prev.relative,
      { bad: aboveC, trials: aboveC + aboveB, offset: Math.log(nC / nB) },
      ctx,
    );
  }
  const max = prev.spec.max;
  if (prev.absolute && max !== undefined) {
    const largest = largestFiniteBound(look.canary.buckets);
    if (largest === undefined || max > largest) {
      state.note = `max ${max} is beyond the largest finite bucket bound (${largest ?? 'none'}): it cannot be tested`;
    } else {
      state.absolute = addSubTestLook(
        prev.absolute,
        { bad: whole(countAbove(look.canary.buckets, max)), trials: nC, offset: logit(1 - q) },
        ctx,
      );
    }
  }
  return state;
}

export const histogramSubTests = (s: HistogramState): SubTest[] => [
  s.relative,
  ...(s.absolute ? [s.absolute] : []),
];

export const histogramDisplay = (s: HistogramState, t: BucketTotals): number | undefined =>
  bucketQuantile(t.buckets, s.quantile);

const pName = (q: number) => `p${fmt(q * 100)}`;

export function histogramClaims(s: HistogramState, alpha: number, detail = true): Claim[] {
  const p = pName(s.quantile);
  const tail = 1 - s.quantile;
  const tol = s.spec.maxIncrease;
  const share = (th: number) => `${fmt(100 * Math.min(1, tail * Math.exp(th)))}%`;
  const claims = [
    claimOf(
      s.relative,
      { alpha, detail },
      {
        claim:
          !tol || tol.value === 0
            ? `canary ${p} ≤ baseline ${p}`
            : tol.percent
              ? `canary ${p} ≤ ${fmt(1 + tol.value / 100)} × baseline ${p}`
              : `canary ${p} ≤ baseline ${p} + ${tol.value}`,
        supported: (th) =>
          `share of canary requests above that limit ≤ ${share(th)} (a pass needs < ${fmt(100 * tail)}%)`,
      },
    ),
  ];
  const abs = s.absolute;
  const max = s.spec.max;
  if (abs && max !== undefined) {
    claims.push(
      claimOf(
        abs,
        { alpha, detail },
        {
          claim: `canary ${p} ≤ ${max}`,
          supported: (th) =>
            `share of canary requests above ${max} ≤ ${fmt(100 * sigmoid(logit(tail) + th))}% (a pass needs < ${fmt(100 * tail)}%)`,
        },
      ),
    );
  }
  return claims;
}

/** The bucket holding the baseline's quantile: what "interpolated" can resolve. */
export function histogramResolution(
  s: HistogramState,
): { quantile: number; value: number; lower: number; upper?: number } | undefined {
  const value = bucketQuantile(s.baseline.buckets, s.quantile);
  if (value === undefined) return undefined;
  return { quantile: s.quantile, value, ...bucketAround(s.baseline.buckets, value) };
}

export function histogramEffect(s: HistogramState, level: number): Effect | undefined {
  const p = pName(s.quantile);
  return relativeEffect(s.relative, level, {
    measure: `canary's share above (1 + tolerance) × baseline ${p} / baseline's share above its ${p} − 1`,
  });
}
