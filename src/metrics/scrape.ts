import { renderLabels, type TemplateVars } from '../analysis/queries.js';
import type { HistogramBucket, LookSamples, Sample, TrackSamples } from '../analysis/types.js';
import type { GateMetricConfig } from '../config/sections/gate.js';
import { errorMessage } from '../core/errors.js';
import { parsePrometheusText, type TextSample } from './prometheus-text.js';
import { NoDataError, SourceUnavailableError, type MetricProvider } from './types.js';

export interface ScrapeTrack {
  /** Every /metrics URL of the track's pods or processes. */
  urls: string[];
  vars: TemplateVars;
}

/** The one HTTP call of this source, injectable for tests. */
export type FetchText = (url: string, timeoutMs: number) => Promise<string>;

export interface ScrapeOptions {
  metrics: GateMetricConfig[];
  /** `stable`, when given, is read too: extra evidence for the judge, never required. */
  tracks: { canary: ScrapeTrack; baseline: ScrapeTrack; stable?: ScrapeTrack };
  timeoutMs: number;
  fetchText?: FetchText;
}

const fetchText: FetchText = async (url, timeoutMs) => {
  const res = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'text/plain;version=0.0.4' },
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
};

/** One target's scrape: its series by key, and which of them only ever go up. */
interface Snapshot {
  series: Map<string, TextSample>;
  monotone: Set<string>;
}

const seriesKey = (s: TextSample) =>
  `${s.name}${JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1)))}`;

function matches(s: TextSample, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => s.labels[k] === v);
}

const MONOTONE_SUFFIXES = ['_total', '_bucket', '_count', '_sum'];

/** Counters and histogram series: their family's TYPE, found by the name less its suffix. */
function isMonotone(name: string, types: Record<string, string>): boolean {
  const family =
    types[name] ??
    MONOTONE_SUFFIXES.map((x) =>
      name.endsWith(x) ? types[name.slice(0, -x.length)] : undefined,
    ).find((t) => t !== undefined);
  return family === 'counter' || family === 'histogram';
}

/**
 * A target restarted when any of its counters or histogram series went down, or its
 * process_start_time_seconds changed. Then every series of the target counts from zero:
 * one series' drop is never mixed with another's difference (which made more correct than
 * scored, negative and non-monotone buckets).
 */
export function restarted(cur: Snapshot, prev: Snapshot): boolean {
  for (const [key, s] of cur.series) {
    const before = prev.series.get(key);
    if (!before) continue;
    if (s.name === 'process_start_time_seconds' && s.value !== before.value) return true;
    if (cur.monotone.has(key) && s.value < before.value) return true;
  }
  return false;
}

/** Increase of a counter-like series since the previous snapshot (the whole value after a restart). */
function increase(cur: TextSample, prev: Snapshot): number {
  const before = prev.series.get(seriesKey(cur));
  return before ? Math.max(0, cur.value - before.value) : cur.value;
}

const EMPTY: Snapshot = { series: new Map(), monotone: new Set() };

interface UrlDelta {
  cur: Snapshot;
  prev: Snapshot;
}

function sumIncrease(
  deltas: UrlDelta[],
  name: string,
  want: Record<string, string>,
): number | undefined {
  let found = false;
  let sum = 0;
  for (const d of deltas) {
    for (const s of d.cur.series.values()) {
      if (s.name !== name || !matches(s, want)) continue;
      found = true;
      sum += increase(s, d.prev);
    }
  }
  return found ? sum : undefined;
}

function bucketIncrease(
  deltas: UrlDelta[],
  name: string,
  want: Record<string, string>,
): HistogramBucket[] | undefined {
  const byLe = new Map<number, number>();
  for (const d of deltas) {
    for (const s of d.cur.series.values()) {
      if (s.name !== `${name}_bucket` || !matches(s, want) || s.labels.le === undefined) continue;
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      byLe.set(le, (byLe.get(le) ?? 0) + increase(s, d.prev));
    }
  }
  if (byLe.size === 0) return undefined;
  return [...byLe.entries()].sort(([a], [b]) => a - b).map(([le, count]) => ({ le, count }));
}

