import { metricQueries, promDuration, type TemplateVars } from '../analysis/queries.js';
import type { HistogramBucket, LookSamples, Sample, TrackSamples } from '../analysis/types.js';
import type { GateMetricConfig } from '../config/sections/gate.js';
import { parseDuration } from '../core/duration.js';
import { errorMessage } from '../core/errors.js';
import { NoDataError, SourceUnavailableError, type MetricProvider } from './types.js';

export interface PrometheusOptions {
  url: string;
  metrics: GateMetricConfig[];
  /** `stable`, when given, is queried too (`{{track}}` = stable): optional evidence for the judge. */
  vars: { canary: TemplateVars; baseline: TemplateVars; stable?: TemplateVars };
  timeoutMs: number;
  retries: number;
  /** `Bearer …` or `Basic …`, already read from env (a secret). */
  authorization?: string;
  fetch?: typeof fetch;
  /** Wait between retries (tests pass 0). */
  retryDelayMs?: number;
  /** Clock in ms (tests step it). */
  now?: () => number;
}

interface VectorItem {
  metric: Record<string, string>;
  value: [number, string];
}

class RetryableError extends Error {}

/** Counts from increase() are extrapolated; the tests work on whole events. */
const whole = (v: number) => Math.max(0, Math.round(v));

/**
 * The Prometheus HTTP API source (Prometheus, Thanos, Mimir). At each look every query is
 * evaluated at the same instant, as `increase(...[since the gate began])`, and the look's
 * counts are the difference from the previous look. So looks never overlap or leave gaps
 * (the sequential tests add them up), numerator and denominator share one evaluation time,
 * and a short interval never falls between two scrapes.
 */
export class PrometheusSource implements MetricProvider {
  readonly kind = 'prometheus';
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private startedAt?: number;
  /** Rounded cumulative counts of the previous look, per track, metric and series (le). */
  private readonly previous = new Map<string, number>();

  constructor(private readonly options: PrometheusOptions) {
    this.fetch = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    this.startedAt = this.now();
  }

  /** The one HTTP chokepoint: GET /api/v1/query with retries on network errors and 5xx. */
  async query(promql: string, time?: number): Promise<VectorItem[]> {
    const { url, timeoutMs, retries, authorization } = this.options;
    const params = new URLSearchParams({ query: promql });
    if (time !== undefined) params.set('time', time.toFixed(3));
    const endpoint = `${url.replace(/\/+$/, '')}/api/v1/query?${params}`;
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

  private async single(promql: string, time: number): Promise<number | undefined> {
    const items = await this.query(promql, time);
    if (items.length === 0) return undefined;
    const v = Number(items[0]?.value[1]);
    return Number.isFinite(v) ? v : undefined;
  }

  /**
   * This look's parts of one metric's cumulative counts (numerator and denominator, or every
   * bucket), all or none. A total that fell by more than extrapolation jitter means a series
   * left the sum (a restarted pod's): like the scrape source's restart, the metric starts
   * again from these totals and this look is skipped for the track, so that no part is a
   * difference and another a fresh count. Small dips (extrapolation) count as no change.
   */
  private deltas(key: string, totals: Array<[string, number]>): number[] | undefined {
    const now = totals.map(([part, v]) => [`${key}\u0000${part}`, whole(v)] as const);
    const fell = now.some(([k, v]) => {
      const before = this.previous.get(k) ?? 0;
      return before - v > Math.max(1, 0.01 * before);
    });
    const parts = now.map(([k, v]) => {
      const before = this.previous.get(k) ?? 0;
      this.previous.set(k, fell ? v : Math.max(before, v));
      return Math.max(0, v - before);
    });
    return fell ? undefined : parts;
  }

  private async sample(
    track: string,
    metric: GateMetricConfig,
    vars: TemplateVars,
    look: { time: number; window: string },
  ): Promise<Sample | undefined> {
    const q = metricQueries(metric, vars, look.window);
    const key = `${track}\u0000${metric.name}`;
    if (q.kind === 'counts') {
      const [numerator, denominator] = await Promise.all([
        this.single(q.numerator, look.time),
        this.single(q.denominator, look.time),
      ]);
      if (denominator === undefined) return undefined;
      const parts = this.deltas(key, [
        ['n', numerator ?? 0],
        ['d', denominator],
      ]);
      if (!parts) return undefined;
      const [n, d] = parts as [number, number];
      // Rounded extrapolations may put the numerator one above the denominator.
      return { kind: 'counts', numerator: Math.min(n, d), denominator: d };
    }
    if (q.kind === 'buckets') {
      const items = await this.query(q.buckets, look.time);
      const totals = items
        .map((i) => ({
          le: i.metric.le === '+Inf' ? Infinity : Number(i.metric.le),
          total: Number(i.value[1]),
        }))
        .filter((b) => !Number.isNaN(b.le) && Number.isFinite(b.total))
        .sort((a, b) => a.le - b.le);
      const parts = this.deltas(
        key,
        totals.map((b) => [String(b.le), b.total]),
      );
      if (!parts) return undefined;
      const buckets: HistogramBucket[] = totals.map((b, i) => ({ le: b.le, count: parts[i] ?? 0 }));
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
    const value = await this.single(q.value, look.time);
    return value === undefined ? undefined : { kind: 'value', value };
  }

  private async track(
    name: 'canary' | 'baseline' | 'stable',
    look: { time: number; window: string },
  ): Promise<TrackSamples> {
    const vars = this.options.vars[name];
    if (!vars) throw new NoDataError(`no ${name} track is read`, name);
    const settled = await Promise.allSettled(
      this.options.metrics.map(
        async (m) => [m.name, await this.sample(name, m, vars, look)] as const,
      ),
    );
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const entries = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const out: TrackSamples = Object.fromEntries(entries.filter(([, s]) => s !== undefined));
    if (Object.keys(out).length === 0)
      throw new NoDataError(
        `Prometheus has no series of the gate's metrics for the ${name} track`,
        name,
      );
    return out;
  }

  async collect(): Promise<LookSamples> {
    const now = this.now();
    // Without start(), the first look covers one interval, as the loop's first look does.
    this.startedAt ??= now - (parseDuration(this.options.vars.canary.interval) ?? 0);
    const look = { time: now / 1000, window: promDuration(now - this.startedAt) };
    // A look is all or nothing: both tracks settle (no query is still in flight), and if
    // one failed, neither track's counts move on.
    const before = new Map(this.previous);
    const [canary, baseline, stable] = await Promise.allSettled([
      this.track('canary', look),
      this.track('baseline', look),
      this.options.vars.stable ? this.track('stable', look) : Promise.resolve(undefined),
    ]);
    if (canary.status === 'fulfilled' && baseline.status === 'fulfilled') {
      // The stable track is optional: when it fails, its counts stay where they were (its
      // next look covers both intervals, with its exposure), and the look goes on without it.
      if (stable.status === 'rejected') this.restore(before, 'stable');
      const s = stable.status === 'fulfilled' ? stable.value : undefined;
      return { canary: canary.value, baseline: baseline.value, ...(s ? { stable: s } : {}) };
    }
    this.restore(before);
    throw canary.status === 'rejected' ? canary.reason : (baseline as PromiseRejectedResult).reason;
  }

  /** Puts back the previous look's cumulative counts (of one track, or of all). */
  private restore(before: Map<string, number>, track?: string): void {
    for (const k of [...this.previous.keys()])
      if (!track || k.startsWith(`${track}\u0000`)) this.previous.delete(k);
    for (const [k, v] of before)
      if (!track || k.startsWith(`${track}\u0000`)) this.previous.set(k, v);
  }
}
