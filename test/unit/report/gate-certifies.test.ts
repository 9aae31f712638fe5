import { describe, expect, test } from 'vitest';
import { PIPELINE_ORDER, buildDeliveryView } from '../../../src/report/delivery.js';
import { readGateData } from '../../../src/report/gate-data.js';
import { renderHtmlReport } from '../../../src/report/html-report.js';
import { GITHUB, stageReport } from './fixtures.js';

// Issue 16: the HTML report's gate section says what each metric's verdict certifies, as the
// job summary does (the claims the judge wrote, at their confidence, and what is not shown).
const gate = stageReport('gate', {
  status: 'failure',
  reason: 'insufficient_evidence',
  message: 'not enough evidence by maxDuration',
  details: {
    verdict: 'inconclusive',
    looks: [],
    metrics: [
      {
        name: 'error_rate',
        status: 'pass',
        canary: 0.01,
        baseline: 0.01,
        bounds: { max: 0.02, maxIncrease: '100%' },
        certifiedAt: 0.99,
        claims: [
          {
            claim: 'error_rate ≤ 2 × baseline',
            required: true,
            shown: true,
            supported: 'error_rate ≤ 1.4 × baseline',
          },
          {
            claim: 'error_rate ≤ 0.02',
            required: false,
            shown: true,
            supported: 'error_rate ≤ 0.013',
          },
        ],
      },
      {
        name: 'latency_p95',
        status: 'insufficient_evidence',
        bounds: { maxIncrease: '20%' },
        certifiedAt: 0.99,
        claims: [
          {
            claim: 'canary p95 ≤ 1.2 × baseline p95',
            required: true,
            shown: false,
            supported: 'canary p95 ≤ 1.31 × baseline p95',
          },
        ],
        resolution: { quantile: 0.95, value: 0.21, lower: 0.2, upper: 0.3 },
      },
      {
        name: 'gpu_util',
        status: 'pass',
        bounds: { max: 0.9 },
        claims: [],
        note: 'a point check at every look: no error control',
      },
      // A report from before claims existed: read leniently, certifying nothing.
      { name: 'old', status: 'pass', bounds: {}, claims: 'garbled' },
    ],
  },
});

const html = () =>
  renderHtmlReport(
    buildDeliveryView({
      reports: [gate],
      github: GITHUB,
      order: PIPELINE_ORDER,
      environment: 'production',
    }),
  );

describe('the gate section of the HTML report', () => {
  test('reads the claims, their confidence and the resolution from the gate report', () => {
    const data = readGateData(gate);
    expect(data?.metrics[0]).toMatchObject({
      certifiedAt: 0.99,
      claims: [
        { claim: 'error_rate ≤ 2 × baseline', shown: true },
        { claim: 'error_rate ≤ 0.02', shown: true },
      ],
    });
    expect(data?.metrics[1]?.resolution).toEqual({
      quantile: 0.95,
      value: 0.21,
      lower: 0.2,
      upper: 0.3,
    });
    expect(data?.metrics[3]?.claims).toEqual([]);
  });

  test('says what each verdict certifies, what is not shown with the supported margin, and notes', () => {
    const section = html().split('<ul id="gate-certifies">')[1]?.split('</ul>')[0] ?? '';
    expect(section).toContain(
      '<li><strong>error_rate</strong>: certifies at 99%: error_rate ≤ 2 × baseline; error_rate ≤ 0.02.</li>',
    );
    expect(section).toContain(
      'not shown: canary p95 ≤ 1.2 × baseline p95 (the data support canary p95 ≤ 1.31 × baseline p95)',
    );
    expect(section).toContain('baseline p95 0.21 lies in the bucket (0.2, 0.3]');
    expect(section).toContain(
      '<li><strong>gpu_util</strong>: certifies nothing. a point check at every look: no error control.</li>',
    );
    expect(section).toContain('<li><strong>old</strong>: certifies nothing.</li>');
  });
});
