import {
  addCounts,
  asCounts,
  claimOf,
  emptyCounts,
  fmt,
  logit,
  relativeEffect,
  sigmoid,
  type CountTotals,
  type MetricBase,
} from './metric-common.js';
import { newPooled, POOLED_SHARE, updatePooled, type PooledTest } from './stable-reference.js';
import { addSubTestLook, newSubTest, type LookContext, type SubTest } from './sub-test.js';
import type { Claim, Effect, MetricSpec, Sample, Tolerance } from './types.js';

/**
 * ratio: errors / requests, correct / scored. An upper bound makes the numerator the bad
 * event (errors); a lower bound makes the misses, denominator − numerator, the bad event.
 */
export interface RatioSide {
  bad: 'numerator' | 'misses';
  /** Canary against baseline: θ = log(canary bad rate / baseline bad rate). */
  relative: SubTest;
  /** Canary alone against the bound on the bad rate (max, or 1 − min). */
  absolute?: { test: SubTest; bound: number };
  /**
   * With gate.stableMargin: the relative null tested again against baseline + stable, at
   * POOLED_SHARE of the side's fail share (`relative` keeps the rest; stable-reference.ts).
   */
  pooled?: PooledTest;
}

export interface RatioState extends MetricBase {
  type: 'ratio';
  canary: CountTotals;
  baseline: CountTotals;
  /** The stable track's totals, when the source reads it (extra evidence on the baseline's rate). */
  stable: CountTotals;
  sides: RatioSide[];
}

function sideNames(spec: MetricSpec): Array<RatioSide['bad']> {
  const up = spec.max !== undefined || spec.maxIncrease !== undefined;
  const down = spec.min !== undefined || spec.maxDecrease !== undefined;
  return [...(up || !down ? ['numerator' as const] : []), ...(down ? ['misses' as const] : [])];
}

const toleranceOf = (spec: MetricSpec, bad: RatioSide['bad']) =>
  bad === 'numerator' ? spec.maxIncrease : spec.maxDecrease;
const boundOf = (spec: MetricSpec, bad: RatioSide['bad']) =>
  bad === 'numerator' ? spec.max : spec.min === undefined ? undefined : 1 - spec.min;

export function initialRatio(spec: MetricSpec, alpha: number, stableMargin?: number): RatioState {
  const names = sideNames(spec);
  const bounded = names.filter((b) => {
    const bound = boundOf(spec, b);
    return bound !== undefined && bound > 0 && bound < 1;
  });
  const share = alpha / (names.length + bounded.length);
  const sides = names.map((bad): RatioSide => {
    const tol = toleranceOf(spec, bad);
    const bound = boundOf(spec, bad);
    const relative = {
      kind: 'relative' as const,
      worse: 'above' as const,
      theta0: tol?.percent && bad === 'numerator' ? Math.log1p(tol.value / 100) : 0,
      required: (tol?.value ?? 0) > 0,
    };
    const pooledShare = stableMargin === undefined ? 0 : POOLED_SHARE;
    return {
      bad,
      relative: newSubTest({ ...relative, alpha: share * (1 - pooledShare) }),
      ...(stableMargin === undefined
        ? {}
        : { pooled: newPooled(newSubTest({ ...relative, alpha: share * pooledShare })) }),
      absolute:
        bound !== undefined && bounded.includes(bad)
          ? {
              bound,
              test: newSubTest({
                kind: 'absolute',
                worse: 'above',
                theta0: 0,
                required: false,
                alpha: share,
              }),
            }
          : undefined,
    };
  });
  return {
    spec,
    alpha,
    type: 'ratio',
    canary: emptyCounts(),
    baseline: emptyCounts(),
    stable: emptyCounts(),
    sides,
  };
}

const badOf = (t: { numerator: number; denominator: number }, bad: RatioSide['bad']) =>
  bad === 'numerator' ? t.numerator : t.denominator - t.numerator;

/** Baseline bad rate with half an event of smoothing, so that zero counts give a finite θ0. */
const smoothedRate = (bad: number, n: number) => (bad + 0.5) / (n + 1);

/**
 * θ0 of a relative sub-test: log(1 + tolerance as a ratio of bad-event rates). Percent of
 * the error rate is exact; an absolute amount, and a percent of accuracy, are converted with
 * the baseline's rate from the previous looks (known before this look's data).
 */
function relativeTheta(
  tol: Tolerance | undefined,
  bad: RatioSide['bad'],
  base: CountTotals,
): number {
  if (!tol || tol.value === 0) return 0;
  const rate = smoothedRate(badOf(base, bad), base.denominator);
  if (bad === 'numerator')
    return tol.percent ? Math.log1p(tol.value / 100) : Math.log1p(tol.value / rate);
  const drop = tol.percent ? (tol.value / 100) * (1 - rate) : tol.value;
  return Math.log1p(drop / rate);
}

