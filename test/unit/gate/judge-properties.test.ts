import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialJudgeState, judge } from '../../../src/analysis/judge.js';
import type { JudgeSettings, LookObservation } from '../../../src/analysis/types.js';

const settings: JudgeSettings = {
  alpha: 0.01,
  minDurationMs: 20_000,
  maxDurationMs: 60_000,
  metrics: [
    {
      name: 'errors',
      type: 'ratio',
      critical: true,
      minSamples: 50,
      max: 0.1,
      maxIncrease: { percent: true, value: 50 },
    },
    { name: 'acc', type: 'ratio', critical: false, minSamples: 50, min: 0.8 },
  ],
};

const counts = fc
  .record({ n: fc.integer({ min: 0, max: 300 }), k: fc.integer({ min: 0, max: 300 }) })
  .map(({ n, k }) => ({ kind: 'counts' as const, denominator: n, numerator: Math.min(k, n) }));
const look = fc.oneof(
  fc.record({ ce: counts, be: counts, ca: counts, ba: counts }).map(({ ce, be, ca, ba }) => ({
    samples: { canary: { errors: ce, acc: ca }, baseline: { errors: be, acc: ba } },
  })),
  fc.constantFrom(
    { problem: { kind: 'no_data' as const, message: 'none' } },
    { problem: { kind: 'unreachable' as const, message: 'down' } },
  ),
);

/** Runs the judge over the looks (every 10 s) until it decides; the decision and the observation it was made on. */
function run(looks: Omit<LookObservation, 'elapsedMs'>[]) {
  let state = initialJudgeState(settings);
  for (const [i, l] of looks.entries()) {
    const obs = { elapsedMs: (i + 1) * 10_000, ...l };
    const step = judge(settings, state, obs);
    state = step.state;
    if (step.decision.verdict !== 'continue') return { decision: step.decision, obs, look: i + 1 };
  }
  return undefined;
}

describe('judge properties', () => {
  it('never passes on a look without data, before minDuration, or with a metric short of minSamples', () => {
    fc.assert(
      fc.property(fc.array(look, { minLength: 6, maxLength: 6 }), (looks) => {
        const r = run(looks);
        expect(r).toBeDefined();
        if (r?.decision.verdict !== 'pass') return;
        expect(r.obs.problem).toBeUndefined();
        expect(r.obs.elapsedMs).toBeGreaterThanOrEqual(settings.minDurationMs);
        for (const m of r.decision.metrics)
          expect(Math.min(m.samples.canary, m.samples.baseline)).toBeGreaterThanOrEqual(50);
      }),
      { numRuns: 300 },
    );
  });

  it('always decides by maxDuration, with a reason', () => {
    fc.assert(
      fc.property(fc.array(look, { minLength: 6, maxLength: 6 }), (looks) => {
        const r = run(looks);
        expect(r?.look).toBeLessThanOrEqual(6);
        expect(r?.decision.reason).toMatch(/^[a-z_]+$/);
      }),
      { numRuns: 300 },
    );
  });
});
