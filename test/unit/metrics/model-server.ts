import { Counter, Histogram, Registry } from 'prom-client';
import type { GateMetricConfig } from '../../../src/config/sections/gate.js';
import { ScrapeSource, type ScrapeTrack } from '../../../src/metrics/scrape.js';
import { ERRORS_AND_LATENCY, trackVars } from './fixtures.js';

/** A model server's registry, as the example server builds it. */
export function server(track: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ version: 'v1', track });
  return {
    registry,
    requests: new Counter({ name: 'predictions_total', help: 'r', registers: [registry] }),
    errors: new Counter({ name: 'prediction_errors_total', help: 'e', registers: [registry] }),
    latency: new Histogram({
      name: 'prediction_latency_seconds',
      help: 'l',
      buckets: [0.1, 0.5],
      registers: [registry],
    }),
  };
}

export type ModelServer = ReturnType<typeof server>;

/** A scrape source over in-memory servers by URL ('down' refuses); canary c, baseline b. */
export function scrapeOf(
  servers: Record<string, ModelServer | 'down'>,
  o: { metrics?: GateMetricConfig[]; stable?: ScrapeTrack } = {},
): ScrapeSource {
  return new ScrapeSource({
    metrics: o.metrics ?? ERRORS_AND_LATENCY,
    timeoutMs: 1000,
    tracks: {
      canary: { urls: ['http://c/metrics'], vars: trackVars('canary') },
      baseline: { urls: ['http://b/metrics'], vars: trackVars('baseline') },
      ...(o.stable ? { stable: o.stable } : {}),
    },
    fetchText: async (url) => {
      const s = servers[url];
      if (!s || s === 'down') throw new Error('connect ECONNREFUSED');
      return s.registry.metrics();
    },
  });
}
