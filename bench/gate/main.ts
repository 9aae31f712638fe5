// `npm run bench:gate -- [--runs N] [--seed S] [--scenarios file.json] [--only name,…] [--json]`
// Runs every scenario through every judge on simulated traffic; see docs/gate.md.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runScenario, type BenchResult } from './benchmark.js';
import { DEFAULT_ALPHA, JUDGES, modelDeliveryJudge, type BenchJudge } from './judges.js';
import {
  BUILTIN_SCENARIOS,
  resolveScenario,
  type Scenario,
  type ScenarioInput,
} from './scenarios.js';

interface Options {
  runs?: number;
  seed?: number;
  scenarios?: string;
  only?: string[];
  judges?: string[];
  /** model-delivery's gate.alpha. */
  alpha: number;
  json: boolean;
  workers: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    json: false,
    alpha: DEFAULT_ALPHA,
    workers: Math.max(1, Math.min(availableParallelism(), 4)),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const int = (v: string) => {
      if (!/^\d+$/.test(v)) throw new Error(`${a}: expected a whole number, got "${v}"`);
      return Number(v);
    };
    if (a === '--json') o.json = true;
    else if (a === '--runs') o.runs = int(value());
    else if (a === '--seed') o.seed = int(value());
    else if (a === '--workers') o.workers = Math.max(1, int(value()));
    else if (a === '--scenarios') o.scenarios = value();
    else if (a === '--only') o.only = value().split(',');
    else if (a === '--judges') o.judges = value().split(',');
    else if (a === '--alpha') {
      const v = value();
      o.alpha = Number(v);
      if (!(o.alpha > 0 && o.alpha < 1))
        throw new Error(`--alpha: expected a number between 0 and 1 such as 0.05, got "${v}"`);
    } else
      throw new Error(
        `unknown argument ${a}; use --runs N, --seed S, --scenarios file.json, --only a,b, --judges a,b, --alpha A, --workers N, --json`,
      );
  }
  return o;
}

function loadScenarios(o: Options): Scenario[] {
  const inputs: ScenarioInput[] = [...BUILTIN_SCENARIOS];
  if (o.scenarios) {
    const parsed = JSON.parse(readFileSync(o.scenarios, 'utf8')) as unknown;
    const list = Array.isArray(parsed) ? parsed : (parsed as { scenarios?: unknown }).scenarios;
    if (!Array.isArray(list))
      throw new Error(`${o.scenarios}: expected an array of scenarios or { "scenarios": [...] }`);
    inputs.push(...(list as ScenarioInput[]));
  }
  const chosen = o.only ? inputs.filter((s) => o.only?.includes(s.name)) : inputs;
  return chosen.map((s) => resolveScenario(s, { runs: o.runs, seed: o.seed }));
}

function pickJudges(names: string[] | undefined, alpha: number): BenchJudge[] {
  const all = JUDGES.map((j) =>
    j.name === 'model-delivery' || j.name === 'model-delivery-stable'
      ? modelDeliveryJudge(alpha, j.name === 'model-delivery-stable')
      : j,
  );
  if (!names) return all;
  const unknown = names.filter((n) => !JUDGES.some((j) => j.name === n));
  if (unknown.length)
    throw new Error(
      `unknown judge ${unknown.join(', ')}; judges: ${JUDGES.map((j) => j.name).join(', ')}`,
    );
  // `model-delivery` also picks `model-delivery@<alpha>` (and -stable, -stable@<alpha>).
  return all.filter((j) => names.includes(j.name.split('@')[0] as string));
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function table(results: BenchResult[]): string {
  const head = [
    'scenario',
    'judge',
    'runs',
    'fail',
    'pass',
    'inconclusive',
    'median intervals to fail',
    'median intervals to pass',
  ];
  const rows = results.map((r) => [
    r.scenario,
    r.judge,
    String(r.runs),
    pct(r.failRate),
    // Beyond the margin, a pass is a false pass.
    `${pct(r.passRate)}${r.beyondMargin ? ' (false pass)' : ''}`,
    pct(r.inconclusiveRate),
    r.medianIntervalsToFail === null ? '—' : String(r.medianIntervalsToFail),
    r.medianIntervalsToPass === null ? '—' : String(r.medianIntervalsToPass),
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function inWorkers(
  scenarios: Scenario[],
  workers: number,
  judgeNames: string[] | undefined,
  alpha: number,
): Promise<BenchResult[]> {
  // Scenarios are split into chunks of runs so both cores stay busy; results are merged in order.
  const jobs = scenarios.map((s, i) => ({ index: i, scenario: s }));
  const results: BenchResult[][] = new Array(scenarios.length);
  let next = 0;
  const worker = () =>
    new Promise<void>((resolve, reject) => {
      const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
        workerData: { judges: judgeNames, alpha },
      });
      const give = () => {
        const job = jobs[next++];
        if (!job) {
          void w.terminate();
          return resolve();
        }
        w.postMessage(job);
      };
      w.on('message', (m: { index: number; results: BenchResult[] }) => {
        results[m.index] = m.results;
        give();
      });
      w.on('error', reject);
      give();
    });
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, worker));
  return results.flat();
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const scenarios = loadScenarios(o);
  if (!o.json) {
    process.stderr.write('judges and their settings:\n');
    for (const j of pickJudges(o.judges, o.alpha))
      process.stderr.write(`  ${j.name}: ${j.settings}\n`);
    process.stderr.write(
      `scenarios: ${scenarios.map((s) => `${s.name} (${s.runs} runs, seed ${s.seed})`).join(', ')}\n\n`,
    );
  }
  const started = Date.now();
  const results =
    o.workers > 1
      ? await inWorkers(scenarios, o.workers, o.judges, o.alpha)
      : (
          await Promise.all(scenarios.map((s) => runScenario(s, pickJudges(o.judges, o.alpha))))
        ).flat();
  if (o.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else
    process.stdout.write(
      `${table(results)}\n\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
}

if (isMainThread) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench:gate: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
} else {
  const data = workerData as { judges?: string[]; alpha: number };
  const judges = pickJudges(data.judges, data.alpha);
  parentPort?.on('message', (job: { index: number; scenario: Scenario }) => {
    void runScenario(job.scenario, judges).then((results) =>
      parentPort?.postMessage({ index: job.index, results }),
    );
  });
}
