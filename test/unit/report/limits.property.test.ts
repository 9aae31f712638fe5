import fc from 'fast-check';
import { expect, test } from 'vitest';
import { PIPELINE_ORDER, buildDeliveryView } from '../../../src/report/delivery.js';
import { renderPrComment } from '../../../src/report/pr-comment.js';
import { slackLimitProblems } from '../../../src/report/slack-limits.js';
import { renderSlackMessage } from '../../../src/report/slack-message.js';
import { SUMMARY_LIMIT_BYTES, renderSummary, stageSection } from '../../../src/report/summary.js';
import type { StageReport } from '../../../src/report/store.js';
import { GITHUB } from './fixtures.js';

const MIB = 1024 * 1024;

// Text of any kind, sometimes huge (a repeated chunk keeps generation fast).
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc
    .tuple(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 60_000 }),
    )
    .map(([s, n]) => s.repeat(n)),
);
const value = fc.oneof(fc.double(), fc.constant(undefined), fc.constant(null));
const metricName = fc.oneof(
  fc.constantFrom('error_ratio', 'latency_p95', 'accuracy'),
  fc.string({ minLength: 1, maxLength: 300 }),
);

const gateDetails = fc.record({
  verdict: fc.constantFrom('pass', 'fail', 'inconclusive', 'continue'),
  looks: fc.array(
    fc.record({
      t: fc.oneof(fc.nat(), fc.string({ maxLength: 20 })),
      metrics: fc.dictionary(
        metricName,
        fc.record({ canary: value, baseline: value, lower: value, upper: value }),
        { maxKeys: 4 },
      ),
    }),
    { maxLength: 150 },
  ),
  metrics: fc.array(
    fc.record({
      name: metricName,
      status: fc.constantFrom('pass', 'fail', 'running', 'no_data', 'low_traffic'),
      reason: fc.option(text, { nil: undefined }),
      canary: value,
      baseline: value,
      bounds: fc.dictionary(
        fc.string({ maxLength: 30 }),
        fc.oneof(fc.double(), fc.string({ maxLength: 200 })),
        { maxKeys: 5 },
      ),
      note: fc.option(text, { nil: undefined }),
    }),
    { maxLength: 40 },
  ),
});

// Reports as the store reads them back: any stage name, details of any shape.
const report: fc.Arbitrary<StageReport> = fc
  .record({
    stage: fc.oneof(
      fc.constantFrom(...PIPELINE_ORDER),
      fc.string({ minLength: 1, maxLength: 200 }),
    ),
    status: fc.constantFrom('success', 'failure', 'error'),
    reason: text,
    message: fc.option(text, { nil: undefined }),
    details: fc.oneof(
      gateDetails.map((d) => d as Record<string, unknown>),
      fc.constant({}),
    ),
    outputs: fc.constant({}),
    summary: fc.option(text, { nil: undefined }),
    startedAt: fc.constant('2026-11-23T18:00:00.000Z'),
    durationMs: fc.nat(),
    exitCode: fc.constantFrom(0, 1, 2, 3),
  })
  .map((r) => r as StageReport);

const reports = fc.uniqueArray(report, { maxLength: 10, selector: (r) => r.stage });
const environment = fc.option(text, { nil: undefined });

test('any reports render to a Slack message within Block Kit limits, with a fallback text', () => {
  fc.assert(
    fc.property(reports, environment, (rs, env) => {
      const view = buildDeliveryView({
        reports: rs,
        github: GITHUB,
        order: PIPELINE_ORDER,
        environment: env,
      });
      const message = renderSlackMessage(view);
      expect(slackLimitProblems(message)).toEqual([]);
      expect(message.text.length).toBeGreaterThan(0);
      expect(JSON.parse(JSON.stringify(message))).toEqual(message);
    }),
    { numRuns: 150 },
  );
});

test('any reports render to a job summary, a stage section and a PR comment under 1 MiB', () => {
  fc.assert(
    fc.property(reports, (rs) => {
      expect(Buffer.byteLength(renderSummary(rs, PIPELINE_ORDER))).toBeLessThanOrEqual(
        SUMMARY_LIMIT_BYTES,
      );
      for (const r of rs) expect(Buffer.byteLength(stageSection(r))).toBeLessThan(MIB);
      const view = buildDeliveryView({ reports: rs, github: GITHUB, order: PIPELINE_ORDER });
      expect(renderPrComment(view).length).toBeLessThanOrEqual(65_536);
    }),
    { numRuns: 25 },
  );
});
