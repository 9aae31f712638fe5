import { describe, expect, it } from 'vitest';
import { PrometheusSource } from '../../../src/metrics/prometheus.js';
import { ScrapeSource } from '../../../src/metrics/scrape.js';
import type { LookSamples, Sample } from '../../../src/analysis/types.js';
import { BOTH_TRACKS, ERRORS_AND_LATENCY, trackVars } from './fixtures.js';

// Finding 2 of issue 16: after a restart of one target, every series of that target counts
// from zero; no look holds more errors than requests, negative or non-monotone buckets.

interface Counts {
  requests: number;
  errors: number;
  /** Cumulative buckets at 0.1, 0.5, +Inf. */
  buckets: [number, number, number];
  start?: number;
}

function exposition(track: string, c: Counts): string {
  const l = `track="${track}",version="v1"`;
  return [
    '# TYPE predictions_total counter',
    `predictions_total{${l}} ${c.requests}`,
    '# TYPE prediction_errors_total counter',
    `prediction_errors_total{${l}} ${c.errors}`,
    '# TYPE prediction_latency_seconds histogram',
    `prediction_latency_seconds_bucket{${l},le="0.1"} ${c.buckets[0]}`,
    `prediction_latency_seconds_bucket{${l},le="0.5"} ${c.buckets[1]}`,
    `prediction_latency_seconds_bucket{${l},le="+Inf"} ${c.buckets[2]}`,
    `prediction_latency_seconds_count{${l}} ${c.buckets[2]}`,
    '# TYPE process_start_time_seconds gauge',
    `process_start_time_seconds{${l}} ${c.start ?? 1000}`,
    '',
  ].join('\n');
}

/** Scrapes a canary whose counters go `before` → `after`; the baseline serves steadily. */
async function scrapeLook(before: Counts, after: Counts): Promise<LookSamples> {
  let canary = before;
  let base: Counts = { requests: 100, errors: 1, buckets: [50, 90, 100] };
  const src = new ScrapeSource({
    metrics: ERRORS_AND_LATENCY,
    timeoutMs: 1000,
    tracks: {
      canary: { urls: ['http://c/metrics'], vars: trackVars('canary') },
      baseline: { urls: ['http://b/metrics'], vars: trackVars('baseline') },
    },
    fetchText: async (url) =>
      url === 'http://c/metrics' ? exposition('canary', canary) : exposition('baseline', base),
  });
  await src.start();
  canary = after;
  base = { requests: 200, errors: 2, buckets: [100, 180, 200] };
  return src.collect();
}

function consistent(s: Sample | undefined): void {
  if (s?.kind === 'counts') {
    expect(s.numerator).toBeGreaterThanOrEqual(0);
    expect(s.numerator).toBeLessThanOrEqual(s.denominator);
  }
  if (s?.kind === 'buckets') {
    s.buckets.forEach((b, i) => {
      expect(b.count).toBeGreaterThanOrEqual(i ? (s.buckets[i - 1]?.count ?? 0) : 0);
    });
    expect(s.count).toBe(s.buckets.at(-1)?.count);
  }
}

describe('counter resets', () => {
  it('scrape: one series dropping makes every series of the target count from its restart', async () => {
    // Before: 100 requests, 50 errors. Restarted since: 110 requests, 20 errors.
    const look = await scrapeLook(
      { requests: 100, errors: 50, buckets: [50, 60, 100] },
      { requests: 110, errors: 20, buckets: [40, 70, 110] },
    );
    expect(look.canary.errors).toEqual({ kind: 'counts', numerator: 20, denominator: 110 });
    expect(look.canary.latency).toMatchObject({
      count: 110,
      buckets: [
        { le: 0.1, count: 40 },
        { le: 0.5, count: 70 },
        { le: Infinity, count: 110 },
      ],
    });
    consistent(look.canary.errors);
    consistent(look.canary.latency);
    expect(look.baseline.errors).toEqual({ kind: 'counts', numerator: 1, denominator: 100 });
  });

  it('scrape: a new process_start_time_seconds is a restart even when every counter grew', async () => {
    const look = await scrapeLook(
      { requests: 100, errors: 1, buckets: [50, 90, 100], start: 1000 },
      { requests: 130, errors: 3, buckets: [60, 120, 130], start: 1100 },
    );
    expect(look.canary.errors).toEqual({ kind: 'counts', numerator: 3, denominator: 130 });
  });

  it('prometheus: a total that fell skips the metric for that track instead of mixing parts', async () => {
    // Cumulative increase() since the gate began: look 1, then look 2 after the restarted
    // pod's old series left the sum (errors fell, requests grew).
    const answers = [
      { errors: 30, requests: 100 },
      { errors: 5, requests: 120 },
      { errors: 7, requests: 160 },
    ];
    let look = 0;
    const fetchFake: typeof fetch = async (input) => {
      const q = new URL(String(input)).searchParams.get('query') ?? '';
      const a = answers[look] as { errors: number; requests: number };
      const value = q.includes('_bucket')
        ? []
        : [{ metric: {}, value: [0, String(q.includes('errors') ? a.errors : a.requests)] }];
      const result = q.includes('_bucket')
        ? [{ metric: { le: '+Inf' }, value: [0, String(a.requests)] }]
        : value;
      return new Response(
        JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }),
      );
    };
    let now = 100_000;
    const src = new PrometheusSource({
      url: 'http://prom',
      metrics: ERRORS_AND_LATENCY,
      vars: BOTH_TRACKS,
      timeoutMs: 1000,
      retries: 0,
      fetch: fetchFake,
      now: () => now,
    });
    await src.start();
    const seen: LookSamples[] = [];
    for (look = 0; look < 3; look++) {
      now += 5000;
      seen.push(await src.collect());
    }
    expect(seen[0]?.canary.errors).toEqual({ kind: 'counts', numerator: 30, denominator: 100 });
    expect(seen[1]?.canary.errors).toBeUndefined();
    expect(seen[2]?.canary.errors).toEqual({ kind: 'counts', numerator: 2, denominator: 40 });
    for (const s of seen) consistent(s.canary.errors);
  });
});
