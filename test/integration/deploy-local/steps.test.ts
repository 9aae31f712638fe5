import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../../src/config/schema.js';
import { memoryLogger } from '../../../src/core/log.js';
import { SecretRegistry } from '../../../src/core/secrets.js';
import type { GateClock } from '../../../src/gate/run-gate.js';
import { ReportStore } from '../../../src/report/store.js';
import { readStageInputs } from '../../../src/settings/stage-inputs.js';
import { runGateStage } from '../../../src/stages/gate.js';
import type { StageContext } from '../../../src/stages/types.js';
import { LocalTarget } from '../../../src/targets/local.js';
import { readState, type LocalState } from '../../../src/targets/local-state.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { freePort, markedProcesses } from './helpers.js';

/**
 * deploy.steps on the local target, with real processes (model servers, the front proxy
 * with even draws, the scrape source): the gate's one judge carries the evidence of 10 %
 * into 25 %, and the front's split follows each step.
 */

// Counts every request but /health and /metrics; errs on every ERROR_EVERY-th of its own.
const SERVER = `import { createServer } from 'node:http';
const every = Number(process.env.ERROR_EVERY || 0);
const track = process.env.TRACK;
let requests = 0;
let errors = 0;
createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  if (req.url === '/metrics') {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    return res.end(['# TYPE predictions_total counter', \`predictions_total{track="\${track}"} \${requests}\`,
      '# TYPE prediction_errors_total counter', \`prediction_errors_total{track="\${track}"} \${errors}\`, ''].join('\\n'));
  }
  requests++;
  const bad = every > 0 && requests % every === 0;
  if (bad) errors++;
  res.writeHead(bad ? 500 : 200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ model_version: process.env.MODEL_VERSION, track }));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const here = dirname(fileURLToPath(import.meta.url));
const marker = randomUUID();
const dirs: string[] = [];
afterAll(async () => {
  for (const pid of markedProcesses(marker)) process.kill(pid, 'SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Project {
  root: string;
  port: number;
  config: (extra?: Record<string, unknown>) => Config;
  state: () => LocalState;
  /** A local target deploying with `env` as deploy.local.env (each release keeps its own). */
  target: (env: Record<string, string>) => LocalTarget;
}

async function project(): Promise<Project> {
  // Under the repository, so the proxy's `--import tsx` resolves.
  mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
  const root = mkdtempSync(join(REPO_ROOT, 'tmp', 'steps-'));
  dirs.push(root);
  writeFileSync(join(root, 'server.mjs'), SERVER);
  const port = await freePort();
  const config = (extra: Record<string, unknown> = {}) =>
    configSchema.parse({
      deploy: {
        target: 'local',
        steps: [10, 25, 50],
        stepDuration: '1m',
        local: { command: [process.execPath, 'server.mjs'], port, readyTimeout: '20s' },
        ...extra,
      },
      gate: {
        interval: '30s',
        minDuration: '1m',
        maxDuration: '10m',
        metrics: [
          {
            name: 'errors',
            type: 'ratio',
            numerator: 'prediction_errors_total',
            denominator: 'predictions_total',
            maxIncrease: 0,
            critical: true,
          },
        ],
      },
    });
  const evenProxy = (state: string, p: number) => [
    process.execPath,
    '--import',
    'tsx',
    join(here, 'even-proxy.ts'),
    state,
    String(p),
  ];
  const target = (env: Record<string, string>) => {
    const c = config();
    return new LocalTarget({
      root,
      deploy: { ...c.deploy, local: { ...c.deploy.local, env } },
      env: { PATH: process.env.PATH, MD_TEST_MARKER: marker },
      log: memoryLogger(),
      proxyArgv: evenProxy,
    });
  };
  const state = () => readState(join(root, '.model-delivery', 'local')) as LocalState;
  return { root, port, config, target, state };
}

/** Deploys v1 (1 error in 50) as stable, then v2 (1 in `canaryErrEvery`) as canary beside a v1 baseline. */
async function deployBoth(p: Project, canaryErrEvery: number): Promise<LocalTarget> {
  await p.target({ ERROR_EVERY: '50' }).deployCanary({ version: 'v1', sha: '', image: '' });
  const target = p.target({ ERROR_EVERY: String(canaryErrEvery) });
  await target.deployCanary({ version: 'v2', sha: '', image: '' });
  return target;
}

/**
 * `n` GETs through the front, 20 at a time; answers counted by track. With even draws each
 * hundred requests splits exactly, whichever order they arrive in.
 */
async function send(port: number, n: number): Promise<Record<string, number>> {
  const tracks: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const res = await fetch(`http://127.0.0.1:${port}/predict`);
      await res.arrayBuffer();
      const t = res.headers.get('x-model-delivery-track') ?? 'none';
      tracks[t] = (tracks[t] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  return tracks;
}

