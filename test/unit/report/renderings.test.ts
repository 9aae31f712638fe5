import { describe, expect, test } from 'vitest';
import { chartData } from '../../../src/report/chart-data.js';
import { PIPELINE_ORDER, buildDeliveryView } from '../../../src/report/delivery.js';
import { metricSeries, readGateData } from '../../../src/report/gate-data.js';
import { renderHtmlReport } from '../../../src/report/html-report.js';
import { PR_COMMENT_MARKER, renderPrComment } from '../../../src/report/pr-comment.js';
import type { SectionBlock } from '../../../src/report/slack-limits.js';
import { renderSlackMessage } from '../../../src/report/slack-message.js';
import { stageSection, truncateMarkdown } from '../../../src/report/summary.js';
import { svgChart } from '../../../src/report/svg-chart.js';
import {
  GITHUB,
  deployReport,
  failedGateReport,
  rollbackReport,
  stageReport,
  trainReport,
} from './fixtures.js';

const failedDelivery = () =>
  buildDeliveryView({
    reports: [
      stageReport('lint'),
      trainReport(),
      deployReport(),
      failedGateReport(),
      rollbackReport(),
    ],
    github: GITHUB,
    order: PIPELINE_ORDER,
    environment: 'production',
  });

describe('Slack message', () => {
  test('header, links, a section per stage, gate metrics as fields (failing first, with numbers)', () => {
    const message = renderSlackMessage(failedDelivery());
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        emoji: true,
        text: 'acme/classifier · production · v2 — ↩️ rolled back (gate: threshold_exceeded)',
      },
    });
    expect(JSON.stringify(message.blocks[1])).toContain(
      '<https://github.com/acme/classifier/actions/runs/42|job summary>',
    );
    const stageTexts = message.blocks
      .filter((b): b is SectionBlock => b.type === 'section' && !!b.text)
      .map((b) => b.text?.text ?? '');
    for (const stage of ['lint', 'train', 'deploy', 'gate', 'rollback'])
      expect(stageTexts.some((t) => t.includes(`*${stage}*`))).toBe(true);
    const fields =
      message.blocks.find((b): b is SectionBlock => b.type === 'section' && !!b.fields)?.fields ??
      [];
    expect(fields[0]?.text).toBe(
      '❌ *error_ratio* fail `threshold_exceeded`\ncanary *0.12* · baseline 0.01\nbounds: max 0.05',
    );
    expect(fields[1]?.text).toContain('*latency_p95* pass');
    expect(message.text).toContain(
      'failing: error_ratio ❌ fail (threshold_exceeded): canary 0.12, baseline 0.01; max 0.05',
    );
  });

  test('mrkdwn from reports is escaped', () => {
    const view = buildDeliveryView({
      reports: [
        stageReport('lint', {
          status: 'failure',
          reason: 'lint_failed',
          message: '<!channel> a & b',
        }),
      ],
      github: GITHUB,
      order: PIPELINE_ORDER,
    });
    expect(JSON.stringify(renderSlackMessage(view).blocks)).toContain('&lt;!channel&gt; a &amp; b');
  });
});

