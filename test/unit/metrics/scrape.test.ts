import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { gateMetric } from '../../../src/config/sections/gate.js';
import { NoDataError, SourceUnavailableError } from '../../../src/metrics/types.js';
import { ScrapeSource } from '../../../src/metrics/scrape.js';
import { trackVars } from './fixtures.js';
import { server, scrapeOf, type ModelServer } from './model-server.js';

const source = (servers: Record<string, ModelServer | 'down'>) => scrapeOf(servers);

describe('ScrapeSource', () => {
  it('takes differences of counters and buckets between looks', async () => {
    const c = server('canary');
    const b = server('baseline');
    c.requests.inc(100);
    const src = source({ 'http://c/metrics': c, 'http://b/metrics': b });
    await src.start();
    c.requests.inc(10);
    c.errors.inc(2);
    c.latency.observe(0.05);
    c.latency.observe(0.3);
    b.requests.inc(5);
    const look = await src.collect();
    expect(look.canary.errors).toEqual({ kind: 'counts', numerator: 2, denominator: 10 });
    expect(look.baseline.errors).toEqual({ kind: 'counts', numerator: 0, denominator: 5 });
    expect(look.canary.latency).toMatchObject({
      kind: 'buckets',
      count: 2,
      buckets: [
        { le: 0.1, count: 1 },
        { le: 0.5, count: 2 },
        { le: Infinity, count: 2 },
      ],
    });
  });

  it('counts a counter that went down as restarted from zero', async () => {
    const c = server('canary');
    const b = server('baseline');
    c.requests.inc(50);
    const src = source({ 'http://c/metrics': c, 'http://b/metrics': b });
    await src.start();
    c.requests.reset();
    c.requests.inc(3);
    const look = await src.collect();
    expect(look.canary.errors).toMatchObject({ denominator: 3 });
  });

  it('raises NoDataError when a track has none of the metrics, and on the first scrape', async () => {
    const c = server('canary');
    const empty = { registry: new Registry() } as ReturnType<typeof server>;
    const noStart = source({ 'http://c/metrics': c, 'http://b/metrics': server('baseline') });
    await expect(noStart.collect()).rejects.toThrow(NoDataError);
    const src = source({ 'http://c/metrics': c, 'http://b/metrics': empty });
    await src.start();
    await expect(src.collect()).rejects.toMatchObject({ name: 'NoDataError', track: 'baseline' });
  });

  it('raises SourceUnavailableError when a track cannot be read', async () => {
    const src = source({ 'http://c/metrics': server('canary'), 'http://b/metrics': 'down' });
    await expect(src.collect()).rejects.toThrow(SourceUnavailableError);
    await expect(src.collect()).rejects.toThrow(/scrape http:\/\/b\/metrics: connect ECONNREFUSED/);
  });

  it('selects series by the rendered labels', async () => {
    const c = server('canary');
    const src = new ScrapeSource({
      metrics: [
        gateMetric.parse({
          name: 'errors',
          type: 'ratio',
          numerator: 'prediction_errors_total',
          denominator: 'predictions_total',
          max: 0.1,
          labels: { track: 'other' },
        }),
      ],
      timeoutMs: 1000,
      tracks: {
        canary: { urls: ['u'], vars: trackVars('canary') },
        baseline: { urls: ['u'], vars: trackVars('baseline') },
      },
      fetchText: async () => c.registry.metrics(),
    });
    await src.start();
    await expect(src.collect()).rejects.toThrow(NoDataError);
  });
});
