import { describe, expect, it } from 'vitest';
import type { LookSamples } from '../../../src/analysis/types.js';
import { gateSection } from '../../../src/config/sections/gate.js';
import { judgeSettings } from '../../../src/gate/settings.js';
import { runGate, type GateClock } from '../../../src/gate/run-gate.js';
import type { MetricProvider } from '../../../src/metrics/types.js';
import { pickTrack, routesOf } from '../../../src/targets/local-proxy.js';
import { emptyState } from '../../../src/targets/local-state.js';

// A dead canary ends the gate at once, and the local front stops sending it requests.
const gate = gateSection.parse({
  interval: '10s',
  minDuration: '1m',
  maxDuration: '10m',
  metrics: [{ name: 'errors', type: 'ratio', numerator: 'e', denominator: 'r', max: 0.05 }],
});

function clock(): GateClock {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += Math.max(0, ms)) };
}

const steady: MetricProvider = {
  kind: 'test',
  async collect(): Promise<LookSamples> {
    const s = { errors: { kind: 'counts' as const, numerator: 1, denominator: 200 } };
    return { canary: s, baseline: s };
  },
};

describe('a track that goes down ends the gate as inconclusive', () => {
  it.each([
    ['canary_down', 3],
    ['baseline_down', 1],
  ])('%s after look %i, not at maxDuration', async (reason, downAfter) => {
    let looks = 0;
    const run = await runGate({
      settings: judgeSettings(gate),
      provider: steady,
      intervalMs: gate.interval,
      clock: clock(),
      onLook: () => void (looks += 1),
      tracksDown: async () =>
        looks >= downAfter
          ? { reason, message: `the ${reason.split('_')[0]} is not running` }
          : undefined,
    });
    expect(run.decision).toMatchObject({ verdict: 'inconclusive', reason });
    expect(run.looks).toHaveLength(downAfter);
  });
});

describe('the local front routes around a dead track', () => {
  const state = emptyState(10);
  const track = (pid: number, port: number) =>
    ({
      pid,
      port,
      logFile: '',
      startedAt: '',
      track: 'canary',
      release: { version: 'v', sha: '', image: '' },
    }) as const;
  state.tracks = { stable: { ...track(1, 8001), track: 'stable' }, canary: track(2, 8002) };
  it('a dead canary gets no requests; its share goes to stable', () => {
    const routes = routesOf(state, (pid) => pid !== 2);
    expect(routes.ports).toEqual({ stable: 8001 });
    for (const r of [0, 5, 9.99, 50]) expect(pickTrack(routes, r)).toBe('stable');
  });
  it('while it lives it gets its share', () => {
    expect(
      pickTrack(
        routesOf(state, () => true),
        5,
      ),
    ).toBe('canary');
  });
});
