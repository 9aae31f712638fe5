import type { LookSamples } from '../analysis/types.js';

/**
 * Where the gate's numbers come from. One implementation per file (prometheus.ts,
 * scrape.ts), picked by `gate.source` through `createMetricProvider`, which throws on an
 * unknown kind. The benchmark's simulator implements the same interface.
 */
export interface MetricProvider {
  readonly kind: string;
  /** Reads the starting point before the first interval (scrape: the counters' current values). */
  start?(): Promise<void>;
  /**
   * Every metric's samples for both tracks over the interval that ends now (counter and
   * bucket increments; gauge values). Throws NoDataError when a track has no samples at
   * all, SourceUnavailableError when the source cannot be read.
   */
  collect(): Promise<LookSamples>;
  close?(): Promise<void>;
}

/** A track had no samples: not a failure of the canary, and never a pass. */
export class NoDataError extends Error {
  constructor(
    message: string,
    readonly track?: string,
  ) {
    super(message);
    this.name = 'NoDataError';
  }
}

/** The source could not be read (network error, 5xx after retries, bad answer). */
export class SourceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceUnavailableError';
  }
}
