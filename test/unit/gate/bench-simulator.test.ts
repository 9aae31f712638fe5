import { modelDeliverySettings } from '../../../bench/gate/judges.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
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

describe('bench:gate command line', () => {
  it('loads --scenarios, honours --runs/--seed/--only/--judges and prints the JSON of the issue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-gate-'));
    try {
      const file = join(dir, 'scenarios.json');
      writeFileSync(
        file,
        JSON.stringify([
          {
            name: 'errors-10pct',
            canary: { errorRate: 0.1, latency: { medianMs: 80, p95Ms: 200, p99Ms: 900 } },
            intervals: 4,
            gate: { alpha: 0.05, metrics: { error_rate: { max: 0.05, maxIncrease: '50%' } } },
            beyondMargin: true,
          },
        ]),
      );
      const args = [
        'bench/gate/main.ts',
        '--scenarios',
        file,
        '--only',
        'errors-10pct',
        '--judges',
        'model-delivery,flagger',
        '--runs',
        '5',
        '--seed',
        '3',
        '--workers',
        '1',
        '--json',
      ];
      const run = await execa('node_modules/.bin/tsx', args);
      const out = JSON.parse(run.stdout) as { results: Record<string, unknown>[] };
      expect(out.results.map((r) => Object.keys(r))).toEqual(
        Array(2).fill([
          'scenario',
          'judge',
          'runs',
          'failRate',
          'passRate',
          'inconclusiveRate',
          'medianIntervalsToFail',
          'medianIntervalsToPass',
          'beyondMargin',
        ]),
      );
      expect(out.results.every((r) => r.beyondMargin === true)).toBe(true);
      expect(out.results.map((r) => [r.scenario, r.judge, r.runs])).toEqual([
        ['errors-10pct', 'model-delivery', 5],
        ['errors-10pct', 'flagger', 5],
      ]);
      expect((await execa('node_modules/.bin/tsx', args)).stdout).toBe(run.stdout);
      const bad = await execa('node_modules/.bin/tsx', ['bench/gate/main.ts', '--runs', 'many'], {
        reject: false,
      });
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toContain('--runs: expected a whole number, got "many"');
      writeFileSync(
        file,
        JSON.stringify([
          {
            name: 'x',
            gate: { metrics: { errors: { max: 1 }, error_rate: { maxIncrease: 'lots' } } },
          },
        ]),
      );
      const badGate = await execa(
        'node_modules/.bin/tsx',
        ['bench/gate/main.ts', '--scenarios', file],
        {
          reject: false,
        },
      );
      expect(badGate.exitCode).toBe(2);
      expect(badGate.stderr).toContain('gate.metrics.errors: unknown metric');
      expect(badGate.stderr).toContain(
        'gate.metrics.error_rate.maxIncrease: expected a number or a percentage',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('--alpha runs model-delivery at another alpha under its own name, and rejects a bad one', async () => {
    const args = ['bench/gate/main.ts', '--only', 'aa', '--runs', '2', '--workers', '1'];
    const run = await execa('node_modules/.bin/tsx', [
      ...args,
      '--judges',
      'model-delivery',
      '--alpha',
      '0.2',
      '--json',
    ]);
    const out = JSON.parse(run.stdout) as { results: { judge: string }[] };
    expect(out.results.map((r) => r.judge)).toEqual(['model-delivery@0.2']);
    const bad = await execa('node_modules/.bin/tsx', [...args, '--alpha', '2'], { reject: false });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--alpha: expected a number between 0 and 1');
  }, 60_000);
});

describe('scenario gate overrides', () => {
  it('override the bench gate by metric name, with the config keys', () => {
    const s = resolveScenario({
      name: 'x',
      gate: { alpha: 0.05, metrics: { latency_p95: { maxIncrease: '20%', max: 0.3, weight: 2 } } },
    });
    const settings = modelDeliverySettings(s);
    expect(settings.alpha).toBe(0.05);
    expect(settings.metrics.find((m) => m.name === 'latency_p95')).toMatchObject({
      max: 0.3,
      weight: 2,
      maxIncrease: { percent: true, value: 20 },
    });
    expect(settings.metrics.find((m) => m.name === 'error_rate')?.maxIncrease).toBeUndefined();
  });
});
