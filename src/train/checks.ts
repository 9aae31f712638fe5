import type { Amount } from '../config/types.js';
import type { Metrics } from './metrics-file.js';

export type CheckStatus = 'pass' | 'fail';

export interface MetricCheck {
  metric: string;
  value?: number;
  threshold?: string;
  baseline?: number;
  delta?: number;
  allowed?: string;
  status: CheckStatus;
  /** Why it failed, in words. */
  problems: string[];
}

export type Regression = Amount | { max: Amount; better: 'higher' | 'lower' };

const LOWER_IS_BETTER = /(loss|error|err|latency|rmse|mse|mae|perplexity|duration|time)/i;

export function lowerIsBetter(metric: string): boolean {
  return LOWER_IS_BETTER.test(metric.split('.').at(-1) ?? metric);
}

/** The allowed regression in metric units, given the baseline value. */
export function allowedRegression(amount: Amount, baseline: number): number {
  return typeof amount === 'number'
    ? amount
    : (Math.abs(baseline) * Number(amount.slice(0, -1))) / 100;
}

export interface CheckInput {
  metrics: Metrics;
  thresholds: Record<string, { min?: number; max?: number }>;
  baseline?: Metrics;
  maxRegression: Record<string, Regression>;
}

/** Checks thresholds and regressions. Pure: the same inputs always give the same table. */
export function checkMetrics(input: CheckInput): MetricCheck[] {
  const names = new Set([
    ...Object.keys(input.metrics),
    ...Object.keys(input.thresholds),
    ...Object.keys(input.maxRegression),
  ]);
  return [...names].sort().map((metric) => {
    const value = input.metrics[metric];
    const problems: string[] = [];
    const t = input.thresholds[metric];
    const rule = input.maxRegression[metric];
    const base = input.baseline?.[metric];
    const check: MetricCheck = { metric, value, baseline: base, status: 'pass', problems };
    if (t)
      check.threshold = [
        t.min !== undefined ? `≥ ${t.min}` : '',
        t.max !== undefined ? `≤ ${t.max}` : '',
      ]
        .filter(Boolean)
        .join(', ');
    if (value === undefined) {
      if (t || rule) problems.push(`${metric} is missing from the metrics file`);
    } else {
      if (t?.min !== undefined && value < t.min)
        problems.push(`${metric} = ${value} is below the minimum ${t.min}`);
      if (t?.max !== undefined && value > t.max)
        problems.push(`${metric} = ${value} is above the maximum ${t.max}`);
      if (base !== undefined) check.delta = value - base;
      if (rule !== undefined && base !== undefined) {
        const { max, better } =
          typeof rule === 'object'
            ? rule
            : { max: rule, better: lowerIsBetter(metric) ? 'lower' : 'higher' };
        const allowed = allowedRegression(max, base);
        check.allowed = `${better === 'higher' ? '−' : '+'}${typeof max === 'number' ? max : `${max} (${Number(allowed.toPrecision(4))})`}`;
        const regression = better === 'higher' ? base - value : value - base;
        if (regression > allowed + 1e-12) {
          problems.push(
            `${metric} regressed from ${base} to ${value} (${better} is better; allowed ${typeof max === 'number' ? max : max} of the baseline)`,
          );
        }
      }
    }
    check.status = problems.length ? 'fail' : 'pass';
    return check;
  });
}
