import { describe, expect, it } from 'vitest';
import type { MetricSpec } from '../../../src/analysis/types.js';
import { normalCdf } from '../../../bench/gate/random.js';
import { LATENCY_BOUNDS } from '../../../bench/gate/simulator.js';
import { both, drive, histogram, settings } from './drive.js';

// Finding 1 of issue 16: a histogram metric judges the quantile the user named, in seconds,
// as histogram_quantile computes it. Large, exact looks (20,000 requests per track) make
// each outcome a property of the rule, not of noise.
const N = 20_000;
const Z95 = 1.6448536269514722;
const Z99 = 2.3263478740408408;

/** Log-normal latency from its median and p95 (seconds); above the p95 the tail may be stretched to `p99`. */
function latency(o: { median: number; p95: number; p99?: number; scale?: number }) {
  const s1 = Math.log(o.p95 / o.median) / Z95;
  const s2 = o.p99 === undefined ? s1 : Math.log(o.p99 / o.p95) / (Z99 - Z95);
  const k = o.scale ?? 1;
  return (le: number) => {
    const x = le / k;
    return x <= o.p95
      ? normalCdf(Math.log(x / o.median) / s1)
      : normalCdf(Z95 + Math.log(x / o.p95) / s2);
  };
}

const p95 = (extra: Partial<MetricSpec>): MetricSpec => ({
  name: 'latency',
  type: 'histogram',
  critical: true,
  minSamples: 100,
  quantile: 0.95,
  ...extra,
});
// Baseline p95 0.25 s: between the bounds 0.2 and 0.3.
const BASE = { median: 0.08, p95: 0.25 };
const run = (spec: MetricSpec, canary: (le: number) => number, baseline = latency(BASE)) =>
  drive(settings([spec]), () =>
    both(histogram(LATENCY_BOUNDS, canary, N), histogram(LATENCY_BOUNDS, baseline, N), 'latency'),
  ).decision;

describe('histogram metrics judge the quantile in the user units', () => {
  const twenty = { maxIncrease: { percent: true, value: 20 } };

  it('maxIncrease 20% tolerates a p95 15 % higher, and fails one 30 % higher', () => {
    const inside = run(p95(twenty), latency({ ...BASE, scale: 1.15 }));
    expect(inside.verdict).not.toBe('fail');
    const beyond = run(p95(twenty), latency({ ...BASE, scale: 1.3 }));
    expect(beyond).toMatchObject({ verdict: 'fail', reason: 'canary_worse_than_baseline' });
  });

  it('max 0.4 s fails a canary whose p95 is 0.45 s, inside the bucket (0.3, 0.5]', () => {
    const slow = latency({ median: 0.15, p95: 0.45 });
    const decision = run(p95({ max: 0.4 }), slow, slow);
    expect(decision).toMatchObject({ verdict: 'fail', reason: 'threshold_exceeded' });
    expect(decision.metrics[0]?.canary).toBeGreaterThan(0.4);
  });

  it('max 0.5 s certifies a canary whose p95 is 0.45 s', () => {
    const slow = latency({ median: 0.15, p95: 0.45 });
    const decision = run(p95({ max: 0.5, maxIncrease: { percent: true, value: 10 } }), slow, slow);
    expect(decision.verdict).toBe('pass');
    expect(decision.metrics[0]?.claims.find((c) => c.claim.includes('≤ 0.5'))?.shown).toBe(true);
  });

  it('tolerance 0 compares the quantiles, not the share above a bucket bound', () => {
    // Baseline p95 at 0.4 s; the canary's p95 is lower (0.333 s), though more of its
    // requests sit above the bound 0.3 (6 % against 5.1 %).
    const b = (le: number) => (le < 0.3 ? 0.9 : le < 0.5 ? 0.949 : le < 1 ? 0.951 : 1);
    const c = (le: number) => (le < 0.3 ? 0.9 : le < 0.5 ? 0.94 : 1);
    expect(run(p95({ maxIncrease: { percent: true, value: 0 } }), c, b).verdict).not.toBe('fail');
    // …and a canary whose p95 is higher (0.46 s against 0.4 s) fails.
    const higher = (le: number) => (le < 0.3 ? 0.9 : le < 0.5 ? 0.944 : le < 1 ? 0.95 : 1);
    expect(run(p95({ maxIncrease: { percent: true, value: 0 } }), higher, b).verdict).toBe('fail');
  });

  it('a tail change beyond the p95 does not fail a p95 gate', () => {
    // p99 doubles (0.4 s → 0.8 s) while the p95 stays at 0.25 s.
    const decision = run(
      p95(twenty),
      latency({ ...BASE, p99: 0.8 }),
      latency({ ...BASE, p99: 0.4 }),
    );
    expect(decision.verdict).not.toBe('fail');
  });

  it('says how finely the buckets resolve the quantile', () => {
    const decision = run(p95(twenty), latency(BASE));
    expect(decision.metrics[0]?.resolution).toMatchObject({
      quantile: 0.95,
      lower: 0.2,
      upper: 0.3,
    });
    expect(decision.metrics[0]?.resolution?.value).toBeGreaterThan(0.2);
    expect(decision.metrics[0]?.resolution?.value).toBeLessThan(0.3);
  });
});
