import type { TemplateVars } from '../analysis/queries.js';
import type { LookSamples } from '../analysis/types.js';
import type { GateMetricConfig } from '../config/sections/gate.js';
import { ScrapeSource } from './scrape.js';
import type { MetricProvider } from './types.js';

/**
 * The scrape source on Kubernetes, without Prometheus: each track's pods' /metrics read
 * through the API server's pod proxy (`/api/v1/namespaces/{ns}/pods/{pod}:{port}/proxy/metrics`,
 * RBAC `get` on `pods/proxy`). The pods are listed again at every look, so pods that come
 * and go are followed: a new pod's first scrape is its starting point, a pod that is gone
 * stops counting, and a restarted one (its counters dropped) counts from zero again. The
 * samples are summed over pods by the same parser and differences as the scrape source.
 */

export type PodTrack = 'canary' | 'baseline' | 'stable';

/** What the source needs of the cluster (the kubernetes target provides it, through kubectl). */
export interface PodMetricsClient {
  /** The pod-proxy path of the metrics of each ready pod of the track, now. */
  metricsPaths(track: PodTrack): Promise<string[]>;
  /** GET of an API path, with the cluster's credentials. */
  fetchText(path: string, timeoutMs: number): Promise<string>;
}

export interface PodScrapeOptions {
  metrics: GateMetricConfig[];
  /** `stable` when the judge uses the stable track (gate.stableMargin). */
  vars: { canary: TemplateVars; baseline: TemplateVars; stable?: TemplateVars };
  timeoutMs: number;
  client: PodMetricsClient;
}

export function createPodScrapeSource(options: PodScrapeOptions): MetricProvider {
  // The scrape source reads each track's paths at every look: refreshed in place below.
  const paths: Record<PodTrack, string[]> = { canary: [], baseline: [], stable: [] };
  const stable = options.vars.stable;
  const inner = new ScrapeSource({
    metrics: options.metrics,
    tracks: {
      canary: { urls: paths.canary, vars: options.vars.canary },
      baseline: { urls: paths.baseline, vars: options.vars.baseline },
      ...(stable ? { stable: { urls: paths.stable, vars: stable } } : {}),
    },
    timeoutMs: options.timeoutMs,
    fetchText: (path, timeoutMs) => options.client.fetchText(path, timeoutMs),
  });
  async function refresh(): Promise<void> {
    for (const track of ['canary', 'baseline'] as const) {
      const now = await options.client.metricsPaths(track);
      paths[track].splice(0, paths[track].length, ...now);
    }
    // The stable track is optional evidence: listing its pods may fail without failing the look.
    if (stable) {
      const now = await options.client.metricsPaths('stable').catch(() => []);
      paths.stable.splice(0, paths.stable.length, ...now);
    }
  }
  return {
    kind: 'scrape',
    async start() {
      await refresh();
      await inner.start();
    },
    async collect(): Promise<LookSamples> {
      await refresh();
      return inner.collect();
    },
  };
}
