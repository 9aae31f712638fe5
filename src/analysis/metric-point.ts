import type { MetricBase } from './metric-common.js';
import type { MetricSpec, Sample, Tolerance } from './types.js';

/**
 * gauge and query: point checks of the canary's value at every look. They carry no error
 * control: a value has no sample size, so a noisy gauge checked at 20 looks fails more
 * often than once in 20 noisy readings would suggest. The report says so.
 */
export interface PointState extends MetricBase {
  type: 'gauge' | 'query';
  canary: { value?: number; looks: number };
  baseline: { value?: number; looks: number };
}

export const POINT_NOTE =
  'a point check at every look: no error control (a noisy value can fail by chance, and a pass certifies only the values read)';

export function initialPoint(spec: MetricSpec, alpha: number): PointState {
  const type = spec.type === 'query' ? 'query' : 'gauge';
  return { spec, alpha, type, canary: { looks: 0 }, baseline: { looks: 0 }, note: POINT_NOTE };
}

export function updatePoint(
  prev: PointState,
  c: Sample | undefined,
  b: Sample | undefined,
): PointState {
  const next = (t: PointState['canary'], s: Sample | undefined) =>
    s?.kind === 'value' ? { value: s.value, looks: t.looks + 1 } : t;
  return { ...prev, canary: next(prev.canary, c), baseline: next(prev.baseline, b) };
}

export function formatTolerance(t: Tolerance): string {
  return t.percent ? `${t.value}%` : String(t.value);
}

/** The canary's value against min/max, and against the baseline's value at the same look. */
export function pointViolation(state: PointState): { reason: string; message: string } | undefined {
  const { spec } = state;
  const c = state.canary.value;
  const b = state.baseline.value;
  if (c === undefined) return undefined;
  if (spec.max !== undefined && c > spec.max)
    return { reason: 'threshold_exceeded', message: `${spec.name} ${c} > max ${spec.max}` };
  if (spec.min !== undefined && c < spec.min)
    return { reason: 'threshold_exceeded', message: `${spec.name} ${c} < min ${spec.min}` };
  if (b === undefined) return undefined;
  const limit = (t: Tolerance) => (t.percent ? (Math.abs(b) * t.value) / 100 : t.value);
  if (spec.maxIncrease && c - b > limit(spec.maxIncrease)) {
    return {
      reason: 'canary_worse_than_baseline',
      message: `${spec.name} ${c} exceeds baseline ${b} by more than ${formatTolerance(spec.maxIncrease)}`,
    };
  }
  if (spec.maxDecrease && b - c > limit(spec.maxDecrease)) {
    return {
      reason: 'canary_worse_than_baseline',
      message: `${spec.name} ${c} is below baseline ${b} by more than ${formatTolerance(spec.maxDecrease)}`,
    };
  }
  return undefined;
}
