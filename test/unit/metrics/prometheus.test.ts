import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { gateSection } from '../../../src/config/sections/gate.js';
import { createMetricProvider } from '../../../src/metrics/factory.js';
import { PrometheusSource } from '../../../src/metrics/prometheus.js';
import { NoDataError, SourceUnavailableError } from '../../../src/metrics/types.js';
import { BOTH_TRACKS, ERRORS_AND_LATENCY, trackVars } from './fixtures.js';

interface Seen {
  queries: string[];
  times: (string | null)[];
  auth: (string | undefined)[];
}

/** A loopback stand-in for /api/v1/query answering in Prometheus' JSON format. */
async function fakePrometheus(
  answer: (query: string, n: number) => { status: number; body: unknown },
): Promise<{ url: string; seen: Seen; server: Server }> {
  const seen: Seen = { queries: [], times: [], auth: [] };
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname !== '/api/v1/query') {
      res.writeHead(404).end();
      return;
    }
    const q = u.searchParams.get('query') ?? '';
    seen.queries.push(q);
    seen.times.push(u.searchParams.get('time'));
    seen.auth.push(req.headers.authorization);
    const a = answer(q, seen.queries.length);
    res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const vector = (items: Array<[Record<string, string>, string]>) => ({
  status: 200,
  body: {
    status: 'success',
    data: {
      resultType: 'vector',
      result: items.map(([metric, v]) => ({ metric, value: [1700000000, v] })),
    },
  },
});

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (s) await new Promise((r) => s.close(r));
});

