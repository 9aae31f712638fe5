import {
  addLook,
  emptyShiftState,
  estimateTheta,
  logEvidenceAbove,
  logEvidenceBelow,
  oneSidedBound,
  type BinomialLook,
  type ShiftState,
} from './shift-e-process.js';
import { emptySpending, spendLook, spendingTarget, type SpendingState } from './spending.js';

/**
 * One null hypothesis of a metric about a log-odds shift θ (see shift-e-process.ts), tested
 * both ways:
 * - fail: "the canary is no worse than θ0" is rejected when the canary's bad events cross
 *   the spending boundary (spending.ts) at this sub-test's share of alpha;
 * - pass: "the canary is worse than θ0" is rejected when the reverse mixture e-process
 *   reaches 1/α (Ville); inverting it gives the margin a pass certifies, anytime-valid.
 */
export interface SubTest {
  kind: 'relative' | 'absolute';
  /** Which direction of θ is worse for the canary. */
  worse: 'above' | 'below';
  /** The null's edge: log(1 + tolerance) (relative) or 0 (the bound itself, absolute). */
  theta0: number;
  /** A tolerance the user set: a pass at the end needs it shown (bounds and tolerance 0 do not). */
  required: boolean;
  /** This sub-test's share of alpha for failing. */
  alpha: number;
  data: ShiftState;
  spending: SpendingState;
  /** The look at which the spending boundary was crossed. */
  failedAt?: number;
}

export function newSubTest(
  o: Pick<SubTest, 'kind' | 'worse' | 'theta0' | 'required' | 'alpha'>,
): SubTest {
  return { ...o, data: emptyShiftState(), spending: emptySpending() };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Where the look sits in the gate: its number and its share of maxDuration (for spending). */
export interface LookContext {
  look: number;
  t: number;
  /** log(1 + gate.stableMargin): ratio metrics may pool the stable track (stable-reference.ts). */
  stableMargin?: number;
}

/**
 * Adds one look's counts; marks the sub-test failed when its boundary is crossed. `failLook`
 * (an "above" sub-test only) replaces the look on the failing side: the same canary count
 * against a wider reference, with its own shift of θ0 (stable-reference.ts). The pass side's
 * evidence always uses `look`.
 */
export function addSubTestLook(
  test: SubTest,
  look: BinomialLook,
  ctx: LookContext,
  failLook?: BinomialLook & { shift: number },
): SubTest {
  if (!(look.trials > 0) || !Number.isFinite(look.offset)) return test;
  const data = addLook(test.data, look);
  if (test.failedAt !== undefined) return { ...test, data };
  // "below" sub-tests count the other outcome, so that a large count is always the bad side.
  const up = test.worse === 'above';
  const fail = up && failLook && failLook.bad === look.bad ? failLook : undefined;
  const edge = test.theta0 + (fail ? fail.offset + fail.shift : look.offset);
  const p = sigmoid(up ? edge : -edge);
  const spent = spendLook(test.spending, {
    trials: fail ? fail.trials : look.trials,
    p,
    target: spendingTarget(test.alpha, ctx.t),
  });
  const count = up ? data.bad : data.trials - data.bad;
  return {
    ...test,
    data,
    spending: spent.state,
    failedAt: count >= spent.boundary ? ctx.look : undefined,
  };
}

/** log e-value against "no worse than θ0" (shown in the report; the boundary decides). */
export function logEvidenceWorse(test: SubTest): number {
  return test.worse === 'above'
    ? logEvidenceAbove(test.data, test.theta0)
    : logEvidenceBelow(test.data, test.theta0);
}

/** Whether the data show, at 1 − α, that the canary is on the good side of θ0. */
export function shownInside(test: SubTest, alpha: number): boolean {
  const e =
    test.worse === 'above'
      ? logEvidenceBelow(test.data, test.theta0)
      : logEvidenceAbove(test.data, test.theta0);
  return test.data.looks.length > 0 && e >= Math.log(1 / alpha);
}

/** The θ the data support at 1 − α: the canary's θ is below it ("above" tests) or above it. */
export function supportedTheta(test: SubTest, alpha: number): number {
  return oneSidedBound(test.data, alpha, test.worse === 'above' ? 'upper' : 'lower');
}

/**
 * Roughly how many times the data so far would settle the claim: the interval's half-width
 * shrinks like 1/√n, so it takes (width / room)², where room is the gap between the
 * estimate and θ0. Undefined when the estimate itself is beyond θ0 (more data would not).
 */
export function moreTraffic(test: SubTest, alpha: number): number | undefined {
  if (test.data.looks.length === 0) return undefined;
  const estimate = estimateTheta(test.data);
  const bound = supportedTheta(test, alpha);
  const sign = test.worse === 'above' ? 1 : -1;
  const room = sign * (test.theta0 - estimate);
  const width = sign * (bound - estimate);
  if (!(room > 0) || !Number.isFinite(width)) return undefined;
  return Math.max(1, (width / room) ** 2);
}
