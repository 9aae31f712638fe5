import { z } from 'zod';
import { TemplateError, renderTemplate } from '../../core/template.js';
import { amount, duration } from '../types.js';

const metricName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { error: 'expected a name of letters, digits and _' })
  .describe('Name of the metric in the report (letters, digits, _).');
const promName = z
  .string()
  .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { error: 'expected a Prometheus metric name' });

const common = {
  name: metricName,
  critical: z
    .boolean()
    .default(false)
    .describe('A failure of this metric fails the gate at once, even before minDuration.'),
  minSamples: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe(
      'Least number of events per track (requests, observations; looks for gauge and query) for a pass. Default 100, or 1 look for gauge and query.',
    ),
  labels: z
    .record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string())
    .default({ track: '{{track}}' })
    .describe(
      "Label matchers selecting one track's series; values are templates ({{track}}, {{namespace}}, {{deployment}}, {{version}}).",
    ),
};
const min = z.number().optional().describe("Absolute lower bound of the canary's value.");
const max = z.number().optional().describe("Absolute upper bound of the canary's value.");
const maxIncrease = amount
  .optional()
  .describe(
    'Tolerated increase over the baseline: "20%" or an absolute amount. Default 0: any significant increase fails.',
  );
const weight = z
  .number()
  .positive()
  .optional()
  .describe(
    "This metric's share of gate.alpha for failing, relative to the other statistical metrics' weights. Default 3 for a critical metric, 1 otherwise.",
  );
const maxDecrease = amount
  .optional()
  .describe('Tolerated decrease below the baseline: "2%" or an absolute amount.');

const ratio = z.strictObject({
  ...common,
  type: z
    .literal('ratio')
    .describe('Two counters: numerator / denominator (error rate, online accuracy).'),
  numerator: promName.describe(
    'Counter of the events counted (prediction_errors_total, model_correct_total).',
  ),
  denominator: promName.describe('Counter of all events (predictions_total, model_scored_total).'),
  min,
  max,
  maxIncrease,
  maxDecrease,
  weight,
});

const histogram = z.strictObject({
  ...common,
  type: z.literal('histogram').describe('A Prometheus histogram and a quantile (latency p95).'),
  metric: promName.describe('Histogram name without _bucket (prediction_latency_seconds).'),
  quantile: z.number().gt(0).lt(1).default(0.95).describe('The quantile compared.'),
  max: max.describe(
    "Upper bound of the canary's quantile, in the histogram's unit (seconds), interpolated inside buckets as histogram_quantile does.",
  ),
  maxIncrease: maxIncrease.describe(
    'Tolerated increase of the quantile over the baseline\'s: "20%" (canary ≤ 1.2 × baseline) or an amount in the unit. Default 0: the quantiles themselves are compared.',
  ),
  weight,
});

const distribution = z.strictObject({
  ...common,
  type: z
    .literal('distribution')
    .describe('A histogram of prediction scores, compared in shape with the baseline (drift).'),
  metric: promName.describe('Histogram name without _bucket (prediction_score).'),
  maxShift: amount
    .optional()
    .describe(
      'Tolerated change of the share of scores above the baseline\'s median, both ways, e.g. "10%". Default 0.',
    ),
  weight,
});

const gauge = z.strictObject({
  ...common,
  type: z
    .literal('gauge')
    .describe('A gauge checked against absolute bounds at each look (model_precision).'),
  metric: promName.describe("Gauge name; averaged over the track's series."),
  min,
  max,
});

const query = z.strictObject({
  ...common,
  type: z
    .literal('query')
    .describe('A raw PromQL template returning one number per track (Prometheus source only).'),
  query: z
    .string()
    .min(1)
    .describe('PromQL with {{track}}, {{namespace}}, {{deployment}}, {{version}}, {{interval}}.'),
  min,
  max,
  maxIncrease,
  maxDecrease,
});

export const gateMetric = z
  .discriminatedUnion('type', [ratio, histogram, distribution, gauge, query], {
    error: 'expected a metric with type ratio, histogram, distribution, gauge or query',
  })
  .superRefine((m, ctx) => {
    const bounded =
      m.type === 'distribution' ||
      ('min' in m && m.min !== undefined) ||
      ('max' in m && m.max !== undefined) ||
      ('maxIncrease' in m && m.maxIncrease !== undefined) ||
      ('maxDecrease' in m && m.maxDecrease !== undefined);
    if (!bounded)
      ctx.addIssue({
        code: 'custom',
        message: `metric ${m.name}: set at least one bound (min, max, maxIncrease or maxDecrease)`,
      });
    if (
      m.type === 'ratio' &&
      ((m.min !== undefined && (m.min <= 0 || m.min >= 1)) ||
        (m.max !== undefined && (m.max <= 0 || m.max >= 1)))
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `metric ${m.name}: a ratio's min and max must lie between 0 and 1`,
      });
    }
  });
