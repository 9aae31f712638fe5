import { metricQueries, type TemplateVars } from '../analysis/queries.js';
import type { HistogramBucket, LookSamples, Sample, TrackSamples } from '../analysis/types.js';
import type { GateMetricConfig } from '../config/sections/gate.js';
import { errorMessage } from '../core/errors.js';
import { NoDataError, SourceUnavailableError, type MetricProvider } from './types.js';

export interface PrometheusOptions {
  url: string;
  metrics: GateMetricConfig[];
  vars: { canary: TemplateVars; baseline: TemplateVars };
  timeoutMs: number;
  retries: number;
  /** `Bearer …` or `Basic …`, already read from env (a secret). */
  authorization?: string;
  fetch?: typeof fetch;
  /** Wait between retries (tests pass 0). */
  retryDelayMs?: number;
}

interface VectorItem {
  metric: Record<string, string>;
  value: [number, string];
}

class RetryableError extends Error {}

/** Counts from increase() are extrapolated; the tests work on whole events. */
const whole = (v: number) => Math.max(0, Math.round(v));

/**
 * The Prometheus HTTP API source (Prometheus, Thanos, Mimir): one instant query per
 * counter or histogram and track, `increase(...[interval])` over the look's interval.
 */
export class PrometheusSource implements MetricProvider {
  readonly kind = 'prometheus';
  private readonly fetch: typeof fetch;

  constructor(private readonly options: PrometheusOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  /** The one HTTP chokepoint: GET /api/v1/query with retries on network errors and 5xx. */
  async query(promql: string): Promise<VectorItem[]> {
    const { url, timeoutMs, retries, authorization } = this.options;
    const endpoint = `${url.replace(/\/+$/, '')}/api/v1/query?${new URLSearchParams({ query: promql })}`;
    let last: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0)
        await new Promise((r) => setTimeout(r, (this.options.retryDelayMs ?? 250) * attempt));
      try {
        const res = await this.fetch(endpoint, {
          headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.status >= 500) throw new RetryableError(`HTTP ${res.status}`);
        const body = (await res.json()) as {
          status?: string;
          error?: string;
          data?: { resultType?: string; result?: unknown };
        };
        if (!res.ok || body.status !== 'success')
          throw new SourceUnavailableError(
            `Prometheus rejected the query ${promql}: ${body.error ?? `HTTP ${res.status}`}`,
          );
        const data = body.data;
        if (data?.resultType === 'scalar') {
          const v = data.result as [number, string];
          return [{ metric: {}, value: v }];
        }
        if (data?.resultType !== 'vector' || !Array.isArray(data.result)) {
          throw new SourceUnavailableError(
            `Prometheus returned ${data?.resultType ?? 'nothing'} for ${promql}; expected an instant vector`,
          );
        }
        return data.result as VectorItem[];
      } catch (e) {
        if (e instanceof SourceUnavailableError) throw e;
        last = e;
      }
    }
    throw new SourceUnavailableError(
      `Prometheus at ${url} unreachable after ${retries + 1} attempts: ${errorMessage(last)}`,
    );
  }

  private async single(promql: string): Promise<number | undefined> {
    const items = await this.query(promql);
    if (items.length === 0) return undefined;
    const v = Number(items[0]?.value[1]);
    return Number.isFinite(v) ? v : undefined;
  }

  private async sample(metric: GateMetricConfig, vars: TemplateVars): Promise<Sample | undefined> {
    const q = metricQueries(metric, vars);
    if (q.kind === 'counts') {
      const [numerator, denominator] = await Promise.all([
        this.single(q.numerator),
        this.single(q.denominator),
      ]);
      return denominator === undefined
        ? undefined
        : { kind: 'counts', numerator: whole(numerator ?? 0), denominator: whole(denominator) };
    }
    if (q.kind === 'buckets') {
      const items = await this.query(q.buckets);
      const buckets: HistogramBucket[] = items
        .map((i) => ({
          le: i.metric.le === '+Inf' ? Infinity : Number(i.metric.le),
          count: whole(Number(i.value[1])),
        }))
        .filter((b) => !Number.isNaN(b.le) && Number.isFinite(b.count))
        .sort((a, b) => a.le - b.le);
      // Rounding may break monotony; cumulative counts never decrease.
      for (let i = 1; i < buckets.length; i++)
        (buckets[i] as HistogramBucket).count = Math.max(
          (buckets[i] as HistogramBucket).count,
          (buckets[i - 1] as HistogramBucket).count,
        );
      return buckets.length
        ? { kind: 'buckets', buckets, count: buckets.at(-1)?.count ?? 0 }
        : undefined;
    }
    const value = await this.single(q.value);
    return value === undefined ? undefined : { kind: 'value', value };
  }

  private async track(name: 'canary' | 'baseline'): Promise<TrackSamples> {
    const vars = this.options.vars[name];
    const entries = await Promise.all(
      this.options.metrics.map(async (m) => [m.name, await this.sample(m, vars)] as const),
    );
    const out: TrackSamples = Object.fromEntries(entries.filter(([, s]) => s !== undefined));
    if (Object.keys(out).length === 0)
      throw new NoDataError(
        `Prometheus has no series of the gate's metrics for the ${name} track`,
        name,
      );
    return out;
  }

  async collect(): Promise<LookSamples> {
    const [canary, baseline] = await Promise.all([this.track('canary'), this.track('baseline')]);
    return { canary, baseline };
  }
}