describe('job summary', () => {
  test('the gate section has its table and a mermaid xychart per metric with the bounds', () => {
    const section = stageSection(failedGateReport(4));
    expect(section).toMatch(/^## ❌ gate — failure \(`threshold_exceeded`, 1m35s\)/);
    expect(section).toContain(
      '| error_ratio | ❌ fail | 0.12 | 0.01 | max 0.05 | threshold_exceeded |',
    );
    const charts = section.match(/```mermaid\n[\s\S]*?```/g) ?? [];
    expect(charts).toHaveLength(2);
    expect(charts[1]).toContain('xychart-beta');
    expect(charts[1]).toContain('x-axis "time in gate" ["30s", "1m", "1m30s", "2m"]');
    expect(charts[1]).toContain('line [0.02, 0.07, 0.12, 0.17]');
    expect(charts[1]).toContain('line [0.05, 0.05, 0.05, 0.05]');
  });

  test('truncation stays under the limit, closes an open code fence and says so', () => {
    const text = `# t\n\n\`\`\`mermaid\n${'line [1, 2, 3]\n'.repeat(10_000)}\`\`\`\n`;
    const cut = truncateMarkdown(text, 50_000);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(50_000);
    expect(cut.match(/^```/gm)).toHaveLength(2);
    expect(cut).toContain(`> ✂️ Truncated: this section was ${Buffer.byteLength(text)} bytes`);
  });
});

describe('charts', () => {
  test('looks without canary or baseline are not drawn; long gates are thinned to 60 points', () => {
    const gate = readGateData(failedGateReport(200));
    if (!gate) throw new Error('no gate');
    gate.looks[5] = { t: 0, metrics: {} };
    const data = chartData(metricSeries(gate, 'error_ratio'));
    expect(data?.skipped).toBe(1);
    expect(data?.labels).toHaveLength(60);
    // error_ratio has only `max`: no lower bound line.
    expect(data?.series.map((s) => s.key)).toEqual(['canary', 'baseline', 'upper']);
    expect(data?.series[0]?.values.at(-1)).toBeCloseTo(0.02 + 199 * 0.05);
  });

  test('bound lines: max, and the baseline plus maxIncrease, whichever is tighter', () => {
    const gate = readGateData(failedGateReport(2));
    if (!gate) throw new Error('no gate');
    // latency_p95: max 0.5, maxIncrease 20% of baseline 0.11 → 0.132.
    expect(metricSeries(gate, 'latency_p95').upper).toEqual([0.11 * 1.2, 0.11 * 1.2]);
    expect(metricSeries(gate, 'error_ratio').upper).toEqual([0.05, 0.05]);
    gate.metrics[1] = {
      ...(gate.metrics[1] as (typeof gate.metrics)[number]),
      bounds: { min: 0.001, maxDecrease: '0.005' },
    };
    expect(metricSeries(gate, 'error_ratio').lower).toEqual([0.005, 0.005]);
    expect(metricSeries(gate, 'error_ratio').upper).toEqual([undefined, undefined]);
  });

  test('with deploy.steps each look is labelled with its step, and the page names the ramp and the verdict step', () => {
    const report = failedGateReport(3);
    const details = report.details as { looks: Array<Record<string, unknown>> };
    details.looks.forEach((l, i) => (l.step = i < 2 ? 10 : 25));
    Object.assign(report.details ?? {}, { steps: [10, 25, 50], step: 25 });
    const gate = readGateData(report);
    if (!gate) throw new Error('no gate');
    expect(gate).toMatchObject({ steps: [10, 25, 50], step: 25 });
    expect(metricSeries(gate, 'error_ratio').labels).toEqual(['30s @10%', '1m @10%', '1m30s @25%']);
    const view = buildDeliveryView({
      reports: [deployReport(), report],
      github: GITHUB,
      order: PIPELINE_ORDER,
      environment: 'production',
    });
    expect(renderHtmlReport(view)).toContain('3 look(s); steps 10% → 25% → 50%, verdict at 25%');
  });

  test('the SVG has a dot per look for canary and baseline, and dashed bounds', () => {
    const gate = readGateData(failedGateReport(3));
    const data = gate && chartData(metricSeries(gate, 'error_ratio'));
    if (!data) throw new Error('no chart');
    const svg = svgChart(data);
    expect(svg.match(/class="point point-canary"/g)).toHaveLength(3);
    expect(svg.match(/class="point point-baseline"/g)).toHaveLength(3);
    expect(svg).toMatch(/data-series="upper"[^>]*stroke-dasharray/);
    expect(svg).not.toMatch(/href=|<script/);
  });
});

test('PR comment: marker, training table with deltas, gate charts', () => {
  const body = renderPrComment(failedDelivery());
  expect(body.startsWith(PR_COMMENT_MARKER)).toBe(true);
  expect(body).toContain('| accuracy | 0.91 | ≥ 0.85 | 0.9 | +0.01 | ✅ pass |');
  expect(body).toContain('| loss | 0.22 | ≤ 0.4 | 0.25 | -0.03 | ✅ pass |');
  expect(body).toContain('_baseline: origin/main:baseline/metrics.json_');
  expect(body).toContain('xychart-beta');
});

test('a bound far from the data is named, not drawn (the lines would flatten into the axis)', () => {
  const gate = readGateData(failedGateReport(3));
  if (!gate) throw new Error('no gate');
  gate.metrics[0] = { ...(gate.metrics[0] as (typeof gate.metrics)[number]), bounds: { max: 50 } };
  const data = chartData(metricSeries(gate, 'latency_p95'));
  expect(data?.series.map((s) => s.key)).toEqual(['canary', 'baseline']);
  expect(data?.offChart).toEqual(['upper bound 50']);
  expect(data?.max).toBeLessThan(1);
});