describe('PrometheusSource', () => {
  it('builds increase() queries per track and reads counts and buckets', async () => {
    const fake = await fakePrometheus((q) => {
      if (q.includes('_bucket'))
        return vector([
          [{ le: '0.5' }, '9.6'],
          [{ le: '+Inf' }, '10.2'],
        ]);
      return vector([[{}, q.includes('errors') ? '1.4' : '10.2']]);
    });
    server = fake.server;
    const src = new PrometheusSource({
      url: `${fake.url}/`,
      metrics: ERRORS_AND_LATENCY,
      vars: BOTH_TRACKS,
      timeoutMs: 2000,
      retries: 0,
      authorization: 'Bearer s3cret',
    });
    const look = await src.collect();
    expect(look.canary.errors).toEqual({ kind: 'counts', numerator: 1, denominator: 10 });
    expect(look.baseline.latency).toEqual({
      kind: 'buckets',
      count: 10,
      buckets: [
        { le: 0.5, count: 10 },
        { le: Infinity, count: 10 },
      ],
    });
    expect(fake.seen.queries).toContain(
      'sum(increase(prediction_errors_total{track="canary"}[5s]))',
    );
    expect(fake.seen.queries).toContain(
      'sum by (le) (increase(prediction_latency_seconds_bucket{track="baseline"}[5s]))',
    );
    expect(new Set(fake.seen.auth)).toEqual(new Set(['Bearer s3cret']));
  });

  it('counts each look as the increase since the gate began minus the previous look, at one instant', async () => {
    // Cumulative increases Prometheus answers at look 1, 2 and 3 (look 2's canary has no data).
    const answers = [
      { errors: '2.4', total: '100.4' },
      { errors: '', total: '' },
      { errors: '6.2', total: '251' },
    ];
    let look = 0;
    const fake = await fakePrometheus((q) => {
      const a = answers[look] as { errors: string; total: string };
      if (q.includes('track="canary"') && a.total === '') return vector([]);
      return vector([[{}, q.includes('errors') ? a.errors || '2.4' : a.total || '100.4']]);
    });
    server = fake.server;
    let clock = 1_700_000_000_000;
    const src = new PrometheusSource({
      url: fake.url,
      metrics: ERRORS_AND_LATENCY.slice(0, 1),
      vars: BOTH_TRACKS,
      timeoutMs: 2000,
      retries: 0,
      now: () => clock,
    });
    await src.start();
    clock += 5000;
    const first = await src.collect();
    expect(first.canary.errors).toEqual({ kind: 'counts', numerator: 2, denominator: 100 });
    expect(fake.seen.queries).toContain(
      'sum(increase(prediction_errors_total{track="canary"}[5s]))',
    );
    expect(new Set(fake.seen.times)).toEqual(new Set(['1700000005.000']));
    look = 1;
    clock += 5000;
    await expect(src.collect()).rejects.toThrow(NoDataError);
    look = 2;
    clock += 5000;
    fake.seen.queries.length = 0;
    fake.seen.times.length = 0;
    const third = await src.collect();
    // The failed look moved neither track on: both get everything since look 1.
    expect(third.canary.errors).toEqual({ kind: 'counts', numerator: 4, denominator: 151 });
    expect(third.baseline.errors).toEqual({ kind: 'counts', numerator: 4, denominator: 151 });
    expect(fake.seen.queries).toContain('sum(increase(predictions_total{track="baseline"}[15s]))');
    expect(new Set(fake.seen.times)).toEqual(new Set(['1700000015.000']));
  });

  it('retries on 5xx, then succeeds', async () => {
    const fake = await fakePrometheus((_, n) =>
      n <= 2 ? { status: 503, body: { status: 'error', error: 'busy' } } : vector([[{}, '5']]),
    );
    server = fake.server;
    const src = new PrometheusSource({
      url: fake.url,
      metrics: ERRORS_AND_LATENCY.slice(0, 1),
      vars: BOTH_TRACKS,
      timeoutMs: 2000,
      retries: 3,
      retryDelayMs: 0,
    });
    await expect(src.query('up')).resolves.toHaveLength(1);
    expect(fake.seen.queries).toHaveLength(3);
  });

  it('raises NoDataError on empty results and SourceUnavailableError when down', async () => {
    const fake = await fakePrometheus(() => vector([]));
    server = fake.server;
    const opts = {
      metrics: ERRORS_AND_LATENCY,
      vars: BOTH_TRACKS,
      timeoutMs: 500,
      retries: 1,
      retryDelayMs: 0,
    };
    await expect(new PrometheusSource({ url: fake.url, ...opts }).collect()).rejects.toThrow(
      NoDataError,
    );
    await expect(
      new PrometheusSource({ url: 'http://127.0.0.1:1', ...opts }).collect(),
    ).rejects.toThrow(SourceUnavailableError);
  });

  it('does not retry a query Prometheus rejects, and says why', async () => {
    const fake = await fakePrometheus(() => ({
      status: 400,
      body: { status: 'error', errorType: 'bad_data', error: 'parse error' },
    }));
    server = fake.server;
    const src = new PrometheusSource({
      url: fake.url,
      metrics: ERRORS_AND_LATENCY,
      vars: BOTH_TRACKS,
      timeoutMs: 2000,
      retries: 3,
      retryDelayMs: 0,
    });
    await expect(src.query('sum(')).rejects.toThrow(/rejected the query sum\(: parse error/);
    expect(fake.seen.queries).toHaveLength(1);
  });
});

describe('createMetricProvider', () => {
  const tracks = {
    canary: { urls: [], vars: trackVars('canary') },
    baseline: { urls: [], vars: trackVars('baseline') },
  };
  it('picks the configured source and registers the token as a secret', () => {
    const secrets: string[] = [];
    const gate = gateSection.parse({
      source: 'prometheus',
      prometheus: { url: 'http://127.0.0.1:9090', bearerTokenEnv: 'PROM_TOKEN' },
    });
    const p = createMetricProvider({
      gate,
      variable: (name) => (name === 'PROM_TOKEN' ? 'tok' : undefined),
      addSecret: (s) => secrets.push(s),
      tracks,
    });
    expect(p.kind).toBe('prometheus');
    expect(secrets).toEqual(['tok']);
    expect(
      createMetricProvider({
        gate: gateSection.parse({}),
        variable: () => undefined,
        addSecret: () => undefined,
        tracks,
      }).kind,
    ).toBe('scrape');
  });

  it('throws on an unknown kind, naming the allowed ones', () => {
    const gate = { ...gateSection.parse({}), source: 'datadog' } as unknown as ReturnType<
      typeof gateSection.parse
    >;
    expect(() =>
      createMetricProvider({ gate, variable: () => undefined, addSecret: () => undefined, tracks }),
    ).toThrow(/unknown source "datadog"; expected one of: scrape, prometheus/);
  });

  it('says which env is missing for auth', () => {
    const gate = gateSection.parse({
      source: 'prometheus',
      prometheus: { url: 'http://127.0.0.1:9090', basicAuthEnv: 'PROM_BASIC' },
    });
    expect(() =>
      createMetricProvider({ gate, variable: () => undefined, addSecret: () => undefined, tracks }),
    ).toThrow(/env PROM_BASIC is empty or unset/);
  });
});
