/** What the gate's judge works on: metric declarations, samples per look, verdicts. */

export type MetricType = 'ratio' | 'histogram' | 'distribution' | 'gauge' | 'query';

/** A tolerance: `5%` of the baseline, or an absolute amount in the metric's unit. */
export interface Tolerance {
  percent: boolean;
  value: number;
}

/** The part of a `gate.metrics` entry the judge needs (no queries, no labels). */
export interface MetricSpec {
  name: string;
  type: MetricType;
  critical: boolean;
  /** Least number of events (requests, observations; looks for gauge and query) per track. */
  minSamples: number;
  min?: number;
  max?: number;
  maxIncrease?: Tolerance;
  maxDecrease?: Tolerance;
  /** histogram: the quantile compared (0.95). */
  quantile?: number;
  /** distribution: tolerated change of the share of scores above the median. */
  maxShift?: Tolerance;
  /** Share of alpha relative to the other statistical metrics (default 3 if critical, else 1). */
  weight?: number;
}

export interface HistogramBucket {
  /** Upper bound; Infinity for +Inf. */
  le: number;
  /** Cumulative count. */
  count: number;
}

/** One track's data for one metric over one interval. Counts are increments over the interval. */
export type Sample =
  | { kind: 'counts'; numerator: number; denominator: number }
  | { kind: 'buckets'; buckets: HistogramBucket[]; count: number; sum?: number }
  | { kind: 'value'; value: number };

/** Metric name → sample; a metric missing from the map had no data for that track. */
export type TrackSamples = Record<string, Sample | undefined>;

export interface LookSamples {
  canary: TrackSamples;
  baseline: TrackSamples;
  /**
   * The stable track (the baseline's release, most of the traffic), when the source reads
   * it: extra evidence on the baseline's rate for ratio metrics (stable-reference.ts).
   */
  stable?: TrackSamples;
}

/** What one look produced: samples, or why there are none. */
export interface LookObservation {
  /** Time since the gate started, at the end of this look. */
  elapsedMs: number;
  samples?: LookSamples;
  problem?: { kind: 'no_data' | 'unreachable'; message: string };
}

export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'continue';

/** One statement a metric's pass certifies, and where the evidence stands on it. */
export interface Claim {
  /** What a pass certifies, in the user's units ("error_rate ≤ 1.5 × baseline"). */
  claim: string;
  /** A tolerance the user set: without it shown, the gate ends inconclusive, not pass. */
  required: boolean;
  /** Shown at the confidence of `MetricResult.certifiedAt`. */
  shown: boolean;
  /** The margin the data support now, at the same confidence. */
  supported: string;
  /** Roughly how many times the traffic so far would settle it (when the estimate is inside). */
  moreTraffic?: number;
  /** The data cannot bear on it (a ratio of rates with almost no bad events); another claim stands in. */
  notAssessable?: true;
}
export type MetricStatus =
  'pass' | 'fail' | 'running' | 'no_data' | 'low_traffic' | 'insufficient_evidence';

export interface Effect {
  /** What is compared, e.g. "error rate, canary / baseline − 1". */
  measure: string;
  estimate: number;
  lower: number;
  upper: number;
}

export interface MetricResult {
  name: string;
  type: MetricType;
  critical: boolean;
  status: MetricStatus;
  reason?: string;
  canary?: number;
  baseline?: number;
  effect?: Effect;
  /** Confidence level of the effect's interval (1 − this metric's share of alpha). */
  confidence?: number;
  samples: { canary: number; baseline: number };
  /** log e-value against "no worse than the bounds" (shown; the spending boundary decides). */
  logEvidence?: number;
  /** This metric's share of alpha for failing. */
  alphaShare?: number;
  /** Confidence of each claim (1 − gate.alpha). */
  certifiedAt?: number;
  /** What a pass of this metric certifies; empty for gauges and queries. */
  claims: Claim[];
  /** histogram: how finely the buckets resolve the baseline's quantile. */
  resolution?: { quantile: number; value: number; lower: number; upper?: number };
  bounds: Record<string, number | string>;
  note?: string;
}

export interface JudgeSettings {
  alpha: number;
  minDurationMs: number;
  maxDurationMs: number;
  metrics: MetricSpec[];
  /**
   * log(1 + gate.stableMargin): ratio metrics pool the stable track into the baseline's rate
   * on their failing side, assuming the two differ by no more (stable-reference.ts).
   */
  stableMargin?: number;
}

export interface JudgeDecision {
  verdict: Verdict;
  reason: string;
  message: string;
  metrics: MetricResult[];
}
