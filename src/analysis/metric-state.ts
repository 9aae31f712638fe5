import {
  distributionClaims,
  distributionDisplay,
  distributionEffect,
  distributionSubTests,
  initialDistribution,
  updateDistribution,
  type DistributionState,
} from './metric-distribution.js';
import {
  histogramClaims,
  histogramDisplay,
  histogramEffect,
  histogramSubTests,
  initialHistogram,
  updateHistogram,
  type HistogramState,
} from './metric-histogram.js';
import { totalCount } from './histogram.js';
import { initialPoint, updatePoint, type PointState } from './metric-point.js';
import {
  initialRatio,
  ratioClaims,
  ratioDisplay,
  ratioEffect,
  ratioSubTests,
  updateRatio,
  type RatioState,
} from './metric-ratio.js';
import type { LookContext, SubTest } from './sub-test.js';
import type { Claim, Effect, MetricSpec, Sample } from './types.js';

/**
 * One metric's evidence so far, one state type per metric type (metric-ratio.ts,
 * metric-histogram.ts, metric-distribution.ts, metric-point.ts); this file dispatches.
 */
export type MetricState = RatioState | HistogramState | DistributionState | PointState;
export type StatisticalState = Exclude<MetricState, PointState>;

export const isStatistical = (s: MetricState): s is StatisticalState =>
  s.type !== 'gauge' && s.type !== 'query';

export function initialMetricState(
  spec: MetricSpec,
  alpha: number,
  stableMargin?: number,
): MetricState {
  switch (spec.type) {
    case 'ratio':
      return initialRatio(spec, alpha, stableMargin);
    case 'histogram':
      return initialHistogram(spec, alpha);
    case 'distribution':
      return initialDistribution(spec, alpha);
    default:
      return initialPoint(spec, alpha);
  }
}

/** Adds one look of samples; returns the new state (the old one is not changed). */
export function updateMetric(
  state: MetricState,
  canary: Sample | undefined,
  baseline: Sample | undefined,
  ctx: LookContext,
  stable?: Sample,
): MetricState {
  switch (state.type) {
    case 'ratio':
      return updateRatio(state, canary, baseline, ctx, stable);
    case 'histogram':
      return updateHistogram(state, canary, baseline, ctx);
    case 'distribution':
      return updateDistribution(state, canary, baseline, ctx);
    default:
      return updatePoint(state, canary, baseline);
  }
}

export function subTestsOf(state: MetricState): SubTest[] {
  switch (state.type) {
    case 'ratio':
      return ratioSubTests(state);
    case 'histogram':
      return histogramSubTests(state);
    case 'distribution':
      return distributionSubTests(state);
    default:
      return [];
  }
}

export function sampleCount(state: MetricState): { canary: number; baseline: number } {
  switch (state.type) {
    case 'ratio':
      return { canary: state.canary.denominator, baseline: state.baseline.denominator };
    case 'histogram':
    case 'distribution':
      return {
        canary: totalCount(state.canary.buckets),
        baseline: totalCount(state.baseline.buckets),
      };
    default:
      return { canary: state.canary.looks, baseline: state.baseline.looks };
  }
}

/** The displayed value of a track: a ratio, a quantile, a mean score, a gauge value. */
export function displayValue(state: MetricState, track: 'canary' | 'baseline'): number | undefined {
  switch (state.type) {
    case 'ratio':
      return ratioDisplay(state[track]);
    case 'histogram':
      return histogramDisplay(state, state[track]);
    case 'distribution':
      return distributionDisplay(state[track]);
    default:
      return state[track].value;
  }
}

/** What a pass of the metric certifies, each claim at 1 − alpha. */
export function claimsOf(state: MetricState, alpha: number, detail = true): Claim[] {
  switch (state.type) {
    case 'ratio':
      return ratioClaims(state, alpha, detail);
    case 'histogram':
      return histogramClaims(state, alpha, detail);
    case 'distribution':
      return distributionClaims(state, alpha, detail);
    default:
      return [];
  }
}

export function effectOf(state: MetricState, level: number): Effect | undefined {
  switch (state.type) {
    case 'ratio':
      return ratioEffect(state, level);
    case 'histogram':
      return histogramEffect(state, level);
    case 'distribution':
      return distributionEffect(state, level);
    default:
      return undefined;
  }
}
