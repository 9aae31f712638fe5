// Every PromQL query in monitoring/ parses with Prometheus' grammar (lezer-promql), and
// every metric it reads is exported by the real example server's /metrics or recorded by a
// rule, so a renamed metric cannot silently break the alerts or the dashboard.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startExampleServer, type ExampleServer } from './example-server.js';
import {
  MONITORING,
  dashboardFiles,
  dashboardQueries,
  exposedNames,
  metricNames,
  promqlError,
  readDashboard,
  recordedNames,
  ruleQueries,
} from './monitoring-files.js';

const DASHBOARD = join(MONITORING, 'grafana', 'dashboards', 'model-delivery.json');
const allQueries = () => [...ruleQueries(), ...dashboardFiles().flatMap(dashboardQueries)];

describe('PromQL in rules and dashboards', () => {
  test('the dashboard has queries in panels, annotations and variables', () => {
    const wheres = dashboardQueries(DASHBOARD).map((q) => q.where);
    expect(wheres.filter((w) => w.includes(' panel ')).length).toBeGreaterThanOrEqual(6);
    expect(wheres.filter((w) => w.includes(' annotation ')).length).toBeGreaterThanOrEqual(1);
    expect(wheres.filter((w) => w.includes(' variable ')).length).toBeGreaterThanOrEqual(3);
  });

  test('every query parses with @prometheus-io/lezer-promql', () => {
    const failures = allQueries().flatMap((q) => {
      const error = promqlError(q.query);
      return error ? [`${q.where}: ${error}\n  ${q.query}`] : [];
    });
    expect(failures).toEqual([]);
  });

  test('the parse check catches a broken query (so the test above can fail)', () => {
    expect(promqlError('sum by (le) (rate(prediction_latency_seconds_bucket[5m])')).toBeDefined();
    expect(promqlError('rate(predictions_total[$__rate_interval])')).toBeDefined();
    expect(
      metricNames('sum(rate(a_total{x="1"}[5m])) / on(v) group_left(r) b:rec:c + {__name__="d"}'),
    ).toEqual(['a_total', 'b:rec:c', 'd']);
  });
});

describe('metric names used by monitoring exist', () => {
  let server: ExampleServer;
  let exported: Set<string>;

  beforeAll(async () => {
    server = await startExampleServer({ TRACK: 'canary', MODEL_VERSION: 'v-ops-test' });
    // One labelled prediction, so every series has been touched at least once.
    const res = await fetch(`${server.url}/predict`, {
      method: 'POST',
      body: JSON.stringify({ features: [0.1, 0.2, 0.3, 0.4], label: 1 }),
    });
    expect(res.status).toBe(200);
    exported = exposedNames(await (await fetch(`${server.url}/metrics`)).text());
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('the example server exports the model metrics', () => {
    for (const name of [
      'predictions_total',
      'prediction_errors_total',
      'prediction_latency_seconds_bucket',
      'model_scored_total',
      'model_correct_total',
      'prediction_score_bucket',
      'model_info',
    ]) {
      expect(exported, name).toContain(name);
    }
  });

  test('every metric read by a rule or a dashboard is exported or recorded', () => {
    const recorded = recordedNames();
    const missing = allQueries().flatMap((q) =>
      metricNames(q.query)
        .filter((name) => !exported.has(name) && !recorded.has(name))
        .map((name) => `${q.where}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  test('a renamed metric would be caught', () => {
    expect(exported.has('prediction_duration_seconds_bucket')).toBe(false);
    expect(recordedNames().has('prediction_duration_seconds_bucket')).toBe(false);
  });
});

describe('the "Model delivery" dashboard', () => {
  const dash = readDashboard(DASHBOARD);
  const json = readFileSync(DASHBOARD, 'utf8');

  test('is titled "Model delivery" and shows the four views per track', () => {
    expect(dash.title).toBe('Model delivery');
    const titles = JSON.stringify(dash.panels.map((p) => p.title));
    for (const t of ['Error rate', 'p95 latency', 'Online accuracy', 'Score distribution'])
      expect(titles).toContain(t);
    // Canary, baseline and stable side by side: series per track, and the score panel repeated per track.
    const queries = dashboardQueries(DASHBOARD).filter((q) => q.where.includes(' panel '));
    for (const q of queries) expect(q.query, q.where).toMatch(/track(=~?"\$track"|,)/);
    expect(json).toContain('"repeat": "track"');
  });

  test('has deployment annotations from model_info', () => {
    const annotations = dash.annotations.list.filter((a) => a.expr);
    expect(annotations.map((a) => a.name)).toEqual(
      expect.arrayContaining(['Stable deployments', 'Canary deployments']),
    );
    for (const a of annotations) expect(metricNames(a.expr!)).toEqual(['model_info']);
  });

  test('provisioning points Grafana at Prometheus and at the dashboard files', () => {
    const ds = parse(
      readFileSync(join(MONITORING, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as {
      datasources: { type: string; uid: string }[];
    };
    expect(ds.datasources).toEqual([expect.objectContaining({ type: 'prometheus' })]);
    const providers = parse(
      readFileSync(join(MONITORING, 'grafana/provisioning/dashboards/model-delivery.yml'), 'utf8'),
    ) as { providers: { type: string; options: { path: string } }[] };
    expect(providers.providers[0]).toEqual(expect.objectContaining({ type: 'file' }));
    // Panels take their data source from the `datasource` variable (type prometheus).
    const variable = dash.templating.list.find((v) => v.name === 'datasource');
    expect(variable).toEqual(expect.objectContaining({ type: 'datasource', query: 'prometheus' }));
  });
});
