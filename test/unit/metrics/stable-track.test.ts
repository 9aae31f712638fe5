import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PrometheusSource } from '../../../src/metrics/prometheus.js';
import { createPodScrapeSource } from '../../../src/metrics/scrape-pods.js';
import { BOTH_TRACKS, ERRORS_AND_LATENCY, trackVars } from './fixtures.js';
import { scrapeOf, server, type ModelServer } from './model-server.js';

// Issue 16: with gate.stableMargin the sources read the stable track too (the judge pools it
// into the baseline's rate); it is optional evidence: a stable that is missing or down
// never fails a look, and without it the sources answer as before.

type Server_ = ModelServer;

const STABLE = { urls: ['http://s1/metrics', 'http://s2/metrics'], vars: trackVars('stable') };
const scrape = (servers: Record<string, Server_ | 'down'>, withStable: boolean) =>
  scrapeOf(servers, {
    metrics: ERRORS_AND_LATENCY.slice(0, 1),
    ...(withStable ? { stable: STABLE } : {}),
  });

describe('ScrapeSource with the stable track', () => {
  it("sums the stable's processes into a third track of samples", async () => {
    const [c, b, s1, s2] = ['canary', 'baseline', 'stable', 'stable'].map(server) as [
      Server_,
      Server_,
      Server_,
      Server_,
    ];
    const all = {
      'http://c/metrics': c,
      'http://b/metrics': b,
      'http://s1/metrics': s1,
      'http://s2/metrics': s2,
    };
    const src = scrape(all, true);
    await src.start();
    c.requests.inc(10);
    b.requests.inc(10);
    s1.requests.inc(40);
    s1.errors.inc(1);
    s2.requests.inc(40);
    s2.errors.inc(2);
    const look = await src.collect();
    expect(look.stable?.errors).toEqual({ kind: 'counts', numerator: 3, denominator: 80 });
    expect(look.canary.errors).toEqual({ kind: 'counts', numerator: 0, denominator: 10 });
  });

  it('goes on without the stable when it is down, and without one when none is read', async () => {
    const [c, b] = ['canary', 'baseline'].map(server) as [Server_, Server_];
    const down = scrape(
      { 'http://c/metrics': c, 'http://b/metrics': b, 'http://s1/metrics': 'down' },
      true,
    );
    await down.start();
    c.requests.inc(5);
    b.requests.inc(5);
    const look = await down.collect();
    expect(look.stable).toBeUndefined();
    expect(look.baseline.errors).toEqual({ kind: 'counts', numerator: 0, denominator: 5 });
    const none = scrape({ 'http://c/metrics': c, 'http://b/metrics': b }, false);
    await none.start();
    c.requests.inc(5);
    b.requests.inc(5);
    expect(Object.keys(await none.collect())).toEqual(['canary', 'baseline']);
  });
});

describe('the pod scrape source with the stable track', () => {
  it("lists the stable's pods and reads them, and a refused listing only drops the stable", async () => {
    const regs = {
      canary: server('canary'),
      baseline: server('baseline'),
      stable: server('stable'),
    };
    let refuse = false;
    const listed: string[] = [];
    const src = createPodScrapeSource({
      metrics: ERRORS_AND_LATENCY.slice(0, 1),
      vars: { ...BOTH_TRACKS, stable: trackVars('stable') },
      timeoutMs: 1000,
      client: {
        async metricsPaths(track) {
          listed.push(track);
          if (track === 'stable' && refuse) throw new Error('forbidden');
          return [`/pods/${track}/proxy/metrics`];
        },
        async fetchText(path) {
          const track = path.split('/')[2] as keyof typeof regs;
          return regs[track].registry.metrics();
        },
      },
    });
    await src.start?.();
    regs.stable.requests.inc(30);
    regs.canary.requests.inc(3);
    regs.baseline.requests.inc(3);
    expect((await src.collect()).stable?.errors).toEqual({
      kind: 'counts',
      numerator: 0,
      denominator: 30,
    });
    expect(listed).toContain('stable');
    refuse = true;
    regs.canary.requests.inc(3);
    regs.baseline.requests.inc(3);
    const look = await src.collect();
    expect(look.stable).toBeUndefined();
    expect(look.canary.errors).toEqual({ kind: 'counts', numerator: 0, denominator: 3 });
  });
});

let prom: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (prom ? prom.close(() => r()) : r()));
  prom = undefined;
});

describe('PrometheusSource with the stable track', () => {
  it('queries track="stable" at the same instant; a failing stable keeps its counts for the next look', async () => {
    let stableDown = false;
    const queries: string[] = [];
    let total = 0;
    prom = createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
      queries.push(q);
      if (q.includes('track="stable"') && stableDown) {
        res.writeHead(503).end('{}');
        return;
      }
      const v = q.includes('track="stable"') ? 8 * total : total;
      const value = q.includes('errors') ? v / 100 : v;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: {}, value: [0, String(value)] }] },
        }),
      );
    });
    await new Promise<void>((r) => prom?.listen(0, '127.0.0.1', r));
    let clock = 1_700_000_000_000;
    const src = new PrometheusSource({
      url: `http://127.0.0.1:${(prom.address() as AddressInfo).port}`,
      metrics: ERRORS_AND_LATENCY.slice(0, 1),
      vars: { ...BOTH_TRACKS, stable: trackVars('stable') },
      timeoutMs: 2000,
      retries: 0,
      retryDelayMs: 0,
      now: () => clock,
    });
    await src.start();
    total = 100;
    clock += 5000;
    const first = await src.collect();
    expect(first.stable?.errors).toEqual({ kind: 'counts', numerator: 8, denominator: 800 });
    expect(queries).toContain('sum(increase(predictions_total{track="stable"}[5s]))');
    stableDown = true;
    total = 200;
    clock += 5000;
    const second = await src.collect();
    expect(second.stable).toBeUndefined();
    expect(second.canary.errors).toEqual({ kind: 'counts', numerator: 1, denominator: 100 });
    stableDown = false;
    total = 300;
    clock += 5000;
    // The stable's next look covers both intervals: nothing lost, nothing counted twice.
    expect((await src.collect()).stable?.errors).toEqual({
      kind: 'counts',
      numerator: 16,
      denominator: 1600,
    });
  });
});
