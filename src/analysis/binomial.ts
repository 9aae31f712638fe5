/** Exact binomial probabilities for the spending boundaries (no dependency on a stats library). */

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-13). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Probabilities of Binomial(n, p) at from, from + 1, …; mass below ~1e-16 on either side is left out. */
export interface Pmf {
  from: number;
  probs: Float64Array;
}

export function binomialPmf(n: number, p: number): Pmf {
  if (n <= 0 || p <= 0) return { from: 0, probs: Float64Array.of(1) };
  if (p >= 1) return { from: n, probs: Float64Array.of(1) };
  const sd = Math.sqrt(n * p * (1 - p));
  const lo = Math.max(0, Math.floor(n * p - 9 * sd - 8));
  const hi = Math.min(n, Math.ceil(n * p + 9 * sd + 8));
  const probs = new Float64Array(hi - lo + 1);
  const logOdds = Math.log(p) - Math.log1p(-p);
  let logP =
    logGamma(n + 1) -
    logGamma(lo + 1) -
    logGamma(n - lo + 1) +
    lo * Math.log(p) +
    (n - lo) * Math.log1p(-p);
  for (let k = lo; k <= hi; k++) {
    probs[k - lo] = Math.exp(logP);
    logP += Math.log((n - k) / (k + 1)) + logOdds;
  }
  return { from: lo, probs };
}
