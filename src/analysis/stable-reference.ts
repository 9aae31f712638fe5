import type { BinomialLook } from './shift-e-process.js';
import { addSubTestLook, type LookContext, type SubTest } from './sub-test.js';

/**
 * The stable track as extra information about the baseline's rate (ratio metrics, the
 * failing side only), when the user opts in with `gate.stableMargin`.
 *
 * The stable track runs the baseline's release and carries most of the traffic (about 8×
 * the baseline's with a 10 % canary), so the baseline's rate of bad events is known far
 * better from both together than from the baseline alone. Pooling them is exact only when
 * they share a rate, and they need not: the baseline is freshly started (warm-up, caches,
 * pod age), the stable is not. So:
 *
 * - the margin δ = log(1 + stableMargin) is the user's assumption, and the null is widened
 *   to hold under it: if the stable's rate is at least the baseline's × e^(−δ), the pooled
 *   rate over exposures n_b and n_s is at least r_b · (n_b + n_s·e^(−δ)) / (n_b + n_s), so
 *   "canary ≤ (1 + t) × baseline" implies "canary ≤ (1 + t) × pooled × (n_b + n_s) /
 *   (n_b + n_s·e^(−δ))", a shift of θ0 known before the look: the test is exact for any
 *   stable within the margin, or worse than the baseline;
 * - the pooled test is a fixed design (the stable pooled whenever the look has it) at
 *   `POOLED_SHARE` of the side's fail share; the baseline-alone test keeps the rest, so a
 *   canary that is truly worse still fails when the pooled test is held back;
 * - a stable-vs-baseline check vetoes a crossing of the pooled test whenever the baseline's
 *   rate looks above the stable's × e^δ, even by less than a standard error (`GUARD_Z`
 *   below 0: the check leans to vetoing, since it sees only the baseline's few events). A
 *   veto only removes failures, so within the margin the level holds whatever the check
 *   does; beyond it, the check is what keeps the false-fail rate within the share:
 *   test/unit/gate/stable-reference.test.ts measures it over a grid of differences.
 *
 * No test can borrow from the stable track and keep its level at every difference between
 * the tracks with a gain in power everywhere (Kopp-Schneider, Calderazzo & Wiesenfarth
 * 2020, Biometrical Journal): the margin is an assumption the user makes, which is why this
 * is opt-in.
 */
export const GUARD_Z = -0.5;

/** Cumulative bad events and exposure of the baseline and the stable track so far. */
export interface ReferenceTotals {
  baselineBad: number;
  baselineN: number;
  stableBad: number;
  stableN: number;
}

/**
 * Whether the stable track may stand in for the baseline: both have data, and the baseline's
 * rate of bad events is not above the stable's × e^margin by more than GUARD_Z standard
 * errors of the log rate ratio (a stable worse than the baseline only costs power).
 */
export function stableAgrees(t: ReferenceTotals, margin: number): boolean {
  if (!(t.baselineN > 0 && t.stableN > 0)) return false;
  // Half an event of smoothing keeps the log ratio finite with zero counts.
  const b = t.baselineBad + 0.5;
  const s = t.stableBad + 0.5;
  const logRatio = Math.log(b / t.baselineN) - Math.log(s / t.stableN);
  const se = Math.sqrt(1 / b + 1 / s);
  return logRatio - margin <= GUARD_Z * se;
}

/**
 * The fail side's look with the stable track pooled into the reference: the conditional
 * binomial of the canary's bad events among all three tracks', and the shift of θ0 that
 * the margin costs (see above).
 */
export function pooledLook(o: {
  margin: number;
  canaryBad: number;
  canaryN: number;
  baselineBad: number;
  baselineN: number;
  stableBad: number;
  stableN: number;
}): BinomialLook & { shift: number } {
  const reference = o.baselineN + o.stableN;
  return {
    bad: o.canaryBad,
    trials: o.canaryBad + o.baselineBad + o.stableBad,
    offset: Math.log(o.canaryN / reference),
    shift: Math.log(reference / (o.baselineN + o.stableN * Math.exp(-o.margin))),
  };
}

/**
 * The part of a ratio side's fail share the pooled test gets; the baseline-alone test keeps
 * the rest, so that a canary that is truly worse still fails when the check vetoes the
 * pooled test (a stable that differs).
 */
export const POOLED_SHARE = 0.8;

export interface PooledTest {
  test: SubTest;
  /** Looks whose failing side had the stable track's counts. */
  pooledLooks: number;
  /** Crossings the stable-vs-baseline check vetoed. */
  vetoes: number;
}

export const newPooled = (test: SubTest): PooledTest => ({ test, pooledLooks: 0, vetoes: 0 });

interface TrackCounts {
  bad: number;
  n: number;
}

/**
 * One look of the pooled test. Its boundaries are those of a fixed design (the stable
 * pooled whenever the look has it), so they hold within the margin whatever the check does;
 * the check only vetoes a crossing (it can remove failures, never add one), using every look
 * so far, this one included.
 */
export function updatePooled(
  p: PooledTest,
  o: {
    margin: number;
    theta0: number;
    ctx: LookContext;
    canary: TrackCounts;
    baseline: TrackCounts;
    stable?: TrackCounts;
    /** Cumulative, this look included. */
    totals: ReferenceTotals;
  },
): PooledTest {
  const { canary, baseline, stable } = o;
  const failLook =
    stable && stable.n > 0
      ? pooledLook({
          margin: o.margin,
          canaryBad: canary.bad,
          canaryN: canary.n,
          baselineBad: baseline.bad,
          baselineN: baseline.n,
          stableBad: stable.bad,
          stableN: stable.n,
        })
      : undefined;
  let test = addSubTestLook(
    { ...p.test, theta0: o.theta0 },
    { bad: canary.bad, trials: canary.bad + baseline.bad, offset: Math.log(canary.n / baseline.n) },
    o.ctx,
    failLook,
  );
  let vetoes = p.vetoes;
  const crossed = p.test.failedAt === undefined && test.failedAt !== undefined;
  if (crossed && o.totals.stableN > 0 && !stableAgrees(o.totals, o.margin)) {
    test = { ...test, failedAt: undefined };
    vetoes++;
  }
  return {
    test,
    pooledLooks: p.pooledLooks + (failLook && p.test.failedAt === undefined ? 1 : 0),
    vetoes,
  };
}
