import { describe, expect, it } from 'vitest';
import { initialJudgeState } from '../../../src/analysis/judge.js';
import type { MetricSpec, Sample } from '../../../src/analysis/types.js';
import { both, drive, histogram, settings } from './drive.js';

// Finding 3 of issue 16: a pass certifies a margin; without the evidence the gate ends
// inconclusive (insufficient_evidence), never pass; a settled canary passes early.
const counts = (numerator: number, denominator: number): Sample => ({
  kind: 'counts',
  numerator,
  denominator,
});
const errors = (extra: Partial<MetricSpec>): MetricSpec => ({
  name: 'errors',
  type: 'ratio',
  critical: true,
  minSamples: 100,
  ...extra,
});
const plus50 = { maxIncrease: { percent: true, value: 50 } };

describe('a pass certifies a margin', () => {
  it('at maxDuration, a tolerance not shown is inconclusive with the supported margin and the traffic it would take', () => {
    // 1 % against 1 %, 150 requests a look: far too little to show "≤ 1.5 × baseline".
    const { decision, looks } = drive(settings([errors(plus50)]), (i) =>
      both(counts(i % 2, 150), counts((i + 1) % 2, 150), 'errors'),
    );
    expect(looks).toBe(10);
    expect(decision).toMatchObject({ verdict: 'inconclusive', reason: 'insufficient_evidence' });
    const claim = decision.metrics[0]?.claims[0];
    expect(claim).toMatchObject({ claim: 'errors ≤ 1.5 × baseline', required: true, shown: false });
    expect(claim?.supported).toMatch(/^errors ≤ [\d.]+ × baseline$/);
    expect(claim?.moreTraffic).toBeGreaterThan(1);
    expect(decision.message).toContain('the traffic so far');
    expect(decision.metrics[0]?.status).toBe('insufficient_evidence');
  });

  it('a canary beyond its tolerance does not pass at maxDuration', () => {
    // 1.8 % against 1 % with maxIncrease 50%: not enough data to fail, never a pass.
    const { decision } = drive(settings([errors(plus50)]), (i) =>
      both(counts(i % 5 < 4 ? 2 : 1, 100), counts(1, 100), 'errors'),
    );
    expect(decision.verdict).not.toBe('pass');
  });

  it('passes early, after minDuration, once the tolerance is shown, and states what it certifies', () => {
    const { decision, looks } = drive(settings([errors({ ...plus50, max: 0.05 })]), () =>
      both(counts(100, 10_000), counts(100, 10_000), 'errors'),
    );
    expect(decision).toMatchObject({ verdict: 'pass', reason: 'all_metrics_within_bounds' });
    expect(looks).toBeLessThan(10);
    expect(looks).toBeGreaterThanOrEqual(2);
    const [relative, absolute] = decision.metrics[0]?.claims ?? [];
    expect(relative?.shown).toBe(true);
    expect(absolute).toMatchObject({ claim: 'errors ≤ 0.05', shown: true });
    const factor = Number(/≤ ([\d.]+) ×/.exec(relative?.supported ?? '')?.[1]);
    expect(factor).toBeGreaterThan(1);
    expect(factor).toBeLessThanOrEqual(1.5);
    expect(decision.metrics[0]?.certifiedAt).toBe(0.99);
  });

  it('rests a rate tolerance on the absolute bound when the baseline has almost no bad events', () => {
    const { decision } = drive(
      settings([errors({ max: 0.02, maxIncrease: { percent: true, value: 100 } })]),
      () => both(counts(0, 2000), counts(0, 2000), 'errors'),
    );
    // Settled once the absolute bound is shown: an early pass, not one at maxDuration.
    expect(decision).toMatchObject({ verdict: 'pass', reason: 'all_metrics_within_bounds' });
    const [relative, absolute] = decision.metrics[0]?.claims ?? [];
    expect(relative).toMatchObject({ required: false, shown: false, notAssessable: true });
    expect(relative?.claim).toContain('not assessable');
    expect(absolute).toMatchObject({ claim: 'errors ≤ 0.02', required: true, shown: true });
  });

  it('without a tolerance it passes on no regression and says it certifies nothing', () => {
    const { decision } = drive(
      settings([errors({ maxIncrease: { percent: true, value: 0 } })]),
      () => both(counts(2, 100), counts(2, 100), 'errors'),
    );
    expect(decision).toMatchObject({ verdict: 'pass', reason: 'no_regression_detected' });
    expect(decision.metrics[0]?.note).toContain('certifies nothing');
  });

  it('drift with maxShift passes early when the distributions match', () => {
    const d: MetricSpec = {
      name: 'scores',
      type: 'distribution',
      critical: false,
      minSamples: 100,
      maxShift: { percent: true, value: 10 },
    };
    const bounds = [0.25, 0.5, 0.75, 1, Infinity];
    const h = histogram(bounds, (le) => Math.min(1, le), 4000);
    const { decision, looks } = drive(settings([d]), () => both(h, h, 'scores'));
    expect(decision).toMatchObject({ verdict: 'pass', reason: 'all_metrics_within_bounds' });
    expect(looks).toBeLessThan(10);
  });

  it('gauges and queries say they carry no error control', () => {
    const g: MetricSpec = { name: 'g', type: 'gauge', critical: false, minSamples: 1, min: 0.5 };
    const v: Sample = { kind: 'value', value: 0.9 };
    const { decision } = drive(settings([g]), () => both(v, v, 'g'));
    expect(decision.metrics[0]?.note).toContain('no error control');
  });

  it('gives critical metrics a larger share of alpha by default, and honours weight', () => {
    const s = settings([errors({ max: 0.1 }), errors({ name: 'acc', critical: false, min: 0.8 })]);
    expect(initialJudgeState(s).metrics.map((m) => m.alpha)).toEqual([0.0075, 0.0025]);
    const w = settings([
      errors({ max: 0.1, weight: 1 }),
      errors({ name: 'b', max: 0.1, weight: 4 }),
    ]);
    expect(initialJudgeState(w).metrics.map((m) => m.alpha)).toEqual([0.002, 0.008]);
  });
});
