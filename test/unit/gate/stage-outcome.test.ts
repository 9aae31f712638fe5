import { describe, expect, it } from 'vitest';
import type { LookSamples } from '../../../src/analysis/types.js';
import { gateSection } from '../../../src/config/sections/gate.js';
import { judgeSettings } from '../../../src/gate/settings.js';
import { runGate, type GateClock } from '../../../src/gate/run-gate.js';
import { SourceUnavailableError, type MetricProvider } from '../../../src/metrics/types.js';
import { gateOutcome } from '../../../src/stages/gate.js';

const gate = gateSection.parse({
  interval: '10s',
  minDuration: '20s',
  maxDuration: '40s',
  metrics: [{ name: 'errors', type: 'ratio', numerator: 'e', denominator: 'r', max: 0.05 }],
});

function clock(): GateClock {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += Math.max(0, ms)) };
}

/** A source that answers with `sample` for the first `upLooks` looks, then is down. */
function source(upLooks: number): MetricProvider {
  let n = 0;
  return {
    kind: 'test',
    async collect(): Promise<LookSamples> {
      if (++n > upLooks) throw new SourceUnavailableError('connection refused');
      const s = { errors: { kind: 'counts' as const, numerator: 1, denominator: 200 } };
      return { canary: s, baseline: s };
    },
  };
}

async function outcomeOf(upLooks: number) {
  const run = await runGate({
    settings: judgeSettings(gate),
    provider: source(upLooks),
    intervalMs: gate.interval,
    clock: clock(),
  });
  return {
    run,
    outcome: gateOutcome({
      gate,
      reportPath: '/r/gate.json',
      decision: run.decision,
      looks: run.looks,
      source: 'test',
    }),
  };
}

describe('gate stage outcome', () => {
  it('passes with outputs and the per-look history when the source answers throughout', async () => {
    const { run, outcome } = await outcomeOf(99);
    expect(run.looks.map((l) => l.t)).toEqual([10, 20, 30, 40]);
    expect(outcome).toMatchObject({
      status: 'success',
      reason: 'no_regression_detected',
      outputs: { verdict: 'pass', reason: 'no_regression_detected', report: '/r/gate.json' },
      details: { next: 'promote', bounds: { errors: { max: 0.05 } } },
    });
    expect(outcome.exitCode).toBeUndefined();
    const look = outcome.details.looks[0];
    expect(look?.metrics.errors).toMatchObject({ canary: 0.005, baseline: 0.005 });
  });

  it('exits 3 when the source was unreachable at every look', async () => {
    const { outcome } = await outcomeOf(0);
    expect(outcome).toMatchObject({
      status: 'failure',
      reason: 'source_unreachable',
      details: { verdict: 'inconclusive', next: 'abort' },
      exitCode: 3,
    });
  });

  it('exits 1, never passing, when the source goes down mid-gate', async () => {
    const { outcome } = await outcomeOf(2);
    expect(outcome).toMatchObject({
      status: 'failure',
      reason: 'source_unreachable',
      details: { verdict: 'inconclusive' },
      exitCode: 1,
    });
  });
});
