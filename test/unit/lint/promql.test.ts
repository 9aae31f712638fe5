import { describe, expect, it } from 'vitest';
import { caretSnippet, checkPromqlSyntax } from '../../../src/analysis/promql-syntax.js';

describe('checkPromqlSyntax', () => {
  it.each([
    'sum(rate(http_requests_total{job="a"}[5m]))',
    'histogram_quantile(0.95, sum by (le) (rate(prediction_latency_seconds_bucket[5m])))',
    'sum(rate(model_correct_total[5m])) / sum(rate(model_scored_total[5m]))',
  ])('accepts %s', (q) => expect(checkPromqlSyntax(q)).toBeUndefined());

  it.each([
    ['sum(rate(x[5m])', 1, 16, 'unexpected end of query'],
    ['sum(rate(x{job="a"[5m]))', 1, 19, 'unexpected "["'],
    ['foo bar', 1, 5, 'unexpected "bar"'],
    ['up ==', 1, 6, 'unexpected end of query'],
    ['sum(\n  rate(x[5m]) +\n)', 3, 1, 'unexpected ")"'],
    ['', 1, 1, 'empty query'],
  ])('reports %j at line %i, column %i', (query, line, column, message) => {
    expect(checkPromqlSyntax(query)).toMatchObject({ line, column, message });
  });

  it('draws a caret under the error', () => {
    const q = 'sum(rate(x{job="a"[5m]))';
    expect(caretSnippet(q, checkPromqlSyntax(q)!)).toBe(`${q}\n${' '.repeat(18)}^`);
  });
});
