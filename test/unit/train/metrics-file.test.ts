import { describe, expect, it } from 'vitest';
import { flattenMetrics, parseMetricsJson } from '../../../src/train/metrics-file.js';
import { smokeArgs } from '../../../src/stages/train.js';

describe('metrics file', () => {
  it('flattens nested objects with dots', () => {
    expect(flattenMetrics({ accuracy: 0.9, eval: { loss: 0.2, per_class: { a: 1 } } })).toEqual({
      accuracy: 0.9,
      'eval.loss': 0.2,
      'eval.per_class.a': 1,
    });
  });

  it.each([
    [{ accuracy: 'high' }, 'value at "accuracy" is a string ("high"); metrics must be numbers'],
    [{ eval: { f1: null } }, 'value at "eval.f1" is null; metrics must be numbers'],
    [{ curve: [1, 2] }, 'value at "curve" is a list; metrics must be numbers'],
    [[1], 'expected a JSON object of metrics'],
  ])('names the bad key: %j', (value, message) => {
    expect(() => flattenMetrics(value)).toThrow(message);
  });

  it('rejects non-finite numbers and bad JSON', () => {
    expect(() => parseMetricsJson('{"a": 1e999}')).toThrow('value at "a" is Infinity');
    expect(() => parseMetricsJson('{oops')).toThrow(/^not valid JSON/);
  });
});

describe('smokeArgs', () => {
  it.each([
    [{ max_steps: 10 }, ['--max_steps', '10']],
    [{ fast: true, slow: false, name: 'x y' }, ['--fast', '--name', 'x y']],
    [{}, []],
  ])('%j', (smoke, argv) => expect(smokeArgs(smoke)).toEqual(argv));
});
