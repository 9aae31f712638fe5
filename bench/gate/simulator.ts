import type { HistogramBucket, LookSamples, TrackSamples } from '../../src/analysis/types.js';
import { NoDataError, type MetricProvider } from '../../src/metrics/types.js';
import { binomial, createRandom, mixSeed, normalCdf, poisson } from './random.js';
import type { Scenario, TrackModel } from './scenarios.js';

/** Bucket bounds of the example server (seconds) and of its score histogram. */
export const LATENCY_BOUNDS = [
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.2,
  0.3,
  0.5,
  0.75,
  1,
  2.5,
  Infinity,
];
export const SCORE_BOUNDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, Infinity];

/** Names of the simulated metrics, as the benchmark's gate config declares them. */
export const SIM_METRICS = {
  errors: 'error_rate',
  latency: 'latency_p95',
  accuracy: 'accuracy',
  drift: 'score_drift',
} as const;

/** Probabilities of each (non-cumulative) bucket. */
function bucketShares(cdf: (le: number) => number, bounds: number[]): number[] {
  let prev = 0;
  return bounds.map((le) => {
    const c = Number.isFinite(le) ? cdf(le) : 1;
    const share = Math.max(0, c - prev);
    prev = c;
    return share;
  });
}

interface TrackShares {
  latency: number[];
  scores: number[];
}

const Z95 = 1.6448536269514722;
const Z99 = 2.3263478740408408;

/** Log-normal below the p95; above it, a log-normal tail through p95 and p99 (when given). */
function latencyCdf(l: TrackModel['latency']): (seconds: number) => number {
  const p95 = l.p95Ms / 1000;
  const sigma = Math.log(l.p95Ms / l.medianMs) / Z95;
  const tail = l.p99Ms === undefined ? sigma : Math.log(l.p99Ms / l.p95Ms) / (Z99 - Z95);
  const mu = Math.log(l.medianMs / 1000);
  return (x) =>
    x <= p95 ? normalCdf((Math.log(x) - mu) / sigma) : normalCdf(Z95 + Math.log(x / p95) / tail);
}

function sharesOf(model: TrackModel): TrackShares {
  return {
    latency: bucketShares(latencyCdf(model.latency), LATENCY_BOUNDS),
    // Scores are clamped to [0, 1]: all mass at or above 1 falls in the bucket le=1.
    scores: bucketShares(
      (le) => (le >= 1 ? 1 : normalCdf((le - model.scores.mean) / model.scores.sd)),
      SCORE_BOUNDS,
    ),
  };
}

function cumulative(bounds: number[], counts: number[]): HistogramBucket[] {
  let sum = 0;
  return bounds.map((le, i) => {
    sum += counts[i] as number;
    return { le, count: sum };
  });
}

/** One track over one interval: Poisson arrivals split into latency buckets, errors, labels, scores. */
export function simulateTrack(
  model: TrackModel,
  shares: TrackShares,
  seconds: number,
  rnd: () => number,
): TrackSamples {
  const lambda = model.rps * seconds;
  const latencyCounts = shares.latency.map((p) => poisson(lambda * p, rnd));
  const total = latencyCounts.reduce((a, b) => a + b, 0);
  const errors = binomial(total, model.errorRate, rnd);
  const scored = binomial(total - errors, model.labelledFraction, rnd);
  const misses = binomial(scored, 1 - model.accuracy, rnd);
  const scoreCounts = shares.scores.map((p) => poisson(lambda * (1 - model.errorRate) * p, rnd));
  const latency = cumulative(LATENCY_BOUNDS, latencyCounts);
  const scores = cumulative(SCORE_BOUNDS, scoreCounts);
  return {
    [SIM_METRICS.errors]: { kind: 'counts', numerator: errors, denominator: total },
    [SIM_METRICS.latency]: { kind: 'buckets', buckets: latency, count: total },
    [SIM_METRICS.accuracy]: { kind: 'counts', numerator: scored - misses, denominator: scored },
    [SIM_METRICS.drift]: { kind: 'buckets', buckets: scores, count: scores.at(-1)?.count ?? 0 },
  };
}

/**
 * The benchmark's metric source: the same MetricProvider interface as Prometheus and
 * scrape, fed by the simulation instead of a server. Same seed, same data.
 */
export class SimulatedSource implements MetricProvider {
  readonly kind = 'simulated';
  private readonly rnd: () => number;
  /** The stable track draws from its own stream: canary and baseline stay as without it. */
  private readonly stableRnd: () => number;
  private readonly shares: { canary: TrackShares; baseline: TrackShares; stable?: TrackShares };

  constructor(
    private readonly scenario: Scenario,
    seed: number,
  ) {
    this.rnd = createRandom(seed);
    this.stableRnd = createRandom(mixSeed(seed, 8));
    this.shares = {
      canary: sharesOf(scenario.canary),
      baseline: sharesOf(scenario.baseline),
      ...(scenario.stable ? { stable: sharesOf(scenario.stable) } : {}),
    };
  }

  collectNow(): LookSamples {
    if (this.scenario.noData)
      throw new NoDataError('the simulated source has no series for either track');
    const s = this.scenario;
    const look: LookSamples = {
      baseline: simulateTrack(s.baseline, this.shares.baseline, s.intervalSeconds, this.rnd),
      canary: simulateTrack(s.canary, this.shares.canary, s.intervalSeconds, this.rnd),
    };
    if (s.stable && this.shares.stable)
      look.stable = simulateTrack(s.stable, this.shares.stable, s.intervalSeconds, this.stableRnd);
    return look;
  }

  async collect(): Promise<LookSamples> {
    return this.collectNow();
  }
}