export type GateMetricConfig = z.output<typeof gateMetric>;

export const gateSection = z
  .strictObject({
    source: z
      .enum(['scrape', 'prometheus'])
      .default('scrape')
      .describe(
        "Where metrics come from: scrape each track's /metrics (no Prometheus needed) or the Prometheus HTTP API.",
      ),
    prometheus: z
      .strictObject({
        url: z
          .string()
          .url()
          .optional()
          .describe('Base URL of the Prometheus-compatible API (Prometheus, Thanos, Mimir).'),
        bearerTokenEnv: z.string().optional().describe('Env variable holding a bearer token.'),
        basicAuthEnv: z
          .string()
          .optional()
          .describe('Env variable holding "user:password" for basic auth.'),
        timeout: duration('10s').describe('Time limit of one query.'),
        retries: z
          .number()
          .int()
          .min(0)
          .max(10)
          .default(2)
          .describe('Retries on network errors and 5xx.'),
      })
      .prefault({})
      .describe('The Prometheus source.'),
    namespace: z.string().default('default').describe('Value of {{namespace}} in templates.'),
    deployment: z
      .string()
      .optional()
      .describe('Value of {{deployment}} in templates (default: deploy.name when set).'),
    interval: duration('30s').describe('Time between looks.'),
    minDuration: duration('1m').describe(
      'No early pass, and no failure of a non-critical metric, before this.',
    ),
    maxDuration: duration('10m').describe(
      'The gate ends by then: pass if nothing failed, every metric has its minSamples and every tolerance set is shown; else inconclusive (insufficient_evidence, low_traffic, no_data).',
    ),
    alpha: z
      .number()
      .gt(0)
      .lt(0.5)
      .default(0.01)
      .describe('Bound on the false-fail rate of the whole gate, over all looks and metrics.'),
    stableMargin: z
      .string()
      .regex(/^\d+(\.\d+)?%$/, { error: 'expected a percentage such as "10%"' })
      .optional()
      .describe(
        "Opt-in: ratio metrics also use the stable track's traffic as evidence on the baseline's rate (earlier failures), assuming the stable's rate of bad events is below the baseline's by at most this much; a failure found that way is held back while the baseline looks worse than the stable by more, and the baseline-alone test still stands. Unset: the baseline alone (see docs/gate.md).",
      ),
    onInconclusive: z
      .enum(['abort', 'rollback'])
      .default('abort')
      .describe(
        'What an inconclusive gate does: abort (canary removed, nobody blamed) or rollback.',
      ),
    metrics: z
      .array(gateMetric)
      .default([])
      .describe('The metrics compared between canary and baseline.'),
    load: z
      .strictObject({
        file: z
          .string()
          .describe('JSON-lines file of request bodies, relative to the repository root.'),
        rps: z
          .number()
          .positive()
          .max(1000)
          .default(5)
          .describe('Requests per second sent to the front during the gate.'),
        labelled: z
          .boolean()
          .default(true)
          .describe("Send each line's `label` along (feeds online accuracy); false strips it."),
        path: z.string().default('/predict').describe('Path requests are POSTed to.'),
      })
      .optional()
      .describe('Synthetic traffic for services with little of their own.'),
  })
  .superRefine((g, ctx) => {
    if (g.minDuration > g.maxDuration)
      ctx.addIssue({
        code: 'custom',
        path: ['minDuration'],
        message: 'must not exceed maxDuration',
      });
    const names = g.metrics.map((m) => m.name);
    for (const n of new Set(names)) {
      if (names.filter((x) => x === n).length > 1)
        ctx.addIssue({
          code: 'custom',
          path: ['metrics'],
          message: `metric name ${n} is used twice`,
        });
    }
    if (g.source === 'prometheus' && !g.prometheus.url)
      ctx.addIssue({
        code: 'custom',
        path: ['prometheus', 'url'],
        message: 'required when source is prometheus',
      });
    // Placeholders are checked here, so that a typo is a config error, not a failed look.
    const sample = {
      track: 'canary',
      namespace: 'ns',
      deployment: 'app',
      version: 'v1',
      interval: '30s',
    };
    g.metrics.forEach((m, i) => {
      for (const template of [
        ...Object.values(m.labels),
        ...(m.type === 'query' ? [m.query] : []),
      ]) {
        try {
          renderTemplate(template, sample);
        } catch (e) {
          if (!(e instanceof TemplateError)) throw e;
          ctx.addIssue({ code: 'custom', path: ['metrics', i], message: e.message });
        }
      }
    });
    if (g.source === 'scrape') {
      for (const m of g.metrics) {
        if (m.type === 'query')
          ctx.addIssue({
            code: 'custom',
            path: ['metrics'],
            message: `metric ${m.name}: type query needs source prometheus`,
          });
      }
    }
  })
  .prefault({})
  .describe(
    'The gate stage: canary against baseline, with anytime-valid sequential tests (docs/gate.md).',
  );
