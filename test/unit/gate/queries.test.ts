import { describe, expect, it } from 'vitest';
import {
  TemplateError,
  metricQueries,
  promDuration,
  renderTemplate,
  type TemplateVars,
} from '../../../src/analysis/queries.js';
import { bucketQuantile, nearestBound } from '../../../src/analysis/histogram.js';
import { gateMetric } from '../../../src/config/sections/gate.js';

const vars: TemplateVars = {
  track: 'canary',
  namespace: 'prod',
  deployment: 'classifier',
  version: 'v2',
  interval: '30s',
};

describe('renderTemplate', () => {
  it.each([
    ['{{track}}', 'canary'],
    ['{{ namespace }}/{{deployment}}@{{version}} [{{interval}}]', 'prod/classifier@v2 [30s]'],
    ['no placeholders', 'no placeholders'],
  ])('%s → %s', (template, out) => expect(renderTemplate(template, vars)).toBe(out));

  it('rejects an unknown placeholder and lists the known ones', () => {
    expect(() => renderTemplate('{{trak}}', vars)).toThrow(TemplateError);
    expect(() => renderTemplate('{{trak}}', vars)).toThrow(
      /unknown template variable \{\{trak\}\}.*\{\{track\}\}, \{\{namespace\}\}/,
    );
  });

  it.each([
    [30_000, '30s'],
    [500, '1s'],
    [90_500, '91s'],
  ])('promDuration(%d) = %s', (ms, s) => expect(promDuration(ms)).toBe(s));
});

describe('metricQueries', () => {
  it.each([
    [
      { name: 'e', type: 'ratio', numerator: 'errs_total', denominator: 'reqs_total', max: 0.1 },
      {
        kind: 'counts',
        numerator: 'sum(increase(errs_total{track="canary"}[30s]))',
        denominator: 'sum(increase(reqs_total{track="canary"}[30s]))',
      },
    ],
    [
      {
        name: 'l',
        type: 'histogram',
        metric: 'lat_seconds',
        max: 1,
        labels: { namespace: '{{namespace}}', app: '{{deployment}}' },
      },
      {
        kind: 'buckets',
        buckets:
          'sum by (le) (increase(lat_seconds_bucket{namespace="prod",app="classifier"}[30s]))',
      },
    ],
    [
      { name: 'g', type: 'gauge', metric: 'model_precision', min: 0.75, labels: {} },
      { kind: 'value', value: 'avg(model_precision)' },
    ],
    [
      { name: 'q', type: 'query', query: 'sum(rate(x{v="{{version}}"}[{{interval}}]))', max: 1 },
      { kind: 'value', value: 'sum(rate(x{v="v2"}[30s]))' },
    ],
  ])('%o', (input, expected) => {
    expect(metricQueries(gateMetric.parse(input), vars)).toEqual(expected);
  });

  it('escapes quotes in label values', () => {
    const m = gateMetric.parse({
      name: 'g',
      type: 'gauge',
      metric: 'x',
      min: 0,
      labels: { a: 'say "hi"\\' },
    });
    expect(metricQueries(m, vars)).toEqual({
      kind: 'value',
      value: 'avg(x{a="say \\"hi\\"\\\\"})',
    });
  });
});

describe('histogram helpers', () => {
  const b = [
    { le: 0.1, count: 50 },
    { le: 0.2, count: 90 },
    { le: 0.5, count: 100 },
    { le: Infinity, count: 100 },
  ];
  it.each([
    [0.5, 0.1],
    [0.7, 0.15],
    [0.95, 0.35],
    [0.25, 0.05],
  ])('quantile %d of the buckets is %d (histogram_quantile interpolation)', (q, v) =>
    expect(bucketQuantile(b, q)).toBeCloseTo(v),
  );
  it('picks the bound nearest a quantile', () => {
    expect(nearestBound(b, 0.92)).toBe(0.2);
    expect(nearestBound([], 0.5)).toBeUndefined();
  });
});

describe('lint sees the gate queries', () => {
  it('renders query metrics with sample values under their config path', async () => {
    const { configSchema } = await import('../../../src/config/schema.js');
    const { collectPromqlQueries } = await import('../../../src/lint/promql-queries.js');
    const config = configSchema.parse({
      gate: {
        source: 'prometheus',
        prometheus: { url: 'http://127.0.0.1:9090' },
        metrics: [
          { name: 'e', type: 'ratio', numerator: 'a', denominator: 'b', max: 0.1 },
          {
            name: 'q',
            type: 'query',
            query: 'sum(rate(x{track="{{track}}"}[{{interval}}]))',
            max: 1,
          },
        ],
      },
    });
    expect(collectPromqlQueries(config).filter((q) => q.path.startsWith('gate.'))).toEqual([
      { path: 'gate.metrics.1.query', query: 'sum(rate(x{track="canary"}[30s]))' },
    ]);
  });
});