/** One track's samples of every metric from the differences between two scrapes. */
export function trackSamples(
  metrics: GateMetricConfig[],
  deltas: UrlDelta[],
  vars: TemplateVars,
): TrackSamples {
  const out: TrackSamples = {};
  for (const m of metrics) {
    const want = renderLabels(m.labels, vars);
    let sample: Sample | undefined;
    if (m.type === 'ratio') {
      const numerator = sumIncrease(deltas, m.numerator, want) ?? 0;
      const denominator = sumIncrease(deltas, m.denominator, want);
      // Two counters read from one exposition never disagree this way unless a target's
      // series were read at different moments: such a look is skipped for this track.
      if (denominator !== undefined && numerator <= denominator)
        sample = { kind: 'counts', numerator, denominator };
    } else if (m.type === 'histogram' || m.type === 'distribution') {
      const buckets = bucketIncrease(deltas, m.metric, want);
      if (buckets && buckets.every((b, i) => i === 0 || b.count >= (buckets[i - 1]?.count ?? 0)))
        sample = {
          kind: 'buckets',
          buckets,
          count: buckets.at(-1)?.count ?? 0,
          sum: sumIncrease(deltas, `${m.metric}_sum`, want),
        };
    } else if (m.type === 'gauge') {
      const values = deltas.flatMap((d) =>
        [...d.cur.series.values()]
          .filter((s) => s.name === m.metric && matches(s, want))
          .map((s) => s.value),
      );
      if (values.length)
        sample = { kind: 'value', value: values.reduce((a, b) => a + b, 0) / values.length };
    }
    if (sample) out[m.name] = sample;
  }
  return out;
}

/**
 * The embedded source: reads /metrics from each track's processes at every look and takes
 * differences of counters and buckets since the previous look.
 */
export class ScrapeSource implements MetricProvider {
  readonly kind = 'scrape';
  private readonly last = new Map<string, Snapshot>();
  private readonly fetchText: FetchText;

  constructor(private readonly options: ScrapeOptions) {
    this.fetchText = options.fetchText ?? fetchText;
  }

  private async scrape(url: string): Promise<Snapshot> {
    try {
      const { samples, types } = parsePrometheusText(
        await this.fetchText(url, this.options.timeoutMs),
      );
      return {
        series: new Map(samples.map((s) => [seriesKey(s), s])),
        monotone: new Set(samples.filter((s) => isMonotone(s.name, types)).map(seriesKey)),
      };
    } catch (e) {
      throw new SourceUnavailableError(`scrape ${url}: ${errorMessage(e)}`);
    }
  }

  async start(): Promise<void> {
    const { canary, baseline, stable } = this.options.tracks;
    const first = async (u: string) => {
      this.last.set(u, await this.scrape(u));
    };
    // The stable track is optional evidence: a stable that cannot be read starts nothing.
    await Promise.all([
      ...[...canary.urls, ...baseline.urls].map(first),
      Promise.allSettled((stable?.urls ?? []).map(first)),
    ]);
  }

  private async track(name: 'canary' | 'baseline' | 'stable'): Promise<TrackSamples> {
    const t = this.options.tracks[name];
    if (!t || t.urls.length === 0)
      throw new NoDataError(`the ${name} track has no metrics URL`, name);
    const snapshots = await Promise.all(t.urls.map((u) => this.scrape(u)));
    const deltas: UrlDelta[] = [];
    t.urls.forEach((u, i) => {
      const prev = this.last.get(u);
      const cur = snapshots[i] as Snapshot;
      this.last.set(u, cur);
      // The first scrape of a URL is only the starting point of the differences.
      if (prev) deltas.push({ cur, prev: restarted(cur, prev) ? EMPTY : prev });
    });
    const samples = deltas.length ? trackSamples(this.options.metrics, deltas, t.vars) : {};
    if (Object.keys(samples).length === 0) {
      throw new NoDataError(
        deltas.length
          ? `no series of the gate's metrics on the ${name} track (${t.urls.join(', ')})`
          : `first scrape of the ${name} track: no difference yet`,
        name,
      );
    }
    return samples;
  }

  async collect(): Promise<LookSamples> {
    const [canary, baseline, stable] = await Promise.all([
      this.track('canary'),
      this.track('baseline'),
      this.stableTrack(),
    ]);
    return { canary, baseline, ...(stable ? { stable } : {}) };
  }

  /** The stable track's samples, or nothing when it has none or cannot be read this look. */
  private async stableTrack(): Promise<TrackSamples | undefined> {
    if (!this.options.tracks.stable) return undefined;
    try {
      return await this.track('stable');
    } catch (e) {
      if (e instanceof NoDataError || e instanceof SourceUnavailableError) return undefined;
      throw e;
    }
  }
}
