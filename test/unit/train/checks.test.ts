import { describe, expect, it } from 'vitest';
import { allowedRegression, checkMetrics, lowerIsBetter } from '../../../src/train/checks.js';

describe('checkMetrics', () => {
  const metrics = { accuracy: 0.9, loss: 0.3, f1: 0.88 };

  it.each([
    ['within min', { accuracy: { min: 0.85 } }, 'pass', []],
    [
      'below min',
      { accuracy: { min: 0.95 } },
      'fail',
      ['accuracy = 0.9 is below the minimum 0.95'],
    ],
    ['above max', { loss: { max: 0.2 } }, 'fail', ['loss = 0.3 is above the maximum 0.2']],
    ['missing metric', { auc: { min: 0.5 } }, 'fail', ['auc is missing from the metrics file']],
  ])('thresholds: %s', (_name, thresholds, status, problems) => {
    const checks = checkMetrics({ metrics, thresholds, maxRegression: {} });
    const metric = Object.keys(thresholds)[0] as string;
    const check = checks.find((c) => c.metric === metric);
    expect(check?.status).toBe(status);
    expect(check?.problems).toEqual(problems);
  });

  it.each([
    // metric, baseline, rule, status
    ['accuracy', 0.91, '2%', 'pass'], // allowed 0.0182, regression 0.01
    ['accuracy', 0.95, '2%', 'fail'], // allowed 0.019, regression 0.05
    ['accuracy', 0.92, 0.02, 'pass'], // exactly at the limit
    ['accuracy', 0.93, 0.02, 'fail'],
    ['loss', 0.28, '10%', 'pass'], // lower is better: +0.02 allowed 0.028
    ['loss', 0.2, '10%', 'fail'],
    ['f1', 0.85, 0.01, 'pass'], // improvement
    ['loss', 0.35, { max: 0.01, better: 'higher' as const }, 'fail'], // explicit direction wins
  ])('regression: %s baseline %s rule %s → %s', (metric, base, rule, status) => {
    const checks = checkMetrics({
      metrics,
      thresholds: {},
      baseline: { [metric]: base },
      maxRegression: { [metric]: rule },
    });
    const check = checks.find((c) => c.metric === metric);
    expect(check?.status).toBe(status);
    expect(check?.delta).toBeCloseTo((metrics as Record<string, number>)[metric]! - base);
  });

  it('reports every metric, sorted, with baseline and delta even without rules', () => {
    const checks = checkMetrics({
      metrics,
      thresholds: {},
      baseline: { accuracy: 0.8 },
      maxRegression: {},
    });
    expect(checks.map((c) => c.metric)).toEqual(['accuracy', 'f1', 'loss']);
    expect(checks[0]).toMatchObject({ baseline: 0.8, status: 'pass' });
  });
});

describe('direction and amounts', () => {
  it.each([
    ['loss', true],
    ['eval.val_loss', true],
    ['error_rate', true],
    ['latency_p95', true],
    ['accuracy', false],
    ['f1', false],
  ])('%s lower is better: %s', (name, lower) => expect(lowerIsBetter(name)).toBe(lower));

  it.each([
    [0.05, 0.9, 0.05],
    ['10%', 0.5, 0.05],
    ['10%', -2, 0.2],
  ])('%s of baseline %s is %s', (amount, base, expected) =>
    expect(allowedRegression(amount as never, base)).toBeCloseTo(expected),
  );
});
