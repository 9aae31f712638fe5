import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../bench/gate/benchmark.js';
import { modelDelivery, repeatedTest } from '../../../bench/gate/judges.js';
import { BUILTIN_SCENARIOS, resolveScenario } from '../../../bench/gate/scenarios.js';
import { SimulatedSource } from '../../../bench/gate/simulator.js';

const scenario = (name: string, overrides: { runs?: number; seed?: number } = {}) =>
  resolveScenario(
    BUILTIN_SCENARIOS.find((s) => s.name === name) as (typeof BUILTIN_SCENARIOS)[number],
    { runs: 20, ...overrides },
  );

describe('bench:gate simulator', () => {
  it('reproduces results with the same seed', async () => {
    const a = await runScenario(scenario('error-rate-1pct-to-5pct', { seed: 42 }), [
      modelDelivery,
      repeatedTest,
    ]);
    const b = await runScenario(scenario('error-rate-1pct-to-5pct', { seed: 42 }), [
      modelDelivery,
      repeatedTest,
    ]);
    expect(a).toEqual(b);
    expect(a[0]).toMatchObject({
      scenario: 'error-rate-1pct-to-5pct',
      judge: 'model-delivery',
      runs: 20,
    });
  });

  it('produces different traffic for a different seed, with the configured rates', async () => {
    const s = scenario('aa');
    const x = await new SimulatedSource(s, 1).collect();
    const y = await new SimulatedSource(s, 2).collect();
    expect(x).not.toEqual(y);
    let requests = 0;
    const src = new SimulatedSource(s, 3);
    for (let i = 0; i < 40; i++) {
      const look = await src.collect();
      const e = look.canary.error_rate;
      if (e?.kind === 'counts') requests += e.denominator;
    }
    // 5 rps × 30 s × 40 looks = 6000 expected (Poisson: sd ≈ 77).
    expect(requests).toBeGreaterThan(5700);
    expect(requests).toBeLessThan(6300);
  });

  it('never passes without data', async () => {
    const [r] = await runScenario(scenario('no-data'), [modelDelivery]);
    expect(r).toMatchObject({ passRate: 0, inconclusiveRate: 1, medianIntervalsToFail: null });
  });

  it('rejects unknown scenario fields with a clear message', () => {
    expect(() => resolveScenario({ name: 'x', canary: { errRate: 0.1 } as never })).toThrow(
      /canary.errRate: unknown field/,
    );
  });
});