function context(p: Project, config: Config): StageContext {
  return {
    config,
    root: p.root,
    configPath: join(p.root, '.github/model-delivery.yml'),
    github: { actions: false, serverUrl: 'https://github.com', apiUrl: 'http://127.0.0.1:9' },
    env: {},
    inputs: readStageInputs({}),
    flags: {},
    log: memoryLogger(),
    secrets: new SecretRegistry(),
    reports: ReportStore.forRoot(p.root),
  };
}

/** Virtual time; each interval, 200 requests go through the front (the traffic of a look). */
function trafficClock(port: number): GateClock {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms);
      await send(port, 200);
    },
  };
}

describe('deploy.steps on the local target', () => {
  it('one judge carries 10 % into 25 %: caught in the second step; the front follows each step, also after a kill -9 mid-change', async () => {
    const p = await project();
    // Canary: 1 error in 10; baseline (and stable): 1 in 50.
    const target = await deployBoth(p, 10);
    const carried = await runGateStage(context(p, p.config()), { clock: trafficClock(p.port) });
    expect(carried.reason).toBe('canary_worse_than_baseline');
    expect(carried.message).toMatch(/^fail at step 25%/);
    const looks = carried.details.looks;
    expect(looks.map((l) => [l.look, l.step, l.verdict])).toEqual([
      [1, 10, 'continue'],
      [2, 10, 'continue'],
      [3, 25, 'continue'],
      [4, 25, 'fail'],
    ]);
    expect(carried.details).toMatchObject({ steps: [10, 25, 50], step: 25 });
    // The judge's samples are the four looks': 20 + 20 at 10 %, 50 + 50 at 25 %.
    expect(carried.details.metrics).toMatchObject([{ samples: { canary: 140, baseline: 140 } }]);
    expect(carried.summary).toMatch(/at step \*\*25%\*\* after 4 look\(s\)/);

    // The same gate restarted at the second step: both of its looks at 25 % go by.
    const restarted = await runGateStage(context(p, p.config({ steps: [25, 50] })), {
      clock: trafficClock(p.port),
    });
    const fresh = restarted.details.looks;
    expect(fresh.slice(0, 2).map((l) => [l.step, l.verdict])).toEqual([
      [25, 'continue'],
      [25, 'continue'],
    ]);
    expect(restarted.details.step).not.toBe(25);

    // What the front did at each step, observed: `percent` of each hundred to canary and
    // to baseline, stable the rest (nothing at 50 %).
    for (const percent of [10, 25, 50]) {
      await target.setTrafficShare(percent);
      expect(await send(p.port, 200)).toEqual({
        canary: 2 * percent,
        baseline: 2 * percent,
        ...(percent < 50 ? { stable: 200 - 4 * percent } : {}),
      });
      expect(p.state().percent).toBe(percent);
    }

    // kill -9 after the journal is written and after the commit (a kill after the last write
    // leaves only the lock, as for every operation: crash-points.test.ts): the state file
    // holds the old share with an open journal, or the new one; the same call again ends it.
    const lock = join(p.root, '.model-delivery/local/lock');
    for (const step of [1, 2]) {
      await target.setTrafficShare(10);
      const killed = await execa(
        process.execPath,
        ['--import', 'tsx', join(here, 'share-crash-main.ts'), p.root, '25', String(step)],
        { cwd: REPO_ROOT, reject: false, env: { MD_TEST_MARKER: marker } },
      );
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      const left = p.state();
      expect(existsSync(lock)).toBe(true);
      expect(left.journal).toMatchObject({ operation: 'traffic share 25%', committed: step === 2 });
      expect(left.percent).toBe(step === 2 ? 25 : 10);
      const again = await target.setTrafficShare(25);
      expect(again.warnings?.join('\n')).toMatch(/a previous traffic share 25% .*was interrupted/);
      expect(p.state().percent).toBe(25);
      expect(p.state().journal).toBeUndefined();
      expect(existsSync(lock)).toBe(false);
      expect(await send(p.port, 100)).toEqual({ canary: 25, baseline: 25, stable: 50 });
    }
    await target.stop();
  }, 60_000);
});
