import { JUDGES, type BenchJudge, type Outcome } from './judges.js';
import { mixSeed } from './random.js';
import type { Scenario } from './scenarios.js';
import { SimulatedSource } from './simulator.js';

export interface BenchResult {
  scenario: string;
  judge: string;
  runs: number;
  failRate: number;
  passRate: number;
  inconclusiveRate: number;
  medianIntervalsToFail: number | null;
  medianIntervalsToPass: number | null;
  /** The canary is worse than a tolerance: passRate is a false-pass rate. */
  beyondMargin: boolean;
}

function nameHash(name: string): number {
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + (ch.codePointAt(0) as number)) >>> 0;
  return h;
}

/** The seed of one run: every judge sees the same simulated data in run i. */
export function runSeed(scenario: Scenario, run: number): number {
  return mixSeed(scenario.seed, nameHash(scenario.name), run);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

export function summarise(
  scenario: string,
  judge: string,
  outcomes: Outcome[],
  beyondMargin = false,
): BenchResult {
  const n = outcomes.length;
  const share = (v: Outcome['verdict']) => outcomes.filter((o) => o.verdict === v).length / n;
  return {
    scenario,
    judge,
    runs: n,
    failRate: share('fail'),
    passRate: share('pass'),
    inconclusiveRate: share('inconclusive'),
    medianIntervalsToFail: median(
      outcomes.filter((o) => o.verdict === 'fail').map((o) => o.intervals),
    ),
    medianIntervalsToPass: median(
      outcomes.filter((o) => o.verdict === 'pass').map((o) => o.intervals),
    ),
    beyondMargin,
  };
}

export async function runScenario(
  scenario: Scenario,
  judges: BenchJudge[] = JUDGES,
): Promise<BenchResult[]> {
  const outcomes = judges.map(() => [] as Outcome[]);
  for (let run = 0; run < scenario.runs; run++) {
    const seed = runSeed(scenario, run);
    for (const [i, judge] of judges.entries()) {
      (outcomes[i] as Outcome[]).push(
        await judge.run(new SimulatedSource(scenario, seed), scenario),
      );
    }
  }
  return judges.map((j, i) =>
    summarise(scenario.name, j.name, outcomes[i] as Outcome[], scenario.beyondMargin),
  );
}
