import { describe, expect, it } from 'vitest';
import { gateSection } from '../../../src/config/sections/gate.js';
import { judgeSettings } from '../../../src/gate/settings.js';

const issues = (input: unknown) => {
  const r = gateSection.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('gate config', () => {
  it('has safe defaults', () => {
    const g = gateSection.parse({});
    expect(g).toMatchObject({
      source: 'scrape',
      alpha: 0.01,
      onInconclusive: 'abort',
      interval: 30_000,
      minDuration: 60_000,
      maxDuration: 600_000,
      metrics: [],
    });
  });

  it.each([
    [{ source: 'datadog' }, /source: .*"scrape"|"prometheus"/],
    [{ onInconclusive: 'promote' }, /onInconclusive/],
    [{ source: 'prometheus' }, /prometheus.url: required when source is prometheus/],
    [
      { metrics: [{ name: 'e', type: 'ratio', numerator: 'a', denominator: 'b' }] },
      /set at least one bound/,
    ],
    [
      { metrics: [{ name: 'e', type: 'ratio', numerator: 'a', denominator: 'b', max: 2 }] },
      /between 0 and 1/,
    ],
    [
      { metrics: [{ name: 'q', type: 'query', query: 'up', max: 1 }] },
      /type query needs source prometheus/,
    ],
    [
      { metrics: [{ name: 'x', type: 'summary', metric: 'a' }] },
      /ratio, histogram, distribution, gauge or query/,
    ],
    [{ minDuration: '20m', maxDuration: '10m' }, /minDuration: must not exceed maxDuration/],
    [
      {
        source: 'prometheus',
        prometheus: { url: 'http://127.0.0.1:9090' },
        metrics: [{ name: 'q', type: 'query', query: 'up{a="{{nope}}"}', max: 1 }],
      },
      /metrics.0: unknown template variable \{\{nope\}\}/,
    ],
    [
      { metrics: [{ name: 'g', type: 'gauge', metric: 'x', min: 0, labels: { pod: '{{pod}}' } }] },
      /unknown template variable \{\{pod\}\}/,
    ],
  ])('rejects %o', (input, message) => {
    expect(issues(input).join('\n')).toMatch(message);
  });

  it('turns metrics into judge settings with tolerances and default minSamples', () => {
    const g = gateSection.parse({
      metrics: [
        {
          name: 'acc',
          type: 'ratio',
          numerator: 'c',
          denominator: 's',
          min: 0.85,
          maxDecrease: '2%',
        },
        { name: 'p', type: 'gauge', metric: 'model_precision', min: 0.75 },
        { name: 'lat', type: 'histogram', metric: 'l', maxIncrease: 0.05, minSamples: 10 },
      ],
    });
    expect(judgeSettings(g).metrics).toEqual([
      {
        name: 'acc',
        type: 'ratio',
        critical: false,
        minSamples: 100,
        min: 0.85,
        maxDecrease: { percent: true, value: 2 },
      },
      { name: 'p', type: 'gauge', critical: false, minSamples: 1, min: 0.75 },
      {
        name: 'lat',
        type: 'histogram',
        critical: false,
        minSamples: 10,
        quantile: 0.95,
        maxIncrease: { percent: false, value: 0.05 },
      },
    ]);
  });
});
