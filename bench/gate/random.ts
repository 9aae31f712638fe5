/** Seeded random numbers for the simulator: reproducible with the same seed. */

/** xorshift128+ style generator (32-bit arithmetic), uniform in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = (seed ^ 0x9e3779b9) >>> 0;
  let b = (Math.imul(seed, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  let c = 0x27d4eb2f;
  let d = 0x165667b1;
  const next = () => {
    // sfc32
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

/** Mixes a seed with integers (scenario, run) into a new 32-bit seed. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h >>> 0;
}

const LOG_FACT = [
  0, 0, 0.6931471805599453, 1.791759469228055, 3.1780538303479458, 4.787491742782046,
  6.579251212010101, 8.525161361065415, 10.60460290274525, 12.801827480081469,
];

function logFactorial(k: number): number {
  if (k < 10) return LOG_FACT[k] as number;
  const x = k + 1;
  // Stirling series for lgamma(x).
  return (
    (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x)
  );
}

/** Poisson(λ): inversion for small λ, Hörmann's PTRS transformed rejection otherwise. */
export function poisson(lambda: number, rnd: () => number): number {
  if (!(lambda > 0)) return 0;
  if (lambda < 10) {
    let k = 0;
    let p = Math.exp(-lambda);
    let s = p;
    const u = rnd();
    while (u > s && k < 1000) {
      k++;
      p *= lambda / k;
      s += p;
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rnd() - 0.5;
    const v = rnd();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (
      Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
      -lambda + k * loglam - logFactorial(k)
    )
      return k;
  }
}

/** Binomial(n, p) by geometric skips: O(n·min(p, 1−p)) expected steps. */
export function binomial(n: number, p: number, rnd: () => number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(n, 1 - p, rnd);
  const logq = Math.log(1 - p);
  let x = 0;
  let i = 0;
  for (;;) {
    i += Math.floor(Math.log(1 - rnd()) / logq) + 1;
    if (i > n) return x;
    x++;
  }
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Inverse of the standard normal CDF (Acklam's rational approximation). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  const poly = (k: number[], x: number) => k.reduce((s, v) => s * x + v, 0);
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}
