/**
 * An anytime-valid test on a log-odds shift θ of a binomial proportion, with offsets
 * that may change from look to look.
 *
 * Each look gives k "bad" events out of m trials, with P(bad) = σ(θ + offset). Two uses:
 * - canary against baseline (conditional binomial): the m bad events of both tracks,
 *   k of them the canary's, offset = log(canary exposure / baseline exposure); then θ is
 *   the log of the ratio of the two bad-event rates (exact for Poisson counts; for
 *   Bernoulli requests at θ = 0 the hypergeometric is dominated by the binomial in convex
 *   order, Hoeffding 1963, so the test stays valid);
 * - canary against an absolute bound b: the canary's k bad events out of m, offset =
 *   logit(b); then θ is the log-odds ratio of the canary's rate to the bound.
 *
 * The e-process for H0: θ ≤ θ0 is a mixture of likelihood ratios over alternatives
 * θ0 + δ (δ > 0). Each look's ratio has expectation ≤ 1 under H0 given the past (one
 * parameter exponential family, monotone likelihood ratio), so the mixture is a test
 * supermartingale and, by Ville's inequality, P(ever ≥ 1/α) ≤ α however often one looks.
 */

export interface BinomialLook {
  bad: number;
  trials: number;
  offset: number;
}

/**
 * Shifts δ of the mixture (log-odds) and their prior weights. The small shifts matter for
 * passing: showing a canary inside a 10 % tolerance means rejecting a null only
 * log(1.1) ≈ 0.1 away, which a mixture starting at 0.25 cannot do early.
 */
export const MIXTURE_SHIFTS = [0.04, 0.08, 0.15, 0.3, 0.6, 1.2, 2.4] as const;
export const MIXTURE_WEIGHTS = [1 / 7, 1 / 7, 1 / 7, 1 / 7, 1 / 7, 1 / 7, 1 / 7] as const;

/** The grid on which log-likelihoods are kept for confidence sequences. */
export const GRID_STEP = 0.05;
export const GRID_MIN = -6;
export const GRID_SIZE = 241;

export interface ShiftState {
  looks: BinomialLook[];
  /** Log-likelihood at each grid point (up to a constant), summed over looks. */
  grid: number[];
  bad: number;
  trials: number;
}

export function emptyShiftState(): ShiftState {
  return { looks: [], grid: new Array<number>(GRID_SIZE).fill(0), bad: 0, trials: 0 };
}

function softplus(x: number): number {
  return x > 30 ? x : Math.log1p(Math.exp(x));
}

function lookLogLik(look: BinomialLook, theta: number): number {
  const x = theta + look.offset;
  return look.bad * x - look.trials * softplus(x);
}

/** A new state with one more look; looks without trials or with an infinite offset add nothing. */
export function addLook(state: ShiftState, look: BinomialLook): ShiftState {
  if (!(look.trials > 0) || !Number.isFinite(look.offset)) return state;
  const grid = state.grid.map((v, i) => v + lookLogLik(look, GRID_MIN + i * GRID_STEP));
  return {
    looks: [...state.looks, look],
    grid,
    bad: state.bad + look.bad,
    trials: state.trials + look.trials,
  };
}

export function logLikelihood(state: ShiftState, theta: number): number {
  let sum = 0;
  for (const look of state.looks) sum += lookLogLik(look, theta);
  return sum;
}

function logMixture(state: ShiftState, theta0: number, sign: 1 | -1): number {
  if (state.looks.length === 0) return 0;
  const base = logLikelihood(state, theta0);
  const terms = MIXTURE_SHIFTS.map(
    (d, j) =>
      Math.log(MIXTURE_WEIGHTS[j] as number) + logLikelihood(state, theta0 + sign * d) - base,
  );
  const top = Math.max(...terms);
  return top + Math.log(terms.reduce((s, t) => s + Math.exp(t - top), 0));
}

/** log e-value against H0: θ ≤ θ0 (evidence that the canary is worse). */
export function logEvidenceAbove(state: ShiftState, theta0: number): number {
  return logMixture(state, theta0, 1);
}

/** log e-value against H0: θ ≥ θ0 (evidence that the canary is better than θ0). */
export function logEvidenceBelow(state: ShiftState, theta0: number): number {
  return logMixture(state, theta0, -1);
}

function gridMixture(state: ShiftState, g: number, sign: 1 | -1): number {
  const base = state.grid[g] as number;
  let sum = 0;
  MIXTURE_SHIFTS.forEach((d, j) => {
    const h = g + sign * Math.round(d / GRID_STEP);
    if (h >= 0 && h < GRID_SIZE)
      sum += (MIXTURE_WEIGHTS[j] as number) * Math.exp((state.grid[h] as number) - base);
  });
  return sum;
}

export interface Interval {
  lower: number;
  upper: number;
}

/**
 * The (1 − α) confidence sequence for θ: the grid points that neither one-sided test at α/2
 * rejects. Unbounded ends are ±Infinity. Before any data it is the whole line.
 */
export function confidenceSequence(state: ShiftState, alpha: number): Interval {
  if (state.looks.length === 0) return { lower: -Infinity, upper: Infinity };
  const limit = 2 / alpha;
  let best = 0;
  for (let g = 1; g < GRID_SIZE; g++)
    if ((state.grid[g] as number) > (state.grid[best] as number)) best = g;
  let lo = best;
  while (lo > 0 && gridMixture(state, lo - 1, 1) < limit) lo--;
  let hi = best;
  while (hi < GRID_SIZE - 1 && gridMixture(state, hi + 1, -1) < limit) hi++;
  return {
    lower: lo === 0 ? -Infinity : GRID_MIN + lo * GRID_STEP,
    upper: hi === GRID_SIZE - 1 ? Infinity : GRID_MIN + hi * GRID_STEP,
  };
}

export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** The maximum-likelihood θ (bisection on the score; ±6 when the data sit at an edge). */
export function estimateTheta(state: ShiftState): number {
  let lo = GRID_MIN;
  let hi = -GRID_MIN;
  const score = (theta: number) =>
    state.looks.reduce((s, l) => s + l.bad - l.trials / (1 + Math.exp(-(theta + l.offset))), 0);
  if (score(lo) <= 0) return lo;
  if (score(hi) >= 0) return hi;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (score(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * One side of the anytime-valid confidence sequence at level 1 − α: `upper` is the least θ0
 * whose "θ ≥ θ0" null the e-process rejects (so θ < upper, at 1 − α), `lower` the greatest
 * θ0 whose "θ ≤ θ0" null it rejects. ±Infinity when no value in ±6 is rejected.
 */
export function oneSidedBound(state: ShiftState, alpha: number, side: 'upper' | 'lower'): number {
  const limit = Math.log(1 / alpha);
  const rejects = (theta: number) =>
    side === 'upper'
      ? logEvidenceBelow(state, theta) >= limit
      : logEvidenceAbove(state, theta) >= limit;
  const far = side === 'upper' ? -GRID_MIN : GRID_MIN;
  if (state.looks.length === 0 || !rejects(far)) return side === 'upper' ? Infinity : -Infinity;
  let inside = far;
  let outside = estimateTheta(state);
  if (rejects(outside)) return outside;
  for (let i = 0; i < 40; i++) {
    const mid = (inside + outside) / 2;
    if (rejects(mid)) inside = mid;
    else outside = mid;
  }
  return inside;
}
