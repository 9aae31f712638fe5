import { describe, expect, it } from 'vitest';
import {
  LIMIT_CASES,
  computeLimit,
  neymanPearsonPower,
  nullMaxLogLik,
} from '../../../bench/gate/limits.js';
import { binomial, createRandom } from '../../../bench/gate/random.js';

const logChoose = (n: number, k: number) => {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
};
const pmf = (n: number, p: number, k: number) =>
  Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));

describe('bench:gate:limits', () => {
  it('computes the randomized Neyman-Pearson power of an exact binomial test', () => {
    const [n, p0, p1, alpha] = [50, 0.1, 0.3, 0.05];
    // Exact: reject above c, and at c with probability gamma.
    let c = n;
    let above = 0;
    while (above + pmf(n, p0, c) <= alpha) above += pmf(n, p0, c--);
    const gamma = (alpha - above) / pmf(n, p0, c);
    let exact = gamma * pmf(n, p1, c);
    for (let k = c + 1; k <= n; k++) exact += pmf(n, p1, k);

    const rnd = createRandom(11);
    const llr = (k: number) => k * Math.log(p1 / p0) + (n - k) * Math.log((1 - p1) / (1 - p0));
    const nul = Array.from({ length: 200_000 }, () => llr(binomial(n, p0, rnd)));
    const alt = Array.from({ length: 50_000 }, () => llr(binomial(n, p1, rnd)));
    expect(gamma).toBeGreaterThan(0.1); // the randomized part matters in this case
    expect(Math.abs(neymanPearsonPower(nul, alt, alpha) - exact)).toBeLessThan(0.01);
  });

  it('maximizes the likelihood over p_c ≤ min(bound, p_b) like a brute-force grid', () => {
    const ll = (k: number, n: number, p: number) => k * Math.log(p) + (n - k) * Math.log1p(-p);
    for (const [c, b, bound] of [
      [{ n: 300, k: 15 }, { n: 300, k: 3 }, 0.02],
      [{ n: 2400, k: 48 }, { n: 2400, k: 24 }, 0.02],
      [{ n: 600, k: 80 }, { n: 600, k: 50 }, 0.15],
      [{ n: 300, k: 2 }, { n: 300, k: 5 }, 0.02], // unconstrained maximum is inside the null
    ] as const) {
      let best = -Infinity;
      for (let i = 1; i <= 4000; i++) {
        const pc = (bound * i) / 4000;
        for (let j = 1; j <= 400; j++) {
          const pb = pc + ((0.5 - pc) * (j - 1)) / 399;
          best = Math.max(best, ll(c.k, c.n, pc) + ll(b.k, b.n, pb));
        }
      }
      const got = nullMaxLogLik(c, b, bound);
      expect(got).toBeGreaterThanOrEqual(best - 1e-6);
      expect(got - best).toBeLessThan(0.01);
    }
    // Counts at the edges (no canary errors, every baseline request bad) stay finite.
    expect(nullMaxLogLik({ n: 10, k: 0 }, { n: 5, k: 5 }, 0.5)).toBeCloseTo(0, 6);
  });

  it('never finds an anytime test stronger than the fixed-sample bound at the same look', () => {
    for (const c of LIMIT_CASES) {
      const r = computeLimit(c, 0.01, 4000, 5);
      expect(r.oracleSequential).toBeLessThan(r.fixedSampleBound);
      expect(r.fixedSampleBound).toBeGreaterThan(0);
      expect(r.fixedSampleBound).toBeLessThan(1);
    }
  });
});
