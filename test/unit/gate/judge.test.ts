import { describe, expect, it } from 'vitest';
import { initialJudgeState } from '../../../src/analysis/judge.js';
import type { MetricSpec, Sample } from '../../../src/analysis/types.js';
import { S, both, drive, settings } from './drive.js';

const ratio = (extra: Partial<MetricSpec> = {}): MetricSpec => ({
  name: 'errors',
  type: 'ratio',
  critical: false,
  minSamples: 100,
  max: 0.05,
  ...extra,
});
const counts = (numerator: number, denominator: number): Sample => ({
  kind: 'counts',
  numerator,
  denominator,
});

describe('judge', () => {
  it('fails a much worse canary, naming the reason, as soon as the evidence is there', () => {
    const { decision, looks } = drive(settings([ratio({ max: 0.5, critical: true })]), () =>
      both(counts(30, 200), counts(2, 200)),
    );
    expect(decision.verdict).toBe('fail');
    expect(decision.reason).toBe('canary_worse_than_baseline');
    expect(looks).toBeLessThanOrEqual(2);
    expect(decision.metrics[0]?.status).toBe('fail');
    expect(decision.metrics[0]?.effect?.lower).toBeGreaterThan(0);
  });

  it('fails on the absolute bound when canary and baseline are equally bad', () => {
    const { decision } = drive(settings([ratio({ max: 0.02, critical: true })]), () =>
      both(counts(20, 200), counts(20, 200)),
    );
    expect(decision.verdict).toBe('fail');
    expect(decision.reason).toBe('threshold_exceeded');
  });

  it('waits for minDuration before failing on a non-critical metric, not on a critical one', () => {
    const bad = () => both(counts(60, 200), counts(1, 200));
    const s = settings([ratio()], { minDurationMs: 120 * S });
    expect(drive(s, bad).looks).toBe(4);
    expect(
      drive(settings([ratio({ critical: true })], { minDurationMs: 120 * S }), bad).looks,
    ).toBe(1);
  });

  it('passes early once every interval sits inside its tolerance, never before minDuration', () => {
    const s = settings([ratio({ max: undefined, maxIncrease: { percent: true, value: 50 } })], {
      minDurationMs: 90 * S,
    });
    const { decision, looks } = drive(s, () => both(counts(100, 1000), counts(100, 1000)));
    expect(decision.verdict).toBe('pass');
    expect(decision.reason).toBe('all_metrics_within_bounds');
    expect(looks).toBeGreaterThanOrEqual(3);
    expect(looks).toBeLessThan(10);
  });

  it('passes at maxDuration without a tolerance when nothing failed', () => {
    const { decision, looks } = drive(settings([ratio()]), () =>
      both(counts(2, 100), counts(2, 100)),
    );
    expect(decision).toMatchObject({ verdict: 'pass', reason: 'no_regression_detected' });
    expect(looks).toBe(10);
  });

  it.each([
    [
      'no data at every look',
      () => ({ problem: { kind: 'no_data' as const, message: 'no series' } }),
      'no_data',
    ],
    [
      'source down at every look',
      () => ({ problem: { kind: 'unreachable' as const, message: 'refused' } }),
      'source_unreachable',
    ],
    ['too little traffic', () => both(counts(0, 5), counts(0, 5)), 'low_traffic'],
  ])('%s is inconclusive, never a pass', (_, look, reason) => {
    const { decision } = drive(settings([ratio()]), look);
    expect(decision).toMatchObject({ verdict: 'inconclusive', reason });
  });

  it('does not pass when the source goes down before the end', () => {
    const { decision } = drive(settings([ratio()]), (i) =>
      i < 6
        ? both(counts(2, 100), counts(2, 100))
        : { problem: { kind: 'unreachable', message: 'refused' } },
    );
    expect(decision.verdict).toBe('inconclusive');
    expect(decision.reason).toBe('source_unreachable');
  });

  it('treats accuracy (min) as a rate of misses', () => {
    const acc: MetricSpec = {
      name: 'accuracy',
      type: 'ratio',
      critical: true,
      minSamples: 100,
      min: 0.5,
    };
    const { decision } = drive(settings([acc]), () =>
      both(counts(140, 200), counts(190, 200), 'accuracy'),
    );
    expect(decision.verdict).toBe('fail');
    expect(decision.metrics[0]?.canary).toBeCloseTo(0.7);
    expect(decision.metrics[0]?.effect?.measure).toContain('1 − rate');
  });

  it('checks gauges against absolute bounds at each look', () => {
    const g: MetricSpec = {
      name: 'precision',
      type: 'gauge',
      critical: true,
      minSamples: 1,
      min: 0.75,
    };
    const v = (value: number): Sample => ({ kind: 'value', value });
    const { decision, looks } = drive(settings([g], { minDurationMs: 150 * S }), (i) =>
      both(v(i < 3 ? 0.8 : 0.7), v(0.8), 'precision'),
    );
    expect(decision).toMatchObject({ verdict: 'fail', reason: 'threshold_exceeded' });
    expect(looks).toBe(3);
  });

  it('compares query metrics with the baseline by the tolerance', () => {
    const q: MetricSpec = {
      name: 'q',
      type: 'query',
      critical: false,
      minSamples: 1,
      maxIncrease: { percent: true, value: 10 },
    };
    const v = (value: number): Sample => ({ kind: 'value', value });
    expect(drive(settings([q]), () => both(v(1.2), v(1), 'q')).decision.reason).toBe(
      'canary_worse_than_baseline',
    );
    expect(drive(settings([q]), () => both(v(1.05), v(1), 'q')).decision.verdict).toBe('pass');
  });

  it('detects a shifted score distribution in either direction', () => {
    const d: MetricSpec = { name: 'scores', type: 'distribution', critical: true, minSamples: 100 };
    const h = (below: number, total: number): Sample => ({
      kind: 'buckets',
      buckets: [
        { le: 0.5, count: below },
        { le: 1, count: total },
        { le: Infinity, count: total },
      ],
      count: total,
    });
    for (const canaryBelow of [40, 160]) {
      const { decision } = drive(settings([d]), () =>
        both(h(canaryBelow, 200), h(100, 200), 'scores'),
      );
      expect(decision).toMatchObject({ verdict: 'fail', reason: 'prediction_drift' });
    }
  });

  it('splits alpha between statistical metrics (Bonferroni)', () => {
    const s = settings([ratio(), ratio({ name: 'other' })]);
    expect(initialJudgeState(s).metrics.map((m) => m.alpha)).toEqual([0.005, 0.005]);
  });
});
