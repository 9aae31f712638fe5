import { describe, expect, it } from 'vitest';
import type { LookSamples } from '../../../src/analysis/types.js';
import { gateSection } from '../../../src/config/sections/gate.js';
import { judgeSettings } from '../../../src/gate/settings.js';
import { runGate, type GateClock, type GateRun } from '../../../src/gate/run-gate.js';
import type { MetricProvider } from '../../../src/metrics/types.js';

// The gate across deploy.steps: one judge state carried from step to step, on a virtual clock.
const gate = gateSection.parse({
  interval: '30s',
  minDuration: '1m',
  maxDuration: '10m',
  metrics: [
    {
      name: 'errors',
      type: 'ratio',
      numerator: 'e',
      denominator: 'r',
      maxIncrease: 0,
      critical: true,
    },
  ],
});
const STEP_MS = 60_000; // two looks per step

function clock(): GateClock {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += Math.max(0, ms)) };
}

/**
 * 400 requests a look through the front; each track gets `share` % of them (as the local
 * proxy splits) and errs on every k-th of its own requests: the counts follow the share.
 */
function traffic(errEvery: { canary: number; baseline: number }) {
  const state = { share: 0, seen: { canary: 0, baseline: 0 } };
  const track = (t: 'canary' | 'baseline') => {
    const n = (400 * state.share) / 100;
    const before = state.seen[t];
    state.seen[t] += n;
    const k = errEvery[t];
    return {
      kind: 'counts' as const,
      numerator: Math.floor((before + n) / k) - Math.floor(before / k),
      denominator: n,
    };
  };
  const provider: MetricProvider = {
    kind: 'test',
    async collect(): Promise<LookSamples> {
      return { canary: { errors: track('canary') }, baseline: { errors: track('baseline') } };
    },
  };
  return { state, provider };
}

async function ramp(
  percents: number[],
  errEvery: { canary: number; baseline: number },
  settings = judgeSettings(gate),
) {
  const { state, provider } = traffic(errEvery);
  state.share = percents[0] ?? 0;
  const raised: Array<{ percent: number; afterLook: number }> = [];
  const run = await runGate({
    settings,
    provider,
    intervalMs: gate.interval,
    clock: clock(),
    steps: {
      percents,
      durationMs: STEP_MS,
      raise: async (p) => void (state.share = p),
      onRaise: (percent, afterLook) => raised.push({ percent, afterLook }),
    },
  });
  return { run, raised };
}

const stepsOf = (run: GateRun) => run.looks.map((l) => l.step);
const verdictsOf = (run: GateRun) => run.looks.map((l) => l.verdict);

describe('a gate across steps', () => {
  // Canary errs on 1 in 20, baseline on 1 in 100: a regression one step at 25 % (two looks)
  // does not show, but the 10 % step's evidence added to it does.
  const regression = { canary: 20, baseline: 100 };

  it('raises the share every stepDuration, after a look, and records each look at its step', async () => {
    const { run, raised } = await ramp([10, 25, 50], { canary: 100, baseline: 100 });
    expect(raised.slice(0, 2)).toEqual([
      { percent: 25, afterLook: 2 },
      { percent: 50, afterLook: 4 },
    ]);
    expect(stepsOf(run).slice(0, 6)).toEqual([10, 10, 25, 25, 50, 50]);
  });

  it('carries the judge state: a regression is caught in the second step, with every look counted', async () => {
    const { run } = await ramp([10, 25, 50], regression);
    expect(run.decision).toMatchObject({ verdict: 'fail', reason: 'canary_worse_than_baseline' });
    expect(run.step).toBe(25);
    expect(stepsOf(run)).toEqual([10, 10, 25, 25]);
    // One judge saw all four looks: the samples are the 10 % step's plus the 25 % step's.
    expect(run.state.look).toBe(4);
    expect(run.decision.metrics[0]?.samples).toEqual({
      canary: 40 + 40 + 100 + 100,
      baseline: 280,
    });
  });

  it('the same gate restarted at the second step does not catch it in that step', async () => {
    const { run } = await ramp([25, 50], regression);
    // Both looks at 25 % go by without a verdict: one step's data are not enough.
    expect(stepsOf(run).slice(0, 2)).toEqual([25, 25]);
    expect(verdictsOf(run).slice(0, 2)).toEqual(['continue', 'continue']);
    expect(run.step).not.toBe(25);
  });

  it('holds a pass until the last step has run stepDuration; the verdict names that step', async () => {
    // Same error rate on both tracks, 200 % tolerated: settled early, without steps at 10 %.
    const tolerant = judgeSettings({
      ...gate,
      metrics: gate.metrics.map((m) => ({ ...m, maxIncrease: '200%' })),
    });
    const same = { canary: 20, baseline: 20 };
    const plain = await ramp([50], same, tolerant);
    expect(plain.run.decision.verdict).toBe('pass');
    const early = plain.run.looks.length;
    expect(early).toBeLessThan(6);
    const { run } = await ramp([10, 25, 50], same, tolerant);
    expect(run.decision).toMatchObject({ verdict: 'pass', reason: 'all_metrics_within_bounds' });
    expect(run.step).toBe(50);
    // Three steps of 60 s: no pass before 180 s (look 6), however early the evidence settles.
    expect(run.looks.at(-1)?.t).toBeGreaterThanOrEqual(180);
    expect(run.looks.slice(0, -1).every((l) => l.verdict === 'continue')).toBe(true);
  });

  it('a share the target cannot set ends the gate inconclusive (never a pass)', async () => {
    const { provider } = traffic({ canary: 100, baseline: 100 });
    const run = await runGate({
      settings: judgeSettings(gate),
      provider,
      intervalMs: gate.interval,
      clock: clock(),
      steps: {
        percents: [10, 25],
        durationMs: STEP_MS,
        raise: async () => {
          throw new Error('the state file is read-only');
        },
      },
    });
    expect(run.decision).toMatchObject({ verdict: 'inconclusive', reason: 'step_failed' });
    expect(run.decision.message).toMatch(
      /could not raise the traffic share to 25%: the state file is read-only/,
    );
    expect(run.step).toBe(10);
    expect(run.looks).toHaveLength(2);
  });
});
