import type { JudgeSettings, MetricSpec, Tolerance } from '../analysis/types.js';
import type { Config } from '../config/schema.js';
import type { GateMetricConfig } from '../config/sections/gate.js';

/** Default least number of events per track for counts; point metrics need one look. */
export const DEFAULT_MIN_SAMPLES = 100;

export function toTolerance(a: number | string | undefined): Tolerance | undefined {
  if (a === undefined) return undefined;
  if (typeof a === 'number') return { percent: false, value: a };
  return { percent: true, value: Number(a.replace('%', '')) };
}

export function toMetricSpec(m: GateMetricConfig): MetricSpec {
  const point = m.type === 'gauge' || m.type === 'query';
  const spec: MetricSpec = {
    name: m.name,
    type: m.type,
    critical: m.critical,
    minSamples: m.minSamples ?? (point ? 1 : DEFAULT_MIN_SAMPLES),
  };
  if ('min' in m && m.min !== undefined) spec.min = m.min;
  if ('max' in m && m.max !== undefined) spec.max = m.max;
  if ('maxIncrease' in m && m.maxIncrease !== undefined)
    spec.maxIncrease = toTolerance(m.maxIncrease);
  if ('maxDecrease' in m && m.maxDecrease !== undefined)
    spec.maxDecrease = toTolerance(m.maxDecrease);
  if (m.type === 'histogram') spec.quantile = m.quantile;
  if ('weight' in m && m.weight !== undefined) spec.weight = m.weight;
  if (m.type === 'distribution' && m.maxShift !== undefined)
    spec.maxShift = toTolerance(m.maxShift);
  return spec;
}

export function judgeSettings(gate: Config['gate']): JudgeSettings {
  return {
    alpha: gate.alpha,
    minDurationMs: gate.minDuration,
    maxDurationMs: gate.maxDuration,
    metrics: gate.metrics.map(toMetricSpec),
    ...(gate.stableMargin === undefined
      ? {}
      : { stableMargin: Math.log1p(Number(gate.stableMargin.replace('%', '')) / 100) }),
  };
}
