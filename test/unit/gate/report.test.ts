import { describe, expect, it } from 'vitest';
import type { JudgeDecision } from '../../../src/analysis/types.js';
import { certificates, formatEffect, gateSummary } from '../../../src/gate/report.js';
import { nextStep } from '../../../src/stages/gate.js';

const decision: JudgeDecision = {
  verdict: 'fail',
  reason: 'canary_worse_than_baseline',
  message: 'error_rate is worse than the baseline',
  metrics: [
    {
      name: 'error_rate',
      type: 'ratio',
      critical: true,
      status: 'fail',
      reason: 'canary_worse_than_baseline',
      canary: 0.05,
      baseline: 0.01,
      effect: { measure: 'rate, canary / baseline − 1', estimate: 4, lower: 1.2, upper: Infinity },
      confidence: 0.9975,
      samples: { canary: 300, baseline: 310 },
      claims: [],
      bounds: { max: 0.02 },
    },
    {
      name: 'precision',
      type: 'gauge',
      critical: false,
      status: 'pass',
      canary: 0.8,
      baseline: 0.81,
      samples: { canary: 2, baseline: 2 },
      claims: [],
      bounds: { min: 0.75 },
    },
  ],
};

describe('gate report', () => {
  it('summarises each metric and the decision', () => {
    const md = gateSummary(decision, { looks: 2, source: 'scrape', next: 'rollback' });
    expect(md).toContain(
      '| metric | canary | baseline | effect [interval] | confidence | samples c / b | status |',
    );
    expect(md).toContain(
      '| error_rate (critical) | 0.05 | 0.01 | +400% [+120%, +∞] | 99.75% | 300 / 310 | ❌ fail (canary_worse_than_baseline) |',
    );
    expect(md).toContain('| precision | 0.8 | 0.81 | — | — | 2 / 2 | ✅ pass |');
    expect(md).toContain('❌ **fail** (`canary_worse_than_baseline`) after 2 look(s) from scrape');
    expect(md).toContain('Next: rollback.');
  });

  it('says what each verdict certifies, what it does not, and how finely buckets resolve a quantile', () => {
    const md = certificates([
      {
        ...decision.metrics[0]!,
        name: 'latency_p95',
        status: 'pass',
        certifiedAt: 0.99,
        claims: [
          { claim: 'canary p95 ≤ 0.5', required: false, shown: true, supported: 'x' },
          {
            claim: 'canary p95 ≤ 1.2 × baseline p95',
            required: true,
            shown: false,
            supported: 'share ≤ 7%',
          },
        ],
        resolution: { quantile: 0.95, value: 0.26, lower: 0.2, upper: 0.3 },
      },
      decision.metrics[1]!,
    ]);
    expect(md).toContain('- **latency_p95**: certifies at 99%: canary p95 ≤ 0.5.');
    expect(md).toContain(
      'not shown: canary p95 ≤ 1.2 × baseline p95 (the data support share ≤ 7%)',
    );
    expect(md).toContain('baseline p95 0.26 lies in the bucket (0.2, 0.3]');
    expect(md).toContain('- **precision**: certifies nothing.');
  });

  it('shows an unknown estimate as a dash', () => {
    const m = {
      ...decision.metrics[0]!,
      effect: { measure: 'x', estimate: NaN, lower: -1, upper: Infinity },
    };
    expect(formatEffect(m)).toBe('— [-100%, +∞]');
  });

  it.each([
    ['pass', 'abort', 'promote'],
    ['fail', 'abort', 'rollback'],
    ['inconclusive', 'abort', 'abort'],
    ['inconclusive', 'rollback', 'rollback'],
  ] as const)('%s with onInconclusive %s → %s', (verdict, on, next) => {
    expect(nextStep(verdict, on)).toBe(next);
  });
});
