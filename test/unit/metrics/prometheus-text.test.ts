import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { TextFormatError, parsePrometheusText } from '../../../src/metrics/prometheus-text.js';

/** prom-client's real exposition, with default labels like the example server's. */
async function exposition(): Promise<string> {
  const registry = new Registry();
  registry.setDefaultLabels({ version: 'v"2', track: 'canary' });
  const h = new Histogram({
    name: 'prediction_latency_seconds',
    help: 'Latency.',
    buckets: [0.1, 0.5],
    labelNames: ['route'],
    registers: [registry],
  });
  h.observe({ route: 'a\\b\nc' }, 0.3);
  h.observe({ route: 'a\\b\nc' }, 2);
  new Counter({ name: 'predictions_total', help: 'Requests.', registers: [registry] }).inc(7);
  new Gauge({ name: 'model_precision', help: 'Precision.', registers: [registry] }).set(-Infinity);
  return registry.metrics();
}

describe('parsePrometheusText', () => {
  it("keeps every label of prom-client's labelled histograms, escapes included", async () => {
    const { samples, types } = parsePrometheusText(await exposition());
    const buckets = samples.filter((s) => s.name === 'prediction_latency_seconds_bucket');
    expect(buckets.map((b) => [b.labels.le, b.value])).toEqual([
      ['0.1', 0],
      ['0.5', 1],
      ['+Inf', 2],
    ]);
    expect(buckets[0]?.labels).toEqual({
      le: '0.1',
      version: 'v"2',
      track: 'canary',
      route: 'a\\b\nc',
    });
    expect(samples.find((s) => s.name === 'prediction_latency_seconds_sum')?.value).toBeCloseTo(
      2.3,
    );
    expect(samples.find((s) => s.name === 'predictions_total')).toEqual({
      name: 'predictions_total',
      labels: { version: 'v"2', track: 'canary' },
      value: 7,
    });
    expect(samples.find((s) => s.name === 'model_precision')?.value).toBe(-Infinity);
    expect(types).toMatchObject({
      prediction_latency_seconds: 'histogram',
      predictions_total: 'counter',
      model_precision: 'gauge',
    });
  });

  it.each([
    ['x 1 1700000000000', { name: 'x', labels: {}, value: 1 }],
    ['x{} NaN', { name: 'x', labels: {}, value: NaN }],
    ['x{a="1",} +Inf', { name: 'x', labels: { a: '1' }, value: Infinity }],
    ['ns:x_total{ a = "b" } 2.5e3', { name: 'ns:x_total', labels: { a: 'b' }, value: 2500 }],
  ])('parses %s', (line, sample) => {
    expect(parsePrometheusText(line).samples).toEqual([sample]);
  });

  it.each([
    ['x{a=1} 1', 'quoted value'],
    ['x{a="1" 1', 'expected , or }'],
    ['x{a="1', 'unterminated'],
    ['x abc', 'invalid value'],
    ['{a="1"} 1', 'metric name'],
  ])('rejects %s with the line number', (line, message) => {
    expect(() => parsePrometheusText(`# HELP x y\n${line}`)).toThrow(TextFormatError);
    expect(() => parsePrometheusText(`# HELP x y\n${line}`)).toThrow(
      new RegExp(`line 2: .*${message}`),
    );
  });
});