export function updateRatio(
  prev: RatioState,
  c: Sample | undefined,
  b: Sample | undefined,
  ctx: LookContext,
  st?: Sample,
): RatioState {
  const canary = asCounts(c);
  const baseline = asCounts(b);
  const stable = asCounts(st);
  const state: RatioState = {
    ...prev,
    canary: canary ? addCounts(prev.canary, canary) : prev.canary,
    baseline: baseline ? addCounts(prev.baseline, baseline) : prev.baseline,
    stable: stable ? addCounts(prev.stable, stable) : prev.stable,
  };
  if (!canary || !baseline || !(canary.denominator > 0)) return state;
  const reference = prev.baseline.denominator > 0 ? prev.baseline : state.baseline;
  state.sides = prev.sides.map((side) => {
    const badC = badOf(canary, side.bad);
    const badB = badOf(baseline, side.bad);
    const relative = {
      ...side.relative,
      theta0: relativeTheta(toleranceOf(prev.spec, side.bad), side.bad, reference),
    };
    const track = (bad: number, n: number) => ({ bad, n });
    return {
      ...side,
      pooled:
        side.pooled && baseline.denominator > 0 && ctx.stableMargin !== undefined
          ? updatePooled(side.pooled, {
              margin: ctx.stableMargin,
              theta0: relative.theta0,
              ctx,
              canary: track(badC, canary.denominator),
              baseline: track(badB, baseline.denominator),
              stable: stable && track(badOf(stable, side.bad), stable.denominator),
              totals: {
                baselineBad: badOf(state.baseline, side.bad),
                baselineN: state.baseline.denominator,
                stableBad: badOf(state.stable, side.bad),
                stableN: state.stable.denominator,
              },
            })
          : side.pooled,
      relative:
        baseline.denominator > 0
          ? addSubTestLook(
              relative,
              {
                bad: badC,
                trials: badC + badB,
                offset: Math.log(canary.denominator / baseline.denominator),
              },
              ctx,
            )
          : relative,
      absolute: side.absolute && {
        bound: side.absolute.bound,
        test: addSubTestLook(
          side.absolute.test,
          { bad: badC, trials: canary.denominator, offset: logit(side.absolute.bound) },
          ctx,
        ),
      },
    };
  });
  return state;
}

export const ratioSubTests = (s: RatioState): SubTest[] =>
  s.sides.flatMap((side) => [
    side.relative,
    ...(side.pooled ? [side.pooled.test] : []),
    ...(side.absolute ? [side.absolute.test] : []),
  ]);

export function ratioDisplay(t: CountTotals): number | undefined {
  return t.denominator > 0 ? t.numerator / t.denominator : undefined;
}

function relativeClaim(s: RatioState, side: RatioSide, alpha: number, detail: boolean): Claim {
  const name = s.spec.name;
  const tol = toleranceOf(s.spec, side.bad);
  const base = ratioDisplay(s.baseline) ?? 0;
  if (side.bad === 'numerator') {
    const claim =
      !tol || tol.value === 0
        ? `${name} no higher than the baseline's`
        : tol.percent
          ? `${name} ≤ ${fmt(1 + tol.value / 100)} × baseline`
          : `${name} ≤ baseline + ${tol.value}`;
    return claimOf(
      side.relative,
      { alpha, detail },
      {
        claim,
        supported: (th) => `${name} ≤ ${fmt(Math.exp(th))} × baseline`,
      },
    );
  }
  const claim =
    !tol || tol.value === 0
      ? `${name} no lower than the baseline's`
      : tol.percent
        ? `${name} ≥ baseline − ${tol.value}%`
        : `${name} ≥ baseline − ${tol.value}`;
  return claimOf(
    side.relative,
    { alpha, detail },
    {
      claim,
      supported: (th) =>
        `${name} ≥ baseline − ${fmt(Math.expm1(th) * (1 - base))} (misses ≤ ${fmt(Math.exp(th))} × baseline's)`,
    },
  );
}

/**
 * Below this many bad events on the baseline, a ratio of rates cannot be shown at all (no
 * errors on either track say nothing about their ratio): a relative tolerance is then
 * reported as not assessable, and the absolute bound, when there is one, must be shown instead.
 */
export const RARE_BAD_EVENTS = 10;

export function ratioClaims(s: RatioState, alpha: number, detail = true): Claim[] {
  const name = s.spec.name;
  return s.sides.flatMap((side) => {
    const relative = relativeClaim(s, side, alpha, detail);
    const baselineBad = badOf(s.baseline, side.bad);
    const rare = relative.required && side.absolute && baselineBad < RARE_BAD_EVENTS;
    const out = [
      rare
        ? {
            ...relative,
            required: false,
            notAssessable: true as const,
            claim: `${relative.claim} (not assessable: the baseline had ${baselineBad} bad events; the absolute bound stands in)`,
          }
        : relative,
    ];
    const abs = side.absolute;
    if (abs) {
      const up = side.bad === 'numerator';
      out.push(
        claimOf(
          abs.test,
          { alpha, detail },
          {
            claim: up ? `${name} ≤ ${abs.bound}` : `${name} ≥ ${fmt(1 - abs.bound)}`,
            supported: (th) => {
              const p = sigmoid(logit(abs.bound) + th);
              return up ? `${name} ≤ ${fmt(p)}` : `${name} ≥ ${fmt(1 - p)}`;
            },
          },
        ),
      );
      if (rare) out[1] = { ...(out[1] as Claim), required: true };
    }
    return out;
  });
}

export function ratioEffect(s: RatioState, level: number): Effect | undefined {
  const side = s.sides[0];
  if (!side) return undefined;
  const rate = (t: CountTotals) =>
    t.denominator > 0 ? badOf(t, side.bad) / t.denominator : undefined;
  return relativeEffect(side.relative, level, {
    measure:
      side.bad === 'numerator' ? 'rate, canary / baseline − 1' : '1 − rate, canary / baseline − 1',
    canaryRate: rate(s.canary),
    baselineRate: rate(s.baseline),
  });
}
